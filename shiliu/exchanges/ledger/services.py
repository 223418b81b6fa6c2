"""Writes to the activity ledger: record, submit, confirm (or correct and confirm), edit, cancel, evidence.

Who may act for a side is the jurisdiction layer's ``acts_for``: commission staff whose jurisdiction covers that
side's region, or the coordinator of that side's unit. The other side confirms; an edit after confirmation sends
the activity back for re-confirmation. :func:`activity_actions` says which of these a user may take now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shiliu.accounts.selectors import commission_staff_over
from shiliu.exchanges.ledger.changes import activities_changed
from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    Evidence,
    EvidenceKind,
    Participation,
    Side,
)
from shiliu.jurisdiction.party import Party, acts_for, sides_for, staff_covers
from shiliu.lib import clock
from shiliu.lib.uploads import IMAGES, check_document
from shiliu.notifications.services import notifications_settle, notify
from shiliu.pairings.models import Pairing, PairingStatus
from shiliu.regions.models import code_and_ancestors

ACTIVITY_FIELDS = (
    "title", "activity_type", "plan_embedding", "plan_youth", "plan_tourism", "start_date", "end_date", "place",
    "sending_region", "sending_unit", "receiving_region", "receiving_unit", "pairing", "summary",
)  # fmt: skip


def sides_of(actor: Any, activity: Activity) -> list[str]:
    """The sides of the activity (sending, receiving) the actor speaks for."""
    return sides_for(actor, activity, (Side.SENDING, Side.RECEIVING))


def activity_actions(*, actor: Any, activity: Activity) -> frozenset[str]:
    """What the actor may do with the activity now: ``edit`` and ``submit`` (the recording side), ``confirm`` (the
    other side, once submitted), ``cancel`` and ``add_evidence`` (either side). Pages only show these."""
    if activity.status == ActivityStatus.CANCELLED or activity.is_derived:
        return frozenset()  # a derived activity changes with its source record only (ledger.derived)
    sides = sides_of(actor, activity)
    actions: set[str] = set()
    if activity.recorded_by_side in sides:
        actions.add("edit")
        if activity.status == ActivityStatus.DRAFT:
            actions.add("submit")
    if activity.other_side in sides and activity.status == ActivityStatus.SUBMITTED:
        actions.add("confirm")
    if sides:
        actions |= {"cancel", "add_evidence"}
    return frozenset(actions)


def connecting_pairings(
    first: str,
    second: str,
    pairing_id: int | None = None,
    units: tuple[int | None, int | None] = (None, None),
) -> list[Pairing]:
    """The active pairings whose two sides hold the two division codes (either way round), best first.

    A unit pairing counts only for its own two units, and is preferred when it is theirs; otherwise the region
    pairing (the closest, i.e. the longest codes) comes first.
    """
    candidates = Pairing.objects.filter(status=PairingStatus.ACTIVE).select_related("a_region", "b_region")
    if pairing_id:
        candidates = candidates.filter(pk=pairing_id)
    codes = code_and_ancestors(first) + code_and_ancestors(second)
    found: list[tuple[int, Pairing]] = []
    for p in candidates.filter(Q(a_region__in=codes) | Q(b_region__in=codes)):
        forward = first.startswith(p.a_region_id) and second.startswith(p.b_region_id)
        backward = first.startswith(p.b_region_id) and second.startswith(p.a_region_id)
        if not (forward or backward):
            continue
        if p.a_unit_id or p.b_unit_id:
            pair = {p.a_unit_id, p.b_unit_id}
            if pair != set(units):
                continue
            found.append((100, p))
        else:
            found.append((len(p.a_region_id) + len(p.b_region_id), p))
    return [p for _rank, p in sorted(found, key=lambda f: (f[0], f[1].pk), reverse=True)]


def connecting_pairing(
    first: str,
    second: str,
    pairing_id: int | None = None,
    units: tuple[int | None, int | None] = (None, None),
) -> Pairing | None:
    """The best active pairing connecting the two parties (:func:`connecting_pairings`), or None."""
    found = connecting_pairings(first, second, pairing_id, units)
    return found[0] if found else None


def _validate(
    actor: Any,
    activity: Activity,
    rows: Sequence[Mapping[str, Any]],
    pairing_cache: dict[Any, Pairing | None] | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    for side in ("sending", "receiving"):
        unit = getattr(activity, f"{side}_unit")
        if unit is not None:
            setattr(activity, f"{side}_region", unit.region)
    if (
        activity.sending_region_id == activity.receiving_region_id
        and activity.sending_unit_id == activity.receiving_unit_id
    ):
        errors.setdefault("receiving_region", []).append(_("The sending and receiving parties must differ."))
    if not activity.has_plan:
        errors.setdefault("plan_youth", []).append(_("Choose at least one of the Three Plans."))
    if activity.start_date and activity.end_date and activity.end_date < activity.start_date:
        errors.setdefault("end_date", []).append(_("The end date is before the start date."))
    both_mine = staff_covers(actor, activity.sending_region_id) and staff_covers(
        actor, activity.receiving_region_id
    )
    if not errors and not both_mine:
        parties = (
            activity.sending_region_id,
            activity.receiving_region_id,
            activity.pairing_id,
            (activity.sending_unit_id, activity.receiving_unit_id),
        )
        if pairing_cache is not None and parties in pairing_cache:
            pairing = pairing_cache[parties]
        else:
            pairing = connecting_pairing(*parties[:3], units=parties[3])
            if pairing_cache is not None:  # an import checks many activities between few pairs of parties
                pairing_cache[parties] = pairing
        if pairing is None:
            # Said of the party outside the actor's own side: the one that lacks a pairing with it.
            own = sides_of(actor, activity)
            missing = "sending_region" if own == [Side.RECEIVING] else "receiving_region"
            errors.setdefault(missing, []).append(
                _("No active pairing connects the two parties: record exchanges between paired sides.")
            )
        elif activity.pairing_id is None:
            activity.pairing = pairing
    seen = set()
    for number, row in enumerate(rows, start=1):
        count = row.get("count")
        if not isinstance(count, int) or count < 1 or count > MAX_COUNT:
            errors.setdefault("participations", []).append(
                _("Row %(row)d: the number must be between 1 and %(max)d.")
                % {"row": number, "max": MAX_COUNT}
            )
        key = (
            row.get("category"),
            getattr(row.get("ethnic_group"), "pk", row.get("ethnic_group")),
            row.get("age_band"),
            row.get("gender"),
        )
        if key in seen:
            errors.setdefault("participations", []).append(
                _("Row %(row)d repeats an earlier row; add the numbers up.") % {"row": number}
            )
        seen.add(key)
    if errors:
        raise ValidationError(errors)


def _participation(activity: Activity, row: Mapping[str, Any]) -> Participation:
    return Participation(
        activity=activity,
        category=row["category"],
        ethnic_group=row["ethnic_group"],
        age_band=row["age_band"],
        gender=row.get("gender") or "u",
        count=row["count"],
    )


def _write_rows(activity: Activity, rows: Iterable[Mapping[str, Any]]) -> None:
    activity.participations.all().delete()
    Participation.objects.bulk_create(_participation(activity, row) for row in rows)


def activity_prepare(
    *,
    actor: Any,
    data: Mapping[str, Any],
    participations: Sequence[Mapping[str, Any]],
    submit: bool = True,
    pairing_cache: dict[Any, Pairing | None] | None = None,
) -> Activity:
    """The activity as :func:`activity_record` would save it, checked but not written.

    Submitted activities wait for the other side; when the actor speaks for both sides (a commission recording an
    exchange inside its own jurisdiction) the activity is confirmed at once.
    """
    activity = Activity(created_by=actor, created_at=clock.now())
    for field in ACTIVITY_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    _validate(actor, activity, participations, pairing_cache)
    # The fields' own bounds (dates within the window, lengths) for every entry point, the import included, which
    # writes in bulk without full_clean. Relations are checked by _validate and the lookups that found them.
    activity.clean_fields(
        exclude=[f.name for f in Activity._meta.fields if f.is_relation or f.name not in ACTIVITY_FIELDS]
    )
    sides = sides_of(actor, activity)
    if not sides:
        raise PermissionDenied(_("You can record activities only for your own side."))
    activity.recorded_by_side = sides[0]
    activity.status = ActivityStatus.SUBMITTED if submit else ActivityStatus.DRAFT
    if submit and len(sides) == 2:
        activity.status, activity.confirmed_by, activity.confirmed_at = (
            ActivityStatus.CONFIRMED,
            actor,
            clock.now(),
        )
    return activity


@transaction.atomic
def activity_record(
    *, actor: Any, data: Mapping[str, Any], participations: Sequence[Mapping[str, Any]], submit: bool = True
) -> Activity:
    """Record an activity for the actor's side; submitted activities wait for the other side's confirmation."""
    activity = activity_prepare(actor=actor, data=data, participations=participations, submit=submit)
    activity.full_clean()
    activity.save()
    _write_rows(activity, participations)
    if activity.status == ActivityStatus.SUBMITTED:
        _ask_confirmation(activity)
    activities_changed([activity.pk])
    return activity


@transaction.atomic
def activities_record_many(
    *, actor: Any, prepared: Sequence[tuple[Activity, Sequence[Mapping[str, Any]]]], key: str
) -> list[Activity]:
    """Write many prepared activities at once (the historical import): bulk inserts, and one notification per
    other side instead of one per activity. ``key`` makes the notifications idempotent."""
    activities = Activity.objects.bulk_create([a for a, _rows in prepared], batch_size=500)
    Participation.objects.bulk_create(
        (
            _participation(activity, row)
            for activity, (_a, rows) in zip(activities, prepared, strict=True)
            for row in rows
        ),
        batch_size=2000,
    )
    activities_changed([a.pk for a in activities])
    waiting: dict[str, int] = {}
    for a in activities:
        if a.status == ActivityStatus.SUBMITTED:
            region = getattr(a, f"{a.other_side}_region_id")
            waiting[region] = waiting.get(region, 0) + 1
    for region, n in waiting.items():
        notify(
            recipients=commission_staff_over(region),
            text=ngettext(
                "%(n)d imported activity awaits your confirmation",
                "%(n)d imported activities await your confirmation",
                n,
            )
            % {"n": n},
            link="/exchanges/?status=submitted",
            key=f"{key}-{region}",
        )
    return activities


def _refuse_derived(activity: Activity) -> None:
    if activity.is_derived:
        raise PermissionDenied(
            _("This activity was derived from another record; change that record instead.")
        )


def _ask_confirmation(activity: Activity) -> None:
    side = activity.other_side
    notify(
        recipients=commission_staff_over(getattr(activity, f"{side}_region_id")),
        text=_("Please confirm the activity “%(title)s”") % {"title": activity.title},
        link=f"/exchanges/{activity.pk}/",
        key=f"activity-confirm-{activity.pk}-v{activity.version}",
        kind="activity_confirm",
        target_id=activity.pk,
    )


@transaction.atomic
def activity_update(
    *, actor: Any, activity: Activity, data: Mapping[str, Any], participations: Sequence[Mapping[str, Any]]
) -> Activity:
    """Edit by the recording side. A confirmed activity goes back to the other side for re-confirmation."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_derived(activity)
    if (
        not acts_for(actor, Party.of(activity, activity.recorded_by_side))
        or activity.status == ActivityStatus.CANCELLED
    ):
        raise PermissionDenied(_("Only the recording side can edit this activity."))
    was_confirmed = activity.status == ActivityStatus.CONFIRMED
    for field in ACTIVITY_FIELDS:
        if field in data:
            setattr(activity, field, data[field])
    _validate(actor, activity, participations)
    if was_confirmed:
        activity.status, activity.confirmed_by, activity.confirmed_at = ActivityStatus.SUBMITTED, None, None
        activity.version += 1
    activity.full_clean()
    activity.save()
    _write_rows(activity, participations)
    if activity.status == ActivityStatus.SUBMITTED:
        _ask_confirmation(activity)
    activities_changed([activity.pk])
    return activity


