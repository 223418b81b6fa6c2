"""Writes of the livelihood services. Each checks who acts (selectors' rules, built on the jurisdiction layer),
validates with a Chinese message per rule (views show it next to the field), runs in one transaction and leaves an
audit trail (the models are registered with django-auditlog; the actor comes from the request)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.jurisdiction.party import Party, acts_for
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.notifications.services import notify
from shiliu.orgs.models import Organization, UnitKind

from . import derived, selectors
from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    AttendanceMethod,
    Enrolment,
    HoursStatus,
    Job,
    JobFair,
    JobStatus,
    KinshipAid,
    KinshipPairing,
    KinshipVisit,
    Placement,
    SeekerNeed,
    TrainingClass,
    TrainingSession,
    VolunteerHours,
    VolunteerTeam,
)

CERTIFICATE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def _refuse() -> PermissionDenied:
    return PermissionDenied(_("You may not act for this record."))


def _clean(obj: Any, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_constraints=False)


# ---------------------------------------------------------------------------------------------------------- jobs
def _check_wages(
    low: int | None, high: int | None, low_field: str = "wage_min", high_field: str = "wage_max"
) -> None:
    if low is not None and high is not None and low > high:
        raise ValidationError({high_field: _("The highest wage is lower than the lowest wage.")})


@transaction.atomic
def job_create(*, actor: Any, data: dict[str, Any], recruit_from: Sequence[Any] = ()) -> Job:
    """Post a job for an employer the actor acts for (its coordinator, or staff of its region)."""
    employer: Organization = data["employer"]
    if employer.kind != UnitKind.ENTERPRISE:
        raise ValidationError({"employer": _("Only enterprises post jobs.")})
    if not acts_for(actor, Party.of_unit(employer)):
        raise _refuse()
    _check_wages(data.get("wage_min"), data.get("wage_max"))
    if data.get("closes_on") and data["closes_on"] < clock.today():
        raise ValidationError({"closes_on": _("The closing date is in the past.")})
    job = Job(created_by=actor, **{"region": employer.region, **data})
    _clean(job)
    job.save()
    job.recruit_from.set(recruit_from)
    return job


@transaction.atomic
def job_close(*, actor: Any, job: Job) -> Job:
    if not selectors.job_manages(user=actor, job=job):
        raise _refuse()
    job.status = JobStatus.CLOSED
    job.save(update_fields=["status"])
    return job


@transaction.atomic
def fair_create(
    *,
    actor: Any,
    data: dict[str, Any],
    employers: list[Organization] | None = None,
    jobs: list[Job] | None = None,
) -> JobFair:  # type: ignore[assignment]
    """A job fair in the actor's jurisdiction; it becomes an activity of the embedding plan (derived once)."""
    scope = scope_for(actor)
    organiser = data.get("organiser")
    allowed = (
        acts_for(actor, Party.of_unit(organiser))
        if organiser
        else scope.is_staff and scope.covers(data["region"].code)
    )
    if not allowed:
        raise _refuse()
    fair = JobFair(created_by=actor, **data)
    _clean(fair)
    fair.save()
    fair.employers.set(employers or [])
    fair.jobs.set(jobs or [])
    derived.sync_fair(fair=fair, actor=actor)
    return fair


