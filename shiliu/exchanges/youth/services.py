"""Writes of the youth exchange: programmes, pupils and their guardians' consent, pupils leaving, letters, online
classes and their reminders.

Pupils are pseudonymous codes; the school keeps the key. Only pupils whose guardian's consent is recorded are
matched (:mod:`shiliu.exchanges.youth.matching`). A pupil who leaves ends their matches and the partners are offered a
re-match. A guardian's withdrawal erases the pupil's interests and consent record. Every view of a roster is logged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shiliu.accounts.selectors import commission_staff_over
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.ledger.models import ActivityStatus, ActivityType
from shiliu.exchanges.youth.models import (
    LetterLog,
    OnlineClass,
    PenPalMatch,
    PenPalProgramme,
    PenPalStudent,
    StudentStatus,
)
from shiliu.exchanges.youth.selectors import programme_sides, school_zone
from shiliu.jurisdiction.party import Party, acts_for, staff_covers
from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock
from shiliu.lib.audit import log_access
from shiliu.notifications.services import notify
from shiliu.orgs.models import Organization
from shiliu.runtime.services import submission_claim, submission_record

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")


# --- who speaks for a school (jurisdiction.party.acts_for: its coordinator, or the commission over it) ---------


def programme_roster_viewed(*, actor: Any, programme: PenPalProgramme) -> None:
    """The roster is minors' data (codes, ages, consent): every view of it is logged."""
    log_access(actor=actor, record=programme, purpose="pen-pal roster")


def _require(actor: Any, school: Organization) -> None:
    if not acts_for(actor, Party.of_unit(school)):
        raise PermissionDenied(_("Only the school itself or the commission over it may do this."))


def _notify_school(school: Organization, text: str, link: str, key: str) -> int:
    """The school's coordinators and the commission staff over it; returns how many notifications were new."""
    from shiliu.accounts.models import User

    recipients = list(commission_staff_over(school.region_id)) + list(
        User.objects.filter(organization=school, role=Role.UNIT_COORDINATOR, is_active=True)
    )
    return notify(recipients=recipients, text=text, link=link, key=key)


# --- pen-pal programmes and students ---------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *, actor: Any, title: str, school_a: Organization, class_a: str, school_b: Organization, class_b: str
) -> PenPalProgramme:
    """Start 书信手拉手 between two classes; the schools must be different and connected by an active pairing."""
    errors: dict[str, list[str]] = {}
    if school_a.pk == school_b.pk:
        errors.setdefault("school_b", []).append(_("Choose a school other than school A."))
    for name, school in (("school_a", school_a), ("school_b", school_b)):
        if school.kind != "school":
            errors.setdefault(name, []).append(_("Pen-pals are between schools; this unit is not a school."))
    if not (title.strip() and class_a.strip() and class_b.strip()):
        errors.setdefault("title", []).append(_("Give the title and both classes."))
    if errors:
        raise ValidationError(errors)
    if not (acts_for(actor, Party.of_unit(school_a)) or acts_for(actor, Party.of_unit(school_b))):
        raise PermissionDenied(
            _("Only one of the two schools, or the commission over it, may start a programme.")
        )
    pairing = ledger_services.connecting_pairing(
        school_a.region_id, school_b.region_id, units=(school_a.pk, school_b.pk)
    )
    both_mine = staff_covers(actor, school_a.region_id) and staff_covers(actor, school_b.region_id)
    if pairing is None and not both_mine:
        raise ValidationError(
            {
                "school_b": _(
                    "No active pairing connects the two schools' regions: pen-pals are between paired sides."
                )
            }
        )
    programme = PenPalProgramme.objects.create(
        title=title.strip(),
        school_a=school_a,
        class_a=class_a.strip(),
        school_b=school_b,
        class_b=class_b.strip(),
        pairing=pairing,
        created_by=actor,
        created_at=clock.now(),
    )
    other = school_b if acts_for(actor, Party.of_unit(school_a)) else school_a
    _notify_school(
        other,
        _("A pen-pal programme “%(title)s” was started with your school") % {"title": programme.title},
        f"/exchanges/penpals/{programme.pk}/",
        f"penpal-start-{programme.pk}",
    )
    return programme