@transaction.atomic
def activity_submit(*, actor: Any, activity: Activity) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_derived(activity)
    if activity.status != ActivityStatus.DRAFT or not acts_for(
        actor, Party.of(activity, activity.recorded_by_side)
    ):
        raise ValidationError(_("Only a draft can be submitted, by the side that recorded it."))
    activity.status = ActivityStatus.SUBMITTED
    activity.save(update_fields=["status"])
    _ask_confirmation(activity)
    return activity


@transaction.atomic
def activity_confirm(
    *, actor: Any, activity: Activity, corrections: Sequence[Mapping[str, Any]] | None = None
) -> Activity:
    """The other side confirms, optionally correcting the participant counts first."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_derived(activity)
    if activity.status != ActivityStatus.SUBMITTED:
        raise ValidationError(_("This activity is not awaiting confirmation."))
    if not acts_for(actor, Party.of(activity, activity.other_side)):
        raise PermissionDenied(_("Only the other side can confirm this activity."))
    if corrections is not None:
        _validate(actor, activity, corrections)
        _write_rows(activity, corrections)
    activity.status, activity.confirmed_by, activity.confirmed_at = (
        ActivityStatus.CONFIRMED,
        actor,
        clock.now(),
    )
    activity.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    notifications_settle(kind="activity_confirm", target_id=activity.pk)
    activities_changed([activity.pk])
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity: Activity, reason: str) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _refuse_derived(activity)
    if not sides_of(actor, activity):
        raise PermissionDenied(_("Only the two sides can cancel this activity."))
    if activity.status == ActivityStatus.CANCELLED:  # the first reason stands
        raise ValidationError(
            _("This activity has already been cancelled (reason: %(reason)s).")
            % {"reason": activity.cancel_reason}
        )
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Give a reason.")})
    activity.status, activity.cancel_reason = ActivityStatus.CANCELLED, reason.strip()[:200]
    activity.save(update_fields=["status", "cancel_reason"])
    activities_changed([activity.pk])
    return activity


def evidence_add(
    *, actor: Any, activity: Activity, kind: str, file: Any = None, url: str = "", caption: str = ""
) -> Evidence:
    """A photo (PNG/JPEG), a document (PDF or .xlsx) or a link, added by either side."""
    _refuse_derived(activity)
    if activity.status == ActivityStatus.CANCELLED or not sides_of(actor, activity):
        raise PermissionDenied(_("Only the two sides can add evidence to this activity."))
    if kind == EvidenceKind.LINK:
        if not url:
            raise ValidationError({"url": _("Give the link.")})
        file = None
    else:
        if not file:
            raise ValidationError({"file": _("Choose a file to upload.")})
        allowed = IMAGES if kind == EvidenceKind.PHOTO else {"pdf", "xlsx"}
        check_document(file, allowed=allowed, field="file")
        url = ""
    evidence = Evidence(
        activity=activity,
        kind=kind,
        url=url,
        caption=caption.strip()[:120],
        uploaded_by=actor,
        created_at=clock.now(),
    )
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    return evidence


def evidence_remove(*, actor: Any, evidence: Evidence) -> None:
    if evidence.uploaded_by_id != actor.pk and not sides_of(actor, evidence.activity):
        raise PermissionDenied(_("Only the two sides can remove evidence."))
    evidence.file.delete(save=False)
    evidence.delete()