@transaction.atomic
def application_submit(*, actor: Any, job: Job, note: str = "") -> Application:
    """A resident applies for an open post (once)."""
    if not job.accepts_applications:
        raise ValidationError({"job": _("This post is closed to applications.")})
    if not actor.region_id:
        raise ValidationError({"job": _("Your account has no region; ask your community to set it.")})
    if Application.objects.filter(job=job, applicant=actor).exists():
        raise ValidationError({"job": _("You have already applied for this post.")})
    application = Application(job=job, applicant=actor, origin_region_id=actor.region_id, note=note[:200])
    _clean(application, exclude=["job", "applicant", "origin_region"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # two taps at once
        raise ValidationError({"job": _("You have already applied for this post.")}) from exc
    return application


@transaction.atomic
def application_answer(
    *, actor: Any, application: Application, accept: bool, answer: str = ""
) -> Application:
    if not selectors.job_manages(user=actor, job=application.job):
        raise _refuse()
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("This application has already been answered."))
    if not accept and not answer.strip():
        raise ValidationError({"answer": _("Say why the application is declined.")})
    application.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    application.answer = answer.strip()[:200]
    application.answered_by = actor
    application.answered_at = clock.now()
    application.save()
    notify(
        recipients=[application.applicant],
        text=(
            _("%(employer)s accepted your application for “%(job)s”.")
            if accept
            else _("%(employer)s declined your application for “%(job)s”.")
        )
        % {"employer": application.job.employer.name, "job": application.job.title},
        link=reverse("livelihood:applications"),
        key=f"application:{application.pk}:{application.status}",
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    if application.applicant_id != actor.pk:
        raise _refuse()
    if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED) or hasattr(
        application, "placement"
    ):
        raise ValidationError(_("This application can no longer be withdrawn."))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def placement_record(
    *, actor: Any, application: Application, started_on: dt.date, wage: int | None = None
) -> Placement:
    if not selectors.job_manages(user=actor, job=application.job):
        raise _refuse()
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError({"started_on": _("Only an accepted application becomes a placement.")})
    if Placement.objects.filter(application=application).exists():
        raise ValidationError({"started_on": _("This placement is already recorded.")})
    if started_on > clock.today():
        raise ValidationError({"started_on": _("The start date is in the future.")})
    if started_on < application.created_at.date():
        raise ValidationError({"started_on": _("The start date is before the application.")})
    placement = Placement(application=application, started_on=started_on, wage=wage, recorded_by=actor)
    _clean(placement, exclude=["application"])
    placement.save()
    return placement


@transaction.atomic
def placement_retention(*, actor: Any, placement: Placement, months: int, retained: bool) -> Placement:
    """Record whether the worker is still employed 3 or 6 months on (not before that day)."""
    if not selectors.job_manages(user=actor, job=placement.application.job):
        raise _refuse()
    if months not in (3, 6):
        raise ValidationError({"months": _("Retention is checked at 3 and 6 months.")})
    due = placement.due_3m if months == 3 else placement.due_6m
    if clock.today() < due:
        raise ValidationError(
            {
                "months": _("The %(months)s-month check is due on %(date)s.")
                % {"months": months, "date": due.isoformat()}
            }
        )
    if months == 6 and placement.retained_3m is False and retained:
        raise ValidationError(
            {"months": _("The worker had left by 3 months; record a new placement instead.")}
        )
    setattr(placement, f"retained_{months}m", retained)
    if months == 3 and not retained:
        placement.retained_6m = False
    placement.save()
    return placement


@transaction.atomic
def seeker_need_create(*, actor: Any, data: dict[str, Any]) -> SeekerNeed:
    """A row of the seekers' list, kept by the origin region's commission staff."""
    scope = scope_for(actor)
    if not (scope.is_staff and scope.covers(data["origin_region"].code)):
        raise _refuse()
    need = SeekerNeed(created_by=actor, **data)
    _clean(need)
    need.save()
    return need


# ------------------------------------------------------------------------------------------------------ training
@transaction.atomic
def class_create(*, actor: Any, data: dict[str, Any]) -> TrainingClass:
    site: Organization = data["site"]
    if not acts_for(actor, Party.of_unit(site)):
        raise _refuse()
    if data["starts_on"] > data["ends_on"]:
        raise ValidationError({"ends_on": _("The class ends before it starts.")})
    klass = TrainingClass(created_by=actor, region=site.region, **data)
    _clean(klass)
    klass.save()
    derived.sync_class(klass=klass, actor=actor)
    return klass


@transaction.atomic
def session_add(*, actor: Any, klass: TrainingClass, data: dict[str, Any]) -> TrainingSession:
    if not selectors.class_manages(user=actor, klass=klass):
        raise _refuse()
    if not klass.starts_on <= data["held_on"] <= klass.ends_on:
        raise ValidationError({"held_on": _("The session is outside the class's dates.")})
    if data["starts_at"] >= data["ends_at"]:
        raise ValidationError({"ends_at": _("The session ends before it starts.")})
    session = TrainingSession(training_class=klass, **data)
    _clean(session, exclude=["training_class"])
    session.save()
    return session


@transaction.atomic
def enrol(*, actor: Any, klass: TrainingClass) -> Enrolment:
    if klass.ends_on < clock.today():
        raise ValidationError({"training_class": _("This class has ended.")})
    if Enrolment.objects.filter(training_class=klass, learner=actor).exists():
        raise ValidationError({"training_class": _("You are already enrolled in this class.")})
    if klass.enrolments.count() >= klass.capacity:
        raise ValidationError({"training_class": _("This class is full.")})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(training_class=klass, learner=actor)
    except IntegrityError as exc:
        raise ValidationError({"training_class": _("You are already enrolled in this class.")}) from exc
    return enrolment


def _check_session_open(session: TrainingSession) -> None:
    today = clock.today()
    if session.training_class.ends_on < today:
        raise ValidationError({"session": _("The class has ended: attendance can no longer be recorded.")})
    if session.held_on > today:
        raise ValidationError({"session": _("This session has not taken place yet.")})


@transaction.atomic
def attend_by_code(*, actor: Any, token: str) -> Attendance:
    """A learner scans the session's QR code: present, if enrolled and the session is today."""
    session = TrainingSession.objects.select_related("training_class").filter(token=token).first()
    if session is None:
        raise ValidationError({"session": _("This code belongs to no session.")})
    enrolment = Enrolment.objects.filter(training_class=session.training_class, learner=actor).first()
    if enrolment is None:
        raise ValidationError({"session": _("You are not enrolled in this class.")})
    _check_session_open(session)
    if session.held_on != clock.today():
        raise ValidationError({"session": _("The code of a session can be scanned only on its day.")})
    attendance, _made = Attendance.objects.get_or_create(
        session=session, enrolment=enrolment, defaults={"method": AttendanceMethod.QR, "recorded_by": actor}
    )
    return attendance


@transaction.atomic
def attendance_mark(*, actor: Any, session: TrainingSession, enrolments: list[Enrolment]) -> int:
    """The teacher marks learners present (those without a phone); returns how many were newly marked."""
    if not selectors.class_manages(user=actor, klass=session.training_class):
        raise _refuse()
    _check_session_open(session)
    made = 0
    for enrolment in enrolments:
        if enrolment.training_class_id != session.training_class_id:
            raise ValidationError({"session": _("A learner is not enrolled in this class.")})
        made += Attendance.objects.get_or_create(
            session=session,
            enrolment=enrolment,
            defaults={"method": AttendanceMethod.TEACHER, "recorded_by": actor},
        )[1]
    return made


def _new_code() -> str:
    for _attempt in range(10):
        code = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(10))
        if not Enrolment.objects.filter(certificate_code=code).exists():
            return code
    raise RuntimeError("no free certificate code")  # pragma: no cover - 32**10 codes