def student_add(
    *,
    actor: Any,
    programme: PenPalProgramme,
    side: str,
    code: str,
    grade: int,
    age: int,
    interests: str = "",
    consent_on: dt.date | None = None,
) -> PenPalStudent:
    """Add a pupil by code. A code is letters, digits and hyphens only, so that nobody types a name into it."""
    if side not in ("a", "b"):
        raise ValidationError({"side": _("Choose side A or B.")})
    _require(actor, programme.school(side))
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise ValidationError(
            {"code": _("A student code is letters, digits and hyphens (e.g. A-07); never write a name here.")}
        )
    if PenPalStudent.objects.filter(programme=programme, side=side, code=code).exists():
        raise ValidationError({"code": _("This class already has a student with this code.")})
    student = PenPalStudent(
        programme=programme,
        side=side,
        code=code,
        grade=grade,
        age=age,
        interests=interests.strip()[:120],
        consent_on=consent_on,
        consent_recorded_by=actor if consent_on else None,
    )
    student.full_clean()
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError as exc:  # the same code added at the same moment (two tabs, two teachers)
        raise ValidationError({"code": _("This class already has a student with this code.")}) from exc
    return student


MAX_CLASS = 80


@transaction.atomic
def students_add_many(
    *,
    actor: Any,
    programme: PenPalProgramme,
    side: str,
    text: str,
    consent_on: dt.date | None = None,
    token: str = "",
) -> list[PenPalStudent]:
    """A class at once, one pupil a line: ``code grade age [interests…]`` (spaces or commas between).

    Every line is checked; a bad line names its number and nothing is added. The form's ``token`` makes a second
    send of it say so instead of listing every code as taken.
    """
    _require(actor, programme.school(side))
    claim = submission_claim(user=actor, token=token)
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise ValidationError({"text": _("Write one pupil a line: code, grade, age, interests.")})
    if len(lines) > MAX_CLASS:
        raise ValidationError({"text": _("At most %(n)d pupils at a time.") % {"n": MAX_CLASS}})
    errors: list[str] = []
    added: list[PenPalStudent] = []
    seen: set[str] = set()
    for number, line in lines:
        parts = [p for p in re.split(r"[\s,，]+", line) if p]
        if len(parts) < 3 or not parts[1].isdigit() or not parts[2].isdigit():
            errors.append(
                _("Line %(n)d: write the code, the grade and the age, e.g. A-07 7 12 绘画") % {"n": number}
            )
            continue
        if parts[0].upper() in seen:
            errors.append(_("Line %(n)d: the code %(code)s is repeated.") % {"n": number, "code": parts[0]})
            continue
        seen.add(parts[0].upper())
        try:
            with transaction.atomic():
                added.append(
                    student_add(
                        actor=actor, programme=programme, side=side, code=parts[0], grade=int(parts[1]),
                        age=int(parts[2]), interests="、".join(parts[3:]), consent_on=consent_on,
                    )
                )  # fmt: skip
        except ValidationError as exc:
            errors.extend(
                _("Line %(n)d: %(message)s") % {"n": number, "message": message} for message in exc.messages
            )
    if errors:
        raise ValidationError({"text": errors})
    submission_record(
        claim, summary=ngettext("%(n)d pupil added.", "%(n)d pupils added.", len(added)) % {"n": len(added)}
    )
    return added


def student_record_consent(*, actor: Any, student: PenPalStudent, on: dt.date) -> PenPalStudent:
    """The guardian agreed (on paper or in the school's app): record when, and who recorded it."""
    _require(actor, student.programme.school(student.side))
    if on > clock.today():
        raise ValidationError({"consent_on": _("The date of consent cannot be in the future.")})
    student.consent_on, student.consent_recorded_by = on, actor
    student.save(update_fields=["consent_on", "consent_recorded_by"])
    return student


def _active_matches(student: PenPalStudent) -> Any:
    return PenPalMatch.objects.filter(Q(student_a=student) | Q(student_b=student), ended_on__isnull=True)


