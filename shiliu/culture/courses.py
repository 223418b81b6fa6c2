"""Online courses of the national common language: courses of lessons (a video link, a text, a short quiz),
residents' enrollment and progress, and the completions the training statistics read (``completions``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for, under
from shiliu.lib import clock
from shiliu.lib.links import check_link

from .models import Course, Enrollment, Lesson, LessonResult, Question
from .services import require_editor

# --- Reads ---


def courses_managed(*, user: Any) -> QuerySet[Course]:
    return (
        Course.objects.visible_to(user)
        .select_related("region")
        .annotate(n_lessons=Count("lessons", distinct=True), n_enrolled=Count("enrollments", distinct=True))
    )


def course_get(*, user: Any, pk: int) -> Course:
    course = Course.objects.visible_to(user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def courses_open(*, user: Any) -> QuerySet[Course]:
    """Published courses a learner may take: those of a region that contains the learner's (a 新源 course for a
    resident of a 新源 community); platform-wide learners (no region) see every published one."""
    region = getattr(user, "region_id", None) or ""
    prefixes = {region[:n] for n in (2, 4, 6, 9, 12) if len(region) >= n}
    return Course.objects.filter(is_published=True, region_id__in=prefixes).annotate(
        n_lessons=Count("lessons")
    )


def course_open_get(*, user: Any, pk: int) -> Course:
    course = courses_open(user=user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def enrollment_of(*, user: Any, course: Course) -> Enrollment | None:
    return Enrollment.objects.filter(course=course, user=user).first()


def passed_lessons(enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(enrollment.results.values_list("lesson_id", flat=True))


def enrollments_managed(*, user: Any, course: Course) -> QuerySet[Enrollment]:
    """The learners of a course whom the user's jurisdiction covers (by the learner's region), with their number
    of lessons passed."""
    scope = scope_for(user)
    qs = Enrollment.objects.filter(course=course).select_related("user", "region")
    if not scope.is_staff:
        return qs.none()
    if not scope.is_everything:
        qs = qs.filter(under("region", scope.prefix or ""))
    return qs.annotate(n_passed=Count("results"))


@dataclass(frozen=True)
class Completion:
    """One completed course, as the training statistics count it."""

    user_id: int
    region_code: str
    course_id: int
    course_title: str
    completed_on: dt.date


def completions(*, start: dt.date, end: dt.date, region: str = "") -> list[Completion]:
    """Courses completed between ``start`` and ``end`` (inclusive) by learners living in ``region`` (a division
    code prefix; empty: everywhere). The training statistics (residents.livelihood) read them through a hook the
    web layer wires: culture sits above residents, so residents cannot import this."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    qs = Enrollment.objects.filter(completed_at__gte=since, completed_at__lt=until).select_related("course")
    if region:
        qs = qs.filter(under("region", region))
    return [
        Completion(e.user_id, e.region_id, e.course_id, e.course.title, timezone.localdate(e.completed_at))
        for e in qs.order_by("completed_at")
        if e.completed_at is not None
    ]


# --- Writes ---


@transaction.atomic
def course_save(*, actor: Any, data: dict[str, Any], course: Course | None = None) -> Course:
    if course is not None:
        require_editor(actor, course.region_id)
    course = course or Course()
    for name in ("title", "description", "region", "is_published"):
        if name in data:
            setattr(course, name, data[name])
    require_editor(actor, course.region_id)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def lesson_save(*, actor: Any, course: Course, data: dict[str, Any], lesson: Lesson | None = None) -> Lesson:
    require_editor(actor, course.region_id)
    lesson = lesson or Lesson(course=course, order=course.lessons.count() + 1)
    for name in ("title", "video_url", "text", "order"):
        if name in data:
            setattr(lesson, name, data[name])
    lesson.video_url = check_link(lesson.video_url, field="video_url")
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def question_add(*, actor: Any, lesson: Lesson, prompt: str, choices: str, answer: int) -> Question:
    require_editor(actor, lesson.course.region_id)
    question = Question(lesson=lesson, prompt=prompt.strip(), choices=choices.strip(), answer=answer)
    n = len(question.choice_list)
    if n < 2:
        raise ValidationError({"choices": _("Give at least two choices, one a line.")})
    if not 1 <= answer <= n:
        raise ValidationError({"answer": _("The right choice must be one of the %(n)d choices.") % {"n": n}})
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def enroll(*, actor: Any, course: Course) -> Enrollment:
    """A resident enrolls in a published course open to them (idempotent)."""
    if getattr(actor, "role", None) != Role.RESIDENT or not actor.region_id:
        raise PermissionDenied(_("Courses are taken by residents."))
    enrollment, _created = Enrollment.objects.get_or_create(
        course=course, user=actor, defaults={"region_id": actor.region_id, "enrolled_at": clock.now()}
    )
    return enrollment


@transaction.atomic
def lesson_submit(
    *, actor: Any, enrollment: Enrollment, lesson: Lesson, answers: dict[int, int]
) -> tuple[int, int, bool]:
    """Check a learner's answers to a lesson's quiz: all right passes the lesson; passing the last one completes
    the course (recorded once, with the time). Returns (right, questions, passed)."""
    if enrollment.user_id != actor.pk or lesson.course_id != enrollment.course_id:
        raise PermissionDenied(_("This is not your course."))
    questions = list(lesson.questions.all())
    right = sum(1 for q in questions if answers.get(q.pk) == q.answer)
    passed = right == len(questions)
    if passed:
        LessonResult.objects.get_or_create(
            enrollment=enrollment, lesson=lesson, defaults={"score": right, "passed_at": clock.now()}
        )
        total = enrollment.course.lessons.count()
        if enrollment.completed_at is None and enrollment.results.count() >= total:
            enrollment.completed_at = clock.now()
            enrollment.save(update_fields=["completed_at"])
    return right, len(questions), passed
