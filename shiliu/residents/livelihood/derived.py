"""Counted once (最多报一次): job fairs, training classes, volunteer service days and cadre visits become activities
of the embedding plan in the exchanges ledger, derived from these records — never typed in twice.

Every call to the ledger's interface (``shiliu.exchanges.ledger.derived``) is in this module. The activity is
confirmed at once and attributed to its two parties: the workers' origin region (or the host itself) sends, the host
(the fair's region, the training site, the team, the household's village) receives.

Person-times are not derived: the ledger counts participants by ethnic group, and these records do not hold the
ethnic group of the people in them (a job-seeker's account, a learner's, a volunteer's carry none), so the derived
activity counts as one batch (批次) with no participation rows rather than with invented ones. The module's own
statistics give the people counted (applications, 人次 of attendance, people served, households visited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.derived import derive_activity, register_source, withdraw_derived
from shiliu.exchanges.ledger.models import ActivityType, Plan

from .models import JobFair, KinshipVisit, TrainingClass, VolunteerTeam

JOB_FAIR = "job_fair"
TRAINING_CLASS = "training_class"
VOLUNTEER_DAY = "volunteer_day"
CADRE_VISIT = "cadre_visit"

# The ledger's activity types these records are (培训班 is seeded by the ledger; the others are added when first used).
TYPES = {
    JOB_FAIR: ("招聘会", "Job fair"),
    TRAINING_CLASS: ("培训班", "Training class"),
    VOLUNTEER_DAY: ("志愿服务", "Volunteer service"),
    CADRE_VISIT: ("结对认亲走访", "Cadre–family visit"),
}


def _type(kind: str) -> ActivityType:
    name, name_en = TYPES[kind]
    found, _made = ActivityType.objects.get_or_create(name=name, defaults={"name_en": name_en, "order": 60})
    return found


def _visit_url(ref: str) -> str | None:
    pairing_id = (
        KinshipVisit.objects.filter(pk=ref).values_list("pairing_id", flat=True).first()
        if ref.isdigit()
        else None
    )
    return reverse("livelihood:pairing", args=[pairing_id]) if pairing_id else None


def register() -> None:
    """Called from the app's ``ready()``: the ledger names and links each kind of source."""
    register_source(
        JOB_FAIR, _("Job fair"), lambda ref: reverse("livelihood:fair", args=[ref]) if ref.isdigit() else None
    )
    register_source(
        TRAINING_CLASS,
        _("Training class"),
        lambda ref: reverse("livelihood:class", args=[ref]) if ref.isdigit() else None,
    )
    register_source(
        VOLUNTEER_DAY,
        _("Volunteer service"),
        lambda ref: (
            reverse("livelihood:team", args=[ref.split(":")[0]]) if ref.split(":")[0].isdigit() else None
        ),
    )
    register_source(CADRE_VISIT, _("Cadre–family visit"), _visit_url)


def sync_fair(*, fair: JobFair, actor: Any) -> None:
    derive_activity(
        kind=JOB_FAIR,
        ref=fair.pk,
        actor=actor,
        title=fair.title,
        activity_type=_type(JOB_FAIR),
        start_date=fair.held_on,
        end_date=fair.held_on,
        plans={Plan.EMBEDDING},
        sending_region=fair.origin_region or fair.region,
        receiving_region=fair.region,
        receiving_unit=fair.organiser,
        place=fair.place,
        summary=str(_("Job fair: %(n)d employers.")) % {"n": fair.employers.count()},
    )


def sync_class(*, klass: TrainingClass, actor: Any) -> None:
    derive_activity(
        kind=TRAINING_CLASS,
        ref=klass.pk,
        actor=actor,
        title=klass.title,
        activity_type=_type(TRAINING_CLASS),
        start_date=klass.starts_on,
        end_date=klass.ends_on,
        plans={Plan.EMBEDDING},
        sending_region=klass.origin_region or klass.region,
        receiving_region=klass.region,
        receiving_unit=klass.site,
        place=klass.site.name,
        summary=klass.get_kind_display(),
    )


def sync_volunteer_day(*, team: VolunteerTeam, served_on: dt.date, actor: Any) -> None:
    """One activity per team and day with approved hours (the day's service, however many entries it has)."""
    derive_activity(
        kind=VOLUNTEER_DAY,
        ref=f"{team.pk}:{served_on.isoformat()}",
        actor=actor,
        title=f"{team.name} {served_on.isoformat()}",
        activity_type=_type(VOLUNTEER_DAY),
        start_date=served_on,
        end_date=served_on,
        plans={Plan.EMBEDDING},
        sending_region=team.region,
        receiving_region=team.region,
        sending_unit=team.unit,
        receiving_unit=team.unit,
    )


def sync_visit(*, visit: KinshipVisit, actor: Any) -> None:
    pairing = visit.pairing
    cadre_region = (
        pairing.cadre_unit.region if pairing.cadre_unit else (pairing.cadre.region or pairing.region)
    )
    derive_activity(
        kind=CADRE_VISIT,
        ref=visit.pk,
        actor=actor,
        title=str(_("Cadre visit to %(household)s")) % {"household": pairing.household},
        activity_type=_type(CADRE_VISIT),
        start_date=visit.visited_on,
        end_date=visit.visited_on,
        plans={Plan.EMBEDDING},
        sending_region=cadre_region,
        receiving_region=pairing.region,
        sending_unit=pairing.cadre_unit,
        summary=visit.activities,
    )


def withdraw(*, kind: str, ref: Any, actor: Any) -> None:
    """The source was cancelled or deleted: its derived activity leaves the statistics (the one place that calls
    the ledger's ``withdraw_derived``)."""
    withdraw_derived(kind=kind, ref=ref, actor=actor)


def volunteer_day_ref(team_id: int, served_on: dt.date) -> str:
    return f"{team_id}:{served_on.isoformat()}"