@transaction.atomic
def student_leave(*, actor: Any, student: PenPalStudent, reason: str) -> list[PenPalStudent]:
    """The pupil graduated or moved: end their matches and offer each partner a re-match. Returns the partners."""
    _require(actor, student.programme.school(student.side))
    student = PenPalStudent.objects.select_for_update().select_related("programme").get(pk=student.pk)
    if student.status == StudentStatus.LEFT:
        raise ValidationError(_("This student has already left."))
    today = clock.today()
    partners = []
    for match in _active_matches(student).select_related("student_a", "student_b"):
        partner = match.student_b if student.side == "a" else match.student_a
        partners.append(partner)
        match.ended_on, match.end_reason = today, (reason.strip() or _("Partner left"))[:120]
        match.save(update_fields=["ended_on", "end_reason"])
    student.status, student.left_on = StudentStatus.LEFT, today
    student.save(update_fields=["status", "left_on"])
    programme = student.programme
    for partner in partners:
        _notify_school(
            programme.school(partner.side),
            _("Pen-pal %(code)s has lost a partner and is waiting for a re-match") % {"code": partner.code},
            f"/exchanges/penpals/{programme.pk}/",
            f"penpal-rematch-{partner.pk}-{student.pk}",
        )
    return partners


@transaction.atomic
def student_withdraw_consent(*, actor: Any, student: PenPalStudent) -> list[PenPalStudent]:
    """The guardian withdraws consent: the pupil stops taking part at once, their matches end (partners are offered
    a re-match) and what the programme held about them beyond the code is erased (interests, consent record)."""
    _require(actor, student.programme.school(student.side))
    student = PenPalStudent.objects.select_for_update().select_related("programme").get(pk=student.pk)
    if student.status == StudentStatus.LEFT:
        if student.consent_on is None and not student.interests:
            raise ValidationError(
                _("This pupil's consent has already been withdrawn and their details erased.")
            )
        partners: list[PenPalStudent] = []  # left earlier (graduated, moved): only the erasure is still due
    else:
        partners = student_leave(actor=actor, student=student, reason=_("Guardian withdrew consent"))
        student.refresh_from_db()
    student.interests, student.consent_on, student.consent_recorded_by = "", None, None
    student.save(update_fields=["interests", "consent_on", "consent_recorded_by"])
    return partners


@transaction.atomic
def class_leaves(*, actor: Any, programme: PenPalProgramme, side: str, reason: str) -> list[PenPalStudent]:
    """A whole class graduates (or the class is dissolved): every pupil leaves; partners are offered re-matches."""
    if side not in programme_sides(actor, programme):
        raise PermissionDenied(_("Only the school itself or the commission over it may do this."))
    partners: list[PenPalStudent] = []
    for student in programme.students.filter(side=side, status=StudentStatus.ACTIVE):
        partners.extend(student_leave(actor=actor, student=student, reason=reason))
    return partners


@transaction.atomic
def letter_log(
    *, actor: Any, match: PenPalMatch, direction: str, sent_on: dt.date, count: int = 1, token: str = ""
) -> LetterLog:
    """Record that letters went (how many, which way, when). The content is never asked for.

    The form's ``token`` keeps a second send of it from counting the same letters twice.
    """
    sender_side = "a" if direction == "ab" else "b"
    _require(actor, match.programme.school(sender_side))
    claim = submission_claim(user=actor, token=token)
    if match.ended_on is not None:
        raise ValidationError(_("This pair has ended; log letters on the new pair."))
    if sent_on > clock.today():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    if not 1 <= count <= 20:
        raise ValidationError({"count": _("Between 1 and 20 letters per entry.")})
    log = LetterLog.objects.create(
        match=match, direction=direction, sent_on=sent_on, count=count, logged_by=actor
    )
    submission_record(claim, summary=_("Letters logged."))
    return log


@transaction.atomic
def letters_log_all(
    *, actor: Any, programme: PenPalProgramme, direction: str, sent_on: dt.date, token: str = ""
) -> int:
    """The class wrote together (one letter each): log one letter on every active pair, that way, that day.

    The form's ``token`` keeps a second send of it from logging every letter twice.
    """
    claim = submission_claim(user=actor, token=token)
    matches = list(PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True))
    for match in matches:
        match.programme = programme
        letter_log(actor=actor, match=match, direction=direction, sent_on=sent_on, count=1)
    submission_record(
        claim,
        summary=ngettext(
            "One letter logged on %(n)d pair.", "One letter logged on each of %(n)d pairs.", len(matches)
        )
        % {"n": len(matches)},
    )
    return len(matches)