@transaction.atomic
def enrolment_complete(*, actor: Any, enrolment: Enrolment, completed_on: dt.date | None = None) -> Enrolment:
    """The learner completed the class: a certificate with a verification code is issued."""
    klass = enrolment.training_class
    if not selectors.class_manages(user=actor, klass=klass):
        raise _refuse()
    day = completed_on or clock.today()
    if day > clock.today():
        raise ValidationError({"completed_on": _("The completion date is in the future.")})
    if day < klass.starts_on:
        raise ValidationError({"completed_on": _("The completion date is before the class starts.")})
    if enrolment.completed_on:
        raise ValidationError({"completed_on": _("This learner has already completed the class.")})
    if not enrolment.attendances.exists():
        raise ValidationError({"completed_on": _("The learner attended no session.")})
    enrolment.completed_on = day
    enrolment.certificate_code = _new_code()
    enrolment.save(update_fields=["completed_on", "certificate_code"])
    return enrolment


# ---------------------------------------------------------------------------------------------------- volunteers
@transaction.atomic
def team_create(*, actor: Any, data: dict[str, Any], members: Sequence[Any] = ()) -> VolunteerTeam:
    unit = data.get("unit")
    party = Party.of_unit(unit) if unit else Party(region=data["region"].code)
    if not acts_for(actor, party):
        raise _refuse()
    team = VolunteerTeam(**data)
    _clean(team)
    team.save()
    team.members.set([*members, data["leader"]])
    return team


