"""Derived activities (最多报一次): exchange activities that another module's records already describe.

A job fair, a training class, a volunteer service, a cadre's visit or a lecture of the embedding plan is an exchange
activity too; the commission must not type it into the ledger a second time. The module that owns the record
writes it here through :func:`derive_activity` (idempotent on the record's ``(kind, ref)``) and removes it with
:func:`withdraw_derived`. The statistics count a derived activity like any confirmed one, attributed to its two
parties; the ledger shows it with a link to its source and never edits, confirms or cancels it itself.

Upper modules register each kind from their ``AppConfig.ready()`` with :func:`register_source` (a label and a
function giving the source record's URL), so the ledger can name and link a source it cannot import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from shiliu.exchanges.ledger.changes import activities_changed
from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    ActivityType,
    Participation,
    Plan,
    Side,
)
from shiliu.exchanges.ledger.services import connecting_pairing
from shiliu.lib import clock
from shiliu.orgs.models import Organization
from shiliu.pairings.models import Pairing
from shiliu.regions.models import Region


@dataclass(frozen=True)
class Source:
    kind: str
    label: str | Promise
    url_for: Callable[[str], str | None]


_SOURCES: dict[str, Source] = {}


def register_source(kind: str, label: str | Promise, url_for: Callable[[str], str | None]) -> None:
    """Name a kind of source record (e.g. ``"job_fair"``, "招聘会") and how to link one of them."""
    if not kind or len(kind) > Activity._meta.get_field("source_kind").max_length:  # type: ignore[operator]
        raise ValueError(f"source kind {kind!r} must be 1–30 characters")
    _SOURCES[kind] = Source(kind, label, url_for)


def source_of(activity: Activity) -> tuple[str, str | None] | None:
    """``(label, url)`` of a derived activity's source record, or None for an activity typed into the ledger."""
    if not activity.source_kind:
        return None
    source = _SOURCES.get(activity.source_kind)
    if source is None:  # the module that wrote it is not installed: still say it was derived
        return activity.source_kind, None
    return str(source.label), source.url_for(activity.source_ref)


@dataclass(frozen=True)
class DerivedParticipation:
    category: str
    ethnic_group: Any  # an EthnicGroup or its primary key
    age_band: str
    count: int
    gender: str = "u"


def _check(
    *,
    start_date: date,
    end_date: date,
    plans: Iterable[str],
    participations: Sequence[DerivedParticipation],
) -> None:
    errors: dict[str, list[str]] = {}
    if end_date < start_date:
        errors.setdefault("end_date", []).append(_("The end date is before the start date."))
    if not set(plans) & {Plan.EMBEDDING, Plan.YOUTH, Plan.TOURISM}:
        errors.setdefault("plan_youth", []).append(_("Choose at least one of the Three Plans."))
    seen = set()
    for number, row in enumerate(participations, start=1):
        if not isinstance(row.count, int) or not 1 <= row.count <= MAX_COUNT:
            errors.setdefault("participations", []).append(
                _("Row %(row)d: the number must be between 1 and %(max)d.")
                % {"row": number, "max": MAX_COUNT}
            )
        key = (row.category, getattr(row.ethnic_group, "pk", row.ethnic_group), row.age_band, row.gender)
        if key in seen:
            errors.setdefault("participations", []).append(
                _("Row %(row)d repeats an earlier row; add the numbers up.") % {"row": number}
            )
        seen.add(key)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def derive_activity(
    *,
    kind: str,
    ref: str | int,
    actor: Any,
    title: str,
    activity_type: ActivityType,
    start_date: date,
    end_date: date,
    plans: Iterable[str],
    sending_region: Region,
    receiving_region: Region,
    sending_unit: Organization | None = None,
    receiving_unit: Organization | None = None,
    pairing: Pairing | None = None,
    place: str = "",
    summary: str = "",
    participations: Sequence[DerivedParticipation] = (),
) -> Activity:
    """Create or update the activity derived from the record ``(kind, ref)`` and replace its participants.

    The activity is confirmed at once (its source record is the evidence, kept by the module that owns it) and is
    recorded for the receiving side (the host of the fair, class or visit). A pairing connecting the two parties is
    found when none is given; parties without one are still counted (a class for the host's own residents)."""
    if kind not in _SOURCES:
        raise ValueError(f"source kind {kind!r} is not registered")
    ref = str(ref)
    plans = set(plans)
    _check(start_date=start_date, end_date=end_date, plans=plans, participations=participations)
    if sending_unit is not None:
        sending_region = sending_unit.region
    if receiving_unit is not None:
        receiving_region = receiving_unit.region
    if pairing is None and sending_region.pk != receiving_region.pk:
        units = (getattr(sending_unit, "pk", None), getattr(receiving_unit, "pk", None))
        pairing = connecting_pairing(sending_region.pk, receiving_region.pk, None, units=units)
    activity = Activity.objects.select_for_update().filter(source_kind=kind, source_ref=ref).first()
    now = clock.now()
    if activity is None:
        activity = Activity(source_kind=kind, source_ref=ref, created_by=actor, created_at=now)
    else:
        activity.version += 1
    activity.title = title[: Activity._meta.get_field("title").max_length]  # type: ignore[misc]
    activity.activity_type = activity_type
    activity.start_date, activity.end_date = start_date, end_date
    activity.plan_embedding = Plan.EMBEDDING in plans
    activity.plan_youth = Plan.YOUTH in plans
    activity.plan_tourism = Plan.TOURISM in plans
    activity.sending_region, activity.sending_unit = sending_region, sending_unit
    activity.receiving_region, activity.receiving_unit = receiving_region, receiving_unit
    activity.pairing = pairing
    activity.place = place[: Activity._meta.get_field("place").max_length]  # type: ignore[misc]
    activity.summary = summary
    activity.recorded_by_side = Side.RECEIVING
    activity.status, activity.confirmed_by, activity.confirmed_at = ActivityStatus.CONFIRMED, actor, now
    activity.cancel_reason = ""
    activity.full_clean(exclude=["created_by", "confirmed_by"])
    activity.save()
    activity.participations.all().delete()
    Participation.objects.bulk_create(
        Participation(
            activity=activity,
            category=row.category,
            ethnic_group_id=getattr(row.ethnic_group, "pk", row.ethnic_group),
            age_band=row.age_band,
            gender=row.gender or "u",
            count=row.count,
        )
        for row in participations
    )
    activities_changed([activity.pk])  # the analytics tables count it like any confirmed activity
    return activity


@transaction.atomic
def withdraw_derived(*, kind: str, ref: str | int, actor: Any) -> bool:
    """Remove the activity derived from ``(kind, ref)`` (its source was cancelled or deleted). True if one was
    removed. The deletion is audited like any other (the actor is the request's or the task's)."""
    found = list(Activity.objects.filter(source_kind=kind, source_ref=str(ref)).values_list("pk", flat=True))
    deleted, _rows = Activity.objects.filter(pk__in=found).delete()
    activities_changed(found)
    return bool(deleted)
