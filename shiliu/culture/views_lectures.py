"""Pages of the publicity lectures and the online courses."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, STAFF_ROLES, Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.forms import attach_errors

from . import courses, lectures
from .forms import CourseForm, LectureForm, LessonForm, QuestionForm, ReachForm, SeriesForm
from .models import Lecture

PAGE_SIZE = 25
readers = roles_required(*RECORD_READERS)
staff = roles_required(*STAFF_ROLES)
residents = roles_required(Role.RESIDENT)


def _form_page(request: HttpRequest, form: Any, title: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "culture/form.html",
        {"form": form, "title": title, "cancel": cancel},
        status=400 if form.errors else 200,
    )


@login_required
@readers
def lecture_list(request: HttpRequest) -> HttpResponse:
    qs = lectures.lectures_visible(user=request.user)
    series = request.GET.get("series", "")
    if not (series.isdigit() and len(series) <= 9):  # a longer number would overflow the database's integer
        series = ""
    if series:
        qs = qs.filter(series_id=int(series))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "series_list": lectures.series_visible(user=request.user),
        "can_add": scope_for(request.user).is_staff,
        "query": f"series={series}" if series else "",
    }
    return render(request, "culture/lectures.html", context)


@login_required
@staff
def series_new(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = lectures.series_save(actor=request.user, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect(f"{_url('culture:lecture_new')}?series={series.pk}")
    return _form_page(request, form, _("New lecture series"), _url("culture:lectures"))


def _url(name: str, *args: Any) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


def _lecture_data(form: LectureForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@staff
def lecture_new(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("series") or request.POST.get("series") or ""
    series = lectures.series_get(user=request.user, pk=int(raw)) if raw.isdigit() else None
    if series is None:
        first = lectures.series_visible(user=request.user).first()
        if first is None:
            return redirect("culture:series_new")
        series = first
    form = LectureForm(request.POST or None, initial={"held_on": clock.today(), "region": series.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            lecture = lectures.lecture_save(actor=request.user, series=series, data=_lecture_data(form))
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The session was recorded."))
            return redirect("culture:lecture", pk=lecture.pk)
    return _form_page(
        request, form, _("New session of %(series)s") % {"series": series.title}, _url("culture:lectures")
    )


@login_required
@readers
def lecture_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session and its replay: the link opens the hosting site (no embedded frames: the content security policy
    allows none, and a link works on every phone)."""
    lecture = lectures.lecture_get(user=request.user, pk=pk)
    return render(
        request,
        "culture/lecture.html",
        {
            "lecture": lecture,
            "can_edit": scope_for(request.user).is_staff
            and scope_for(request.user).covers(lecture.series.region_id),
        },
    )


@login_required
@staff
def lecture_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lecture: Lecture = lectures.lecture_get(user=request.user, pk=pk)
    initial = {
        n: getattr(lecture, n)
        for n in (
            "topic",
            "speaker",
            "held_on",
            "venue",
            "stream_url",
            "replay_url",
            "attendance",
            "views",
            "plan",
        )
    }
    initial["region"] = lecture.region_id
    form = LectureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lectures.lecture_save(
                actor=request.user, series=lecture.series, data=_lecture_data(form), lecture=lecture
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("culture:lecture", pk=lecture.pk)
    return _form_page(
        request, form, _("Edit %(topic)s") % {"topic": lecture.topic}, _url("culture:lecture", lecture.pk)
    )


@login_required
@readers
def reach(request: HttpRequest) -> HttpResponse:
    year = clock.today().year
    form = ReachForm(request.GET or None, initial={"year": year, "by": "region"})
    region, by = "", "region"
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        picked = form.cleaned_data.get("region")
        region = picked.code if picked else ""
        by = form.cleaned_data.get("by") or "region"
    import datetime as dt

    rows, total = lectures.reach(
        user=request.user, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), region=region, by=by
    )
    chart = {
        "labels": [r.name for r in rows],
        "sessions": [r.sessions for r in rows],
        "people": [r.people for r in rows],
    }
    context = {"form": form, "rows": rows, "total": total, "year": year, "by": by, "chart": chart}
    return render(request, "culture/reach.html", context, status=400 if form.errors else 200)


# --- Courses: staff ---