@transaction.atomic
def team_member_add(*, actor: Any, team: VolunteerTeam, member: Any) -> None:
    if not selectors.team_leads(user=actor, team=team):
        raise _refuse()
    if team.members.filter(pk=member.pk).exists():
        raise ValidationError({"login": _("This person is already a member.")})
    team.members.add(member)


MAX_DAY = Decimal(24)


@transaction.atomic
def hours_log(
    *,
    actor: Any,
    team: VolunteerTeam,
    served_on: dt.date,
    hours: Decimal,
    beneficiaries: int,
    description: str,
) -> VolunteerHours:
    """A volunteer logs their own hours; the leader approves or returns them."""
    if not team.members.filter(pk=actor.pk).exists():
        raise _refuse()
    errors: dict[str, str] = {}
    if served_on > clock.today():
        errors["served_on"] = _("The date is in the future.")
    if hours <= 0:
        errors["hours"] = _("Enter the hours served (more than 0).")
    elif hours > MAX_DAY:
        errors["hours"] = _("A day has no more than 24 hours.")
    else:
        logged = (
            VolunteerHours.objects.filter(volunteer=actor, served_on=served_on)
            .exclude(status=HoursStatus.RETURNED)
            .aggregate(total=Sum("hours"))["total"]
            or 0
        )
        if logged + hours > MAX_DAY:
            errors["hours"] = _(
                "With the %(logged)s hours already logged that day this makes more than 24."
            ) % {"logged": logged}
    if not description.strip():
        errors["description"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    entry = VolunteerHours(
        team=team,
        volunteer=actor,
        served_on=served_on,
        hours=hours,
        beneficiaries=beneficiaries,
        description=description.strip(),
    )
    _clean(entry, exclude=["team", "volunteer"])
    entry.save()
    return entry


@transaction.atomic
def hours_decide(*, actor: Any, entry: VolunteerHours, approve: bool, reason: str = "") -> VolunteerHours:
    if not selectors.team_leads(user=actor, team=entry.team):
        raise _refuse()
    if entry.status != HoursStatus.PENDING:
        raise ValidationError(_("These hours have already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"return_reason": _("Say why the hours are returned.")})
    entry.status = HoursStatus.APPROVED if approve else HoursStatus.RETURNED
    entry.return_reason = "" if approve else reason.strip()[:200]
    entry.decided_by = actor
    entry.decided_at = clock.now()
    entry.save()
    if approve:
        derived.sync_volunteer_day(team=entry.team, served_on=entry.served_on, actor=actor)
    return entry


# ------------------------------------------------------------------------------------------------------- cadres
@transaction.atomic
def kinship_pair(*, actor: Any, data: dict[str, Any]) -> KinshipPairing:
    unit = data.get("cadre_unit")
    scope = scope_for(actor)
    allowed = (scope.is_staff and scope.covers(data["region"].code)) or (
        unit is not None and acts_for(actor, Party.of_unit(unit))
    )
    if not allowed:
        raise _refuse()
    if data["paired_on"] > clock.today():
        raise ValidationError({"paired_on": _("The date is in the future.")})
    if KinshipPairing.objects.filter(
        cadre=data["cadre"], household=data["household"], region=data["region"]
    ).exists():
        raise ValidationError({"household": _("This cadre is already paired with this household.")})
    pairing = KinshipPairing(created_by=actor, **data)
    _clean(pairing)
    pairing.save()
    return pairing


@transaction.atomic
def visit_log(
    *, actor: Any, pairing: KinshipPairing, visited_on: dt.date, activities: str, help_given: str = ""
) -> KinshipVisit:
    if not selectors.pairing_acts(user=actor, pairing=pairing):
        raise _refuse()
    if visited_on > clock.today():
        raise ValidationError({"visited_on": _("The date is in the future.")})
    if visited_on < pairing.paired_on:
        raise ValidationError({"visited_on": _("The visit is before the pairing began.")})
    if not activities.strip():
        raise ValidationError({"activities": _("Say what was done.")})
    visit = KinshipVisit(
        pairing=pairing,
        visited_on=visited_on,
        activities=activities.strip(),
        help_given=help_given.strip(),
        created_by=actor,
    )
    _clean(visit, exclude=["pairing"])
    visit.save()
    derived.sync_visit(visit=visit, actor=actor)
    return visit


@transaction.atomic
def aid_record(*, actor: Any, pairing: KinshipPairing, data: dict[str, Any]) -> KinshipAid:
    if not selectors.pairing_acts(user=actor, pairing=pairing):
        raise _refuse()
    if data["given_on"] > clock.today():
        raise ValidationError({"given_on": _("The date is in the future.")})
    if data["kind"] == "money" and not data.get("amount"):
        raise ValidationError({"amount": _("Enter the amount of money given.")})
    if data.get("amount") is not None and data["amount"] <= 0:
        raise ValidationError({"amount": _("The amount must be more than 0.")})
    aid = KinshipAid(pairing=pairing, created_by=actor, **data)
    _clean(aid, exclude=["pairing"])
    aid.save()
    return aid


# ------------------------------------------------------------------------------------------ cancelling (最多报一次)
# Cancelling a fair, a class, a volunteer service day or a cadre visit takes its derived activity out of the
# ledger's statistics (derived.withdraw), in the same transaction as the change of the record itself.


def fair_manages(*, user: Any, fair: JobFair) -> bool:
    if fair.organiser is not None:
        return acts_for(user, Party(region=fair.organiser.region_id, unit=fair.organiser.pk))
    scope = scope_for(user)
    return scope.is_staff and scope.covers(fair.region.code)


@transaction.atomic
def fair_cancel(*, actor: Any, fair: JobFair) -> None:
    """A fair that will not take place (or was entered in error) is removed with its activity."""
    if not fair_manages(user=actor, fair=fair):
        raise _refuse()
    pk = fair.pk
    fair.delete()
    derived.withdraw(kind=derived.JOB_FAIR, ref=pk, actor=actor)


@transaction.atomic
def class_cancel(*, actor: Any, klass: TrainingClass) -> None:
    """A class is cancelled with its sessions, enrolments and attendance — never once a certificate is issued."""
    if not selectors.class_manages(user=actor, klass=klass):
        raise _refuse()
    if klass.enrolments.exclude(certificate_code="").exists():
        raise ValidationError(
            _("Certificates of this class have been issued: it can no longer be cancelled.")
        )
    pk = klass.pk
    klass.delete()
    derived.withdraw(kind=derived.TRAINING_CLASS, ref=pk, actor=actor)


@transaction.atomic
def hours_revoke(*, actor: Any, entry: VolunteerHours, reason: str) -> VolunteerHours:
    """The leader takes back an approval (e.g. the service day did not happen): the entry is returned, and the
    day's activity is withdrawn when no approved hours of that team and day remain."""
    if not selectors.team_leads(user=actor, team=entry.team):
        raise _refuse()
    if entry.status != HoursStatus.APPROVED:
        raise ValidationError(_("Only approved hours can be taken back."))
    if not reason.strip():
        raise ValidationError({"return_reason": _("Say why the hours are returned.")})
    entry.status = HoursStatus.RETURNED
    entry.return_reason = reason.strip()[:200]
    entry.decided_by = actor
    entry.decided_at = clock.now()
    entry.save()
    if entry.team.hours.filter(served_on=entry.served_on, status=HoursStatus.APPROVED).exists():
        derived.sync_volunteer_day(team=entry.team, served_on=entry.served_on, actor=actor)
    else:
        derived.withdraw(
            kind=derived.VOLUNTEER_DAY,
            ref=derived.volunteer_day_ref(entry.team_id, entry.served_on),
            actor=actor,
        )
    return entry


@transaction.atomic
def visit_delete(*, actor: Any, visit: KinshipVisit) -> None:
    """A visit logged in error (or that did not happen) is removed with its activity."""
    if not selectors.pairing_acts(user=actor, pairing=visit.pairing):
        raise _refuse()
    pk = visit.pk
    visit.delete()
    derived.withdraw(kind=derived.CADRE_VISIT, ref=pk, actor=actor)
