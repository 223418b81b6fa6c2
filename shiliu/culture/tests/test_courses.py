"""Courses: lessons with a quiz, residents' enrollment and progress, completions for the training statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shiliu.culture import courses
from shiliu.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(xinyuan: Any) -> Any:
    course = courses.course_save(
        actor=xinyuan,
        data={
            "title": "国家通用语言 入门",
            "region": Region.objects.get(code="654025"),
            "is_published": True,
        },
    )
    one = courses.lesson_save(
        actor=xinyuan,
        course=course,
        data={"title": "问候", "video_url": "https://v.example.cn/1", "text": "你好"},
    )
    courses.question_add(
        actor=xinyuan, lesson=one, prompt="“你好”是什么意思？", choices="问候\n告别", answer=1
    )
    courses.lesson_save(actor=xinyuan, course=course, data={"title": "数字", "text": "一二三"})
    return course


def test_it_refuses_a_script_video_link(xinyuan: Any, course: Any) -> None:
    with pytest.raises(ValidationError):
        courses.lesson_save(
            actor=xinyuan, course=course, data={"title": "x", "video_url": "javascript:alert(1)"}
        )


def test_it_refuses_a_right_answer_outside_the_choices(xinyuan: Any, course: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        courses.question_add(
            actor=xinyuan, lesson=course.lessons.first(), prompt="?", choices="a\nb", answer=3
        )
    assert "answer" in exc.value.message_dict


def test_a_resident_enrolls_passes_lessons_and_completes(resident: Any, course: Any, login: Any) -> None:
    client = login(resident)
    assert "国家通用语言 入门" in client.get(reverse("culture:learn")).content.decode()
    client.post(reverse("culture:learn_enroll", args=[course.pk]))
    first, second = course.lessons.all()
    question = first.questions.get()
    wrong = client.post(reverse("culture:learn_lesson", args=[course.pk, first.pk]), {f"q{question.pk}": "2"})
    assert wrong.status_code == 400
    client.post(reverse("culture:learn_lesson", args=[course.pk, first.pk]), {f"q{question.pk}": "1"})
    enrollment = courses.enrollment_of(user=resident, course=course)
    assert enrollment.completed_at is None
    client.post(reverse("culture:learn_lesson", args=[course.pk, second.pk]))
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    today = enrollment.completed_at.date()
    done = courses.completions(
        start=today - dt.timedelta(days=1), end=today + dt.timedelta(days=1), region="6540"
    )
    assert [(c.user_id, c.course_title) for c in done] == [(resident.pk, "国家通用语言 入门")]
    assert courses.completions(start=today, end=today, region="3210") == []


def test_staff_are_not_learners(xinyuan: Any, course: Any) -> None:
    with pytest.raises(PermissionDenied):
        courses.enroll(actor=xinyuan, course=course)


def test_a_course_of_another_region_is_not_open(course: Any, login: Any) -> None:
    from conftest import make_user

    elsewhere = make_user("yz-resident", "resident", "321002")
    assert login(elsewhere).get(reverse("culture:learn_course", args=[course.pk])).status_code == 404


def test_staff_see_their_learners_progress_and_others_get_404(
    resident: Any, course: Any, login: Any, outsider: Any, xinyuan: Any
) -> None:
    courses.enroll(actor=resident, course=course)
    response = login(xinyuan).get(reverse("culture:course", args=[course.pk]))
    assert len(response.context["learners"]) == 1
    assert login(outsider).get(reverse("culture:course", args=[course.pk])).status_code == 404