@transaction.atomic
def online_class_schedule(
    *,
    actor: Any,
    host: Organization,
    partner: Organization,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    meeting_url: str,
    classes_host: str,
    classes_partner: str,
) -> OnlineClass:
    """Schedule a joint online class: a draft activity of the ledger (plan: youth) plus its time, link and classes.

    ``starts_at`` must be aware; the form reads it in the host school's local time.
    """
    if host.pk == partner.pk:
        raise ValidationError({"partner": _("Choose a school other than the host.")})
    _require(actor, host)
    activity_type = ActivityType.objects.filter(name=kind).first()
    if activity_type is None:
        raise ValidationError({"kind": _("Choose a kind of online class.")})
    local_day = starts_at.astimezone(school_zone(host.region_id)[0]).date()
    activity = ledger_services.activity_record(
        actor=actor,
        data={
            "title": title,
            "activity_type": activity_type,
            "plan_youth": True,
            "start_date": local_day,
            "end_date": local_day,
            "place": _("Online"),
            "sending_region": host.region,
            "sending_unit": host,
            "receiving_region": partner.region,
            "receiving_unit": partner,
        },
        participations=[],
        submit=False,
    )
    online = OnlineClass(
        activity=activity,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        meeting_url=meeting_url,
        classes_sending=classes_host.strip(),
        classes_receiving=classes_partner.strip(),
    )
    online.full_clean()
    online.save()
    _notify_school(
        partner,
        _("An online class with your school is scheduled: %(title)s") % {"title": title},
        f"/exchanges/{activity.pk}/",
        f"online-class-{online.pk}",
    )
    return online


@transaction.atomic
def online_class_report(
    *,
    actor: Any,
    online: OnlineClass,
    attendance_sending: int,
    attendance_receiving: int,
    replay_url: str = "",
    participations: Sequence[dict[str, Any]] = (),
) -> OnlineClass:
    """After the class: attendance on both sides and the replay; the activity goes to the partner to confirm."""
    activity = online.activity
    if not acts_for(actor, Party.of(activity, activity.recorded_by_side)):
        raise PermissionDenied(_("Only the host school can report on this class."))
    if activity.status not in (ActivityStatus.DRAFT, ActivityStatus.SUBMITTED):
        raise ValidationError(
            _("The partner school has confirmed this class; edit the activity to change it.")
        )
    if online.starts_at > clock.now():
        raise ValidationError(_("The class has not taken place yet."))
    online.attendance_sending, online.attendance_receiving = attendance_sending, attendance_receiving
    online.replay_url = replay_url
    online.full_clean()
    online.save(update_fields=["attendance_sending", "attendance_receiving", "replay_url"])
    if participations:
        ledger_services.activity_update(
            actor=actor, activity=activity, data={}, participations=list(participations)
        )
    activity.refresh_from_db()
    if activity.status == ActivityStatus.DRAFT:
        ledger_services.activity_submit(actor=actor, activity=activity)
    return online


def online_classes_remind(*, now: dt.datetime | None = None) -> int:
    """Remind both schools of online classes starting within 24 hours, and ask hosts to report classes held (12
    hours to 7 days ago) without attendance. Run daily; idempotent by key."""
    moment = now or clock.now()
    sent = 0
    coming = OnlineClass.objects.filter(
        starts_at__gt=moment,
        starts_at__lte=moment + dt.timedelta(hours=24),
        activity__status__in=["draft", "submitted"],
    ).select_related("activity__sending_unit", "activity__receiving_unit")
    for online in coming:
        for side, unit in (
            ("sending", online.activity.sending_unit),
            ("receiving", online.activity.receiving_unit),
        ):
            if unit is None:  # an online class always has both schools; the ledger's field is optional
                continue
            zone, label = school_zone(unit.region_id)
            sent += _notify_school(
                unit,
                _("Online class coming up: %(title)s, %(zone)s %(time)s")
                % {
                    "title": online.activity.title,
                    "zone": label,
                    "time": online.starts_at.astimezone(zone).strftime("%m-%d %H:%M"),
                },
                f"/exchanges/{online.activity_id}/",
                f"online-soon-{online.pk}-{side}",
            )
    held = OnlineClass.objects.filter(
        starts_at__lte=moment - dt.timedelta(hours=12),
        starts_at__gt=moment - dt.timedelta(days=7),
        attendance_sending__isnull=True,
        activity__status="draft",
    ).select_related("activity__sending_unit")
    for online in held:
        if online.activity.sending_unit is None:
            continue
        sent += _notify_school(
            online.activity.sending_unit,
            _("Report attendance of the online class “%(title)s”") % {"title": online.activity.title},
            f"/exchanges/{online.activity_id}/",
            f"online-report-{online.pk}",
        )
    return sent