@login_required
@readers
def course_list(request: HttpRequest) -> HttpResponse:
    rows = courses.courses_managed(user=request.user)
    return render(
        request, "culture/courses.html", {"rows": rows, "can_add": scope_for(request.user).is_staff}
    )


@login_required
@staff
def course_new(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = courses.course_save(actor=request.user, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("culture:course", pk=course.pk)
    return _form_page(request, form, _("New course"), _url("culture:courses"))


@login_required
@readers
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = courses.course_get(user=request.user, pk=pk)
    scope = scope_for(request.user)
    context = {
        "course": course,
        "lessons": course.lessons.prefetch_related("questions"),
        "learners": courses.enrollments_managed(user=request.user, course=course),
        "n_lessons": course.lessons.count(),
        "can_edit": scope.is_staff and scope.covers(course.region_id),
    }
    return render(request, "culture/course.html", context)


@login_required
@staff
def lesson_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = courses.course_get(user=request.user, pk=pk)
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            courses.lesson_save(actor=request.user, course=course, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("culture:course", pk=course.pk)
    return _form_page(
        request,
        form,
        _("New lesson of %(course)s") % {"course": course.title},
        _url("culture:course", course.pk),
    )


@login_required
@staff
def question_new(request: HttpRequest, pk: int, lesson: int) -> HttpResponse:
    course = courses.course_get(user=request.user, pk=pk)
    the_lesson = course.lessons.filter(pk=lesson).first()
    if the_lesson is None:
        from django.http import Http404

        raise Http404
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            courses.question_add(actor=request.user, lesson=the_lesson, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("culture:course", pk=course.pk)
    return _form_page(
        request,
        form,
        _("New quiz question for %(lesson)s") % {"lesson": the_lesson.title},
        _url("culture:course", course.pk),
    )


# --- Courses: residents ---


@login_required
@residents
def learn(request: HttpRequest) -> HttpResponse:
    rows = []
    for course in courses.courses_open(user=request.user):
        enrollment = courses.enrollment_of(user=request.user, course=course)
        rows.append(
            {"course": course, "enrollment": enrollment, "passed": len(courses.passed_lessons(enrollment))}
        )
    return render(request, "culture/learn.html", {"rows": rows})


@login_required
@residents
def learn_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = courses.course_open_get(user=request.user, pk=pk)
    enrollment = courses.enrollment_of(user=request.user, course=course)
    context = {
        "course": course,
        "enrollment": enrollment,
        "lessons": course.lessons.all(),
        "passed": courses.passed_lessons(enrollment),
    }
    return render(request, "culture/learn_course.html", context)


@login_required
@residents
@require_POST
def learn_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    course = courses.course_open_get(user=request.user, pk=pk)
    courses.enroll(actor=request.user, course=course)
    messages.success(request, _("You are enrolled."))
    return redirect("culture:learn_course", pk=course.pk)


@login_required
@residents
def learn_lesson(request: HttpRequest, pk: int, lesson: int) -> HttpResponse:
    course = courses.course_open_get(user=request.user, pk=pk)
    enrollment = courses.enrollment_of(user=request.user, course=course)
    if enrollment is None:
        return redirect("culture:learn_course", pk=course.pk)
    the_lesson = course.lessons.filter(pk=lesson).first()
    if the_lesson is None:
        from django.http import Http404

        raise Http404
    questions = list(the_lesson.questions.all())
    outcome = None
    if request.method == "POST":
        answers = {}
        for q in questions:
            raw = request.POST.get(f"q{q.pk}", "")
            if raw.isdigit():
                answers[q.pk] = int(raw)
        right, total, passed = courses.lesson_submit(
            actor=request.user, enrollment=enrollment, lesson=the_lesson, answers=answers
        )
        outcome = {"right": right, "total": total, "passed": passed}
        if passed:
            messages.success(request, _("Lesson passed."))
            return redirect("culture:learn_course", pk=course.pk)
    context = {
        "course": course,
        "lesson": the_lesson,
        "questions": questions,
        "outcome": outcome,
        "passed": the_lesson.pk in courses.passed_lessons(enrollment),
    }
    return render(
        request,
        "culture/learn_lesson.html",
        context,
        status=400 if outcome and not outcome["passed"] else 200,
    )
