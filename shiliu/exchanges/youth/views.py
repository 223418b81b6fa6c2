"""Pages of the youth exchange: pen-pal programmes (rosters, consent, matching, letters) and joint online classes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shiliu.exchanges.ledger import selectors as ledger_selectors
from shiliu.exchanges.youth import matching, selectors, services
from shiliu.exchanges.youth.forms import (
    LetterForm,
    OnlineClassForm,
    OnlineReportForm,
    ProgrammeForm,
    StudentForm,
    StudentsForm,
)
from shiliu.exchanges.youth.models import (
    OnlineClass,
    PenPalMatch,
    PenPalProgramme,
    PenPalStudent,
    StudentStatus,
)
from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib import clock
from shiliu.lib.confirm import confirmation
from shiliu.lib.forms import attach_errors, date_param, error_text, id_param, require_valid
from shiliu.orgs.models import Organization
from shiliu.runtime.services import AlreadySubmitted

# Class lists and pair lists longer than this are folded behind their counts: on a phone each row is a card.
ROSTER_OPEN_UP_TO = 12


def _my_schools(user: Any) -> Any:
    return (
        Organization.objects.editable_by(user)
        .filter(is_active=True, kind="school")
        .select_related("region")
        .order_by("region_id", "name")
    )


def _programme(request: HttpRequest, pk: int) -> PenPalProgramme:
    programme = selectors.programmes_visible(request.user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


@login_required
@roles_required(*RECORD_READERS)
def penpal_list(request: HttpRequest) -> HttpResponse:
    programmes = selectors.programmes_visible(request.user)
    waiting_only = request.GET.get("waiting") == "1"  # the workbench's "pen-pals awaiting a re-match"
    waiting: dict[int, int] = {}
    if waiting_only:
        waiting = dict(
            selectors.penpals_awaiting_rematch(user=request.user)
            .order_by()
            .values_list("programme_id")
            .annotate(n=Count("pk"))
        )
        programmes = programmes.filter(pk__in=list(waiting))
    programmes = programmes.annotate(
        active_pairs=Count("matches", filter=Q(matches__ended_on__isnull=True), distinct=True),
        letters=Sum("matches__letters__count"),
    )
    listed = list(programmes[:100])
    for programme in listed:
        programme.waiting = waiting.get(programme.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "exchanges/penpals.html",
        {"programmes": listed, "waiting_only": waiting_only, "waiting_total": sum(waiting.values())},
    )


@login_required
@roles_required(*RECORD_READERS)
def penpal_new(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, schools=_my_schools(request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            programme = services.programme_create(
                actor=request.user,
                title=cd["title"],
                school_a=cd["school_a"],
                class_a=cd["class_a"],
                school_b=cd["school_b"],
                class_b=cd["class_b"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The pen-pal programme is started. Add the students of each class."))
            return redirect("exchanges:penpal", pk=programme.pk)
    return render(
        request,
        "exchanges/menu_form.html",
        {
            "form": form,
            "title": _("Start a pen-pal programme"),
            "submit": _("Start"),
            "back": "exchanges:penpals",
        },
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
def penpal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    user = acting_user(request)
    services.programme_roster_viewed(actor=user, programme=programme)
    sides = selectors.programme_sides(user, programme)
    students = list(programme.students.all())
    matches = list(
        programme.matches.select_related("student_a", "student_b").annotate(
            letters_total=Sum("letters__count"), last_letter=Max("letters__sent_on")
        )
    )
    active = [m for m in matches if m.ended_on is None]
    matched_ids = {m.student_a_id for m in active} | {m.student_b_id for m in active}
    ended_partner_ids = {m.student_a_id for m in matches if m.ended_on} | {
        m.student_b_id for m in matches if m.ended_on
    }
    waiting = [
        s
        for s in students
        if s.status == StudentStatus.ACTIVE and s.pk not in matched_ids and s.pk in ended_partner_ids
    ]
    side_choices = [(s, f"{programme.school(s).name} · {getattr(programme, f'class_{s}')}") for s in sides]
    context = {
        "programme": programme,
        "sides": sides,
        "roster": [
            (
                side,
                [s for s in students if s.side == side],
                sum(
                    1
                    for s in students
                    if s.side == side and s.status == StudentStatus.ACTIVE and not s.consent_on
                ),
            )
            for side in ("a", "b")
        ],
        "matched_ids": matched_ids,
        "waiting": waiting,
        "active": active,
        "ended": [m for m in matches if m.ended_on],
        "summary": selectors.programme_summary(programme),
        "student_form": StudentForm(sides=side_choices) if sides else None,
        "students_form": StudentsForm(sides=side_choices, prefix="bulk") if sides else None,
        "letter_form": LetterForm(initial={"sent_on": clock.today()}),
        "today": clock.today(),
        "roster_open_up_to": ROSTER_OPEN_UP_TO,
    }
    return render(request, "exchanges/penpal.html", context)


def _student(request: HttpRequest, programme: PenPalProgramme) -> PenPalStudent:
    student = PenPalStudent.objects.filter(
        programme=programme, pk=id_param(request.POST, "student") or 0
    ).first()
    if student is None:
        raise Http404
    return student


def _sides(user: Any, programme: PenPalProgramme) -> list[tuple[str, str]]:
    return [(s, s.upper()) for s in selectors.programme_sides(user, programme)]


def _add_student(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    data = require_valid(StudentForm(request.POST, sides=_sides(user, programme)))
    services.student_add(actor=user, programme=programme, **data)
    return _("Student %(code)s added.") % {"code": data["code"].upper()}


def _add_students(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    data = require_valid(StudentsForm(request.POST, sides=_sides(user, programme), prefix="bulk"))
    added = services.students_add_many(
        actor=user, programme=programme, token=request.POST.get("submission", ""), **data
    )
    return ngettext("%(n)d pupil added.", "%(n)d pupils added.", len(added)) % {"n": len(added)}


def _consent(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    student = _student(request, programme)
    on = date_param(request.POST, "on") or clock.today()
    services.student_record_consent(actor=user, student=student, on=on)
    return _("Consent recorded for %(code)s.") % {"code": student.code}


def _withdraw(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    student = _student(request, programme)
    services.student_withdraw_consent(actor=user, student=student)
    return _("Consent withdrawn: %(code)s no longer takes part and their details are erased.") % {
        "code": student.code
    }


def _leave(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    student = _student(request, programme)
    partners = services.student_leave(actor=user, student=student, reason=request.POST.get("reason", ""))
    return ngettext(
        "%(code)s has left; %(n)d partner is offered a re-match.",
        "%(code)s has left; %(n)d partners are offered a re-match.",
        len(partners),
    ) % {
        "code": student.code,
        "n": len(partners),
    }


def _class_leaves(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    partners = services.class_leaves(
        actor=user, programme=programme, side=request.POST.get("side", ""), reason=_("The class graduated")
    )
    return ngettext(
        "The class has left; %(n)d partner is offered a re-match.",
        "The class has left; %(n)d partners are offered a re-match.",
        len(partners),
    ) % {"n": len(partners)}


def _letters_all(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    data = require_valid(LetterForm(request.POST))
    n = services.letters_log_all(
        actor=user,
        programme=programme,
        direction=data["direction"],
        sent_on=data["sent_on"],
        token=request.POST.get("submission", ""),
    )
    return ngettext("One letter logged on %(n)d pair.", "One letter logged on each of %(n)d pairs.", n) % {
        "n": n
    }


def _match(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    result = matching.match_run(actor=user, programme=programme)
    if not result.created:
        raise ValidationError(_("No new pair was made: %(reasons)s") % {"reasons": " ".join(result.reasons)})
    return _(
        "%(made)d new pairs (%(ratio)s). Without a partner: %(unmatched)d. "
        "Not matched for want of guardian consent: %(consent)d."
    ) % {
        "made": len(result.created),
        "ratio": result.ratio,
        "unmatched": len(result.unmatched),
        "consent": len(result.without_consent),
    }


def _letter(request: HttpRequest, user: Any, programme: PenPalProgramme) -> str:
    match = PenPalMatch.objects.filter(programme=programme, pk=id_param(request.POST, "match") or 0).first()
    if match is None:
        raise Http404
    services.letter_log(
        actor=user,
        match=match,
        token=request.POST.get("submission", ""),
        **require_valid(LetterForm(request.POST)),
    )
    return _("Letters logged.")


# Each action of the programme page: parse the posted form, call one service, say what it did.
PENPAL_ACTIONS: dict[str, Callable[[HttpRequest, Any, PenPalProgramme], str]] = {
    "student": _add_student,
    "students": _add_students,
    "consent": _consent,
    "withdraw": _withdraw,
    "leave": _leave,
    "class_leaves": _class_leaves,
    "letters_all": _letters_all,
    "match": _match,
    "letter": _letter,
}


def _partner_codes(student: PenPalStudent) -> list[str]:
    matches = PenPalMatch.objects.filter(
        Q(student_a=student) | Q(student_b=student), ended_on__isnull=True
    ).select_related("student_a", "student_b")
    return [(m.student_b if student.side == "a" else m.student_a).code for m in matches]


def _confirm_withdraw(request: HttpRequest, programme: PenPalProgramme) -> tuple[str, list[str], str]:
    student = _student(request, programme)
    lines = [
        _("%(code)s stops taking part at once.") % {"code": student.code},
        _("Their interests and the record of the guardian's consent are erased; this cannot be undone."),
    ]
    partners = _partner_codes(student)
    if partners:
        lines.append(
            _("Their pair with %(partners)s ends; the partner is offered a re-match.")
            % {"partners": "、".join(partners)}
        )
    return (
        _("Withdraw the guardian's consent for %(code)s?") % {"code": student.code},
        lines,
        _("Withdraw consent and erase the details"),
    )


def _confirm_leave(request: HttpRequest, programme: PenPalProgramme) -> tuple[str, list[str], str]:
    student = _student(request, programme)
    lines = [_("%(code)s is marked as having left the programme today.") % {"code": student.code}]
    partners = _partner_codes(student)
    if partners:
        lines.append(
            _("Their pair with %(partners)s ends; the partner is offered a re-match.")
            % {"partners": "、".join(partners)}
        )
    lines.append(_("A pupil who has left cannot be brought back; add them again if needed."))
    return _("Has %(code)s left?") % {"code": student.code}, lines, _("Yes, mark as left")


def _confirm_class_leaves(request: HttpRequest, programme: PenPalProgramme) -> tuple[str, list[str], str]:
    side = request.POST.get("side", "")
    if side not in ("a", "b"):
        raise BadRequest(_("Unknown action."))
    pupils = programme.students.filter(side=side, status=StudentStatus.ACTIVE)
    pairs = programme.matches.filter(ended_on__isnull=True).filter(
        Q(student_a__in=pupils) | Q(student_b__in=pupils)
    )
    name = f"{programme.school(side).name} · {getattr(programme, f'class_{side}')}"
    lines = [
        _("All %(n)d pupils of %(class)s are marked as having left.") % {"n": pupils.count(), "class": name},
        ngettext(
            "%(n)d pair ends; both partners are offered a re-match.",
            "%(n)d pairs end; every partner is offered a re-match.",
            pairs.count(),
        )
        % {"n": pairs.count()},
    ]
    return _("Has the whole class graduated?"), lines, _("Yes, the class has left")


# Actions that cannot be undone ask first (a page that says what will happen, then the same post confirmed).
PENPAL_CONFIRMATIONS: dict[str, Callable[[HttpRequest, PenPalProgramme], tuple[str, list[str], str]]] = {
    "withdraw": _confirm_withdraw,
    "leave": _confirm_leave,
    "class_leaves": _confirm_class_leaves,
}


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def penpal_action(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    action = request.POST.get("action", "")
    handler = PENPAL_ACTIONS.get(action)
    if handler is None:
        raise BadRequest(_("Unknown action."))
    if action in PENPAL_CONFIRMATIONS:
        title, lines, label = PENPAL_CONFIRMATIONS[action](request, programme)
        asking = confirmation(
            request,
            title=title,
            consequences=lines,
            confirm_label=label,
            back_url=reverse("exchanges:penpal", kwargs={"pk": pk}),
        )
        if asking is not None:
            return asking
    try:
        messages.success(request, handler(request, acting_user(request), programme))
    except AlreadySubmitted as exc:
        messages.info(request, str(exc))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:penpal", pk=pk)


# --- online classes ---------------------------------------------------------------------------------------------


@login_required
@roles_required(*RECORD_READERS)
def online_list(request: HttpRequest) -> HttpResponse:
    classes = [(oc, selectors.both_times(oc)) for oc in selectors.online_classes_visible(request.user)[:100]]
    return render(request, "exchanges/online.html", {"classes": classes})


@login_required
@roles_required(*RECORD_READERS)
def online_new(request: HttpRequest) -> HttpResponse:
    form = OnlineClassForm(request.POST or None, schools=_my_schools(request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        zone, _label = selectors.school_zone(cd["host"].region_id)
        starts_at: dt.datetime = cd["starts_at"]
        local = timezone.make_naive(starts_at) if timezone.is_aware(starts_at) else starts_at
        try:
            online = services.online_class_schedule(
                actor=request.user,
                host=cd["host"],
                partner=cd["partner"],
                kind=cd["kind"],
                title=cd["title"],
                starts_at=local.replace(tzinfo=zone),
                duration_minutes=cd["duration_minutes"],
                meeting_url=cd["meeting_url"],
                classes_host=cd["classes_host"],
                classes_partner=cd["classes_partner"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The online class is scheduled; the partner school has been told."))
            return redirect("exchanges:detail", pk=online.activity_id)
    return render(
        request,
        "exchanges/menu_form.html",
        {
            "form": form,
            "title": _("Schedule an online class"),
            "submit": _("Schedule"),
            "back": "exchanges:online",
        },
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def online_report(request: HttpRequest, pk: int) -> HttpResponse:
    activity = ledger_selectors.activity_get(user=request.user, pk=pk)
    online = OnlineClass.objects.filter(activity=activity).first()
    if online is None:
        raise Http404
    try:
        data = require_valid(OnlineReportForm(request.POST))
        services.online_class_report(actor=request.user, online=online, **data)
        messages.success(request, _("Attendance recorded; the partner school is asked to confirm."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:detail", pk=pk)
