"""Writes for pairings. Each service checks the actor's scope, validates, runs in one transaction and leaves
history (PairingEvent) and the audit log (django-auditlog) behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shiliu.accounts.models import User
from shiliu.accounts.selectors import commission_staff_over
from shiliu.jurisdiction.party import staff_covers
from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.bounds import check_fields
from shiliu.lib.uploads import check_document
from shiliu.notifications.services import notifications_settle, notify
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region
from shiliu.runtime.services import submission_claim, submission_record

from .models import (
    DUPLICATE_MESSAGE,
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    Agreement,
    JointMeeting,
    Mechanism,
    Pairing,
    PairingEvent,
    PairingStatus,
)


def _staff_sides(actor: Any, pairing: Pairing) -> set[str]:
    """The sides (a, b) of the pairing whose commission the actor is: pairings are the commissions' business, so a
    unit pairing's own coordinators do not act for it."""
    return {side for side in "ab" if staff_covers(actor, getattr(pairing, f"{side}_region_id"))}


def pairing_actions(*, actor: Any, pairing: Pairing) -> frozenset[str]:
    """What the actor may do with the pairing: ``answer`` a proposal (side B's commission), ``manage`` it (either
    side's commission: agreements, meetings, action items, pause/resume/end). Pages only show these."""
    sides = _staff_sides(actor, pairing)
    actions: set[str] = set()
    if sides:
        actions.add("manage")
    if pairing.status == PairingStatus.PROPOSED and "b" in sides:
        actions.add("answer")
    return frozenset(actions)


def _require_side(actor: Any, pairing: Pairing, *, sides: str = "ab") -> None:
    if not _staff_sides(actor, pairing) & set(sides):
        raise PermissionDenied(_("Only commission staff of a side of this pairing may do this."))


def _event(pairing: Pairing, actor: Any, status: str, reason: str = "") -> None:
    PairingEvent.objects.create(
        pairing=pairing, status=status, actor=actor, reason=reason[:300], at=clock.now()
    )


def _duplicate(
    a_region: Region, a_unit: Organization | None, b_region: Region, b_unit: Organization | None, kind: str
) -> bool:
    def side(prefix: str, region: Region, unit: Organization | None) -> Q:
        return (
            Q(**{f"{prefix}_unit": unit})
            if unit
            else Q(**{f"{prefix}_region": region, f"{prefix}_unit__isnull": True})
        )

    same = side("a", a_region, a_unit) & side("b", b_region, b_unit)
    swapped = side("a", b_region, b_unit) & side("b", a_region, a_unit)
    return Pairing.objects.filter(same | swapped, kind=kind, status__in=OPEN_STATUSES).exists()


@transaction.atomic
def pairing_propose(
    *,
    actor: Any,
    kind: str,
    a_region: Region,
    b_region: Region,
    a_unit: Organization | None = None,
    b_unit: Organization | None = None,
    parent: Pairing | None = None,
    note: str = "",
    activate: bool = False,
) -> Pairing:
    """Propose a pairing from side A (inside the actor's jurisdiction) to side B, which must accept it.

    ``activate`` skips acceptance when the actor's jurisdiction covers both sides (a commission pairing its own
    units, as in the optimal-pairing proposal).
    """
    if a_unit is not None:
        a_region = a_unit.region
    if b_unit is not None:
        b_region = b_unit.region
    if not staff_covers(actor, a_region.code):
        raise PermissionDenied(_("Side A must lie in your jurisdiction."))
    errors: dict[str, str] = {}
    if (a_unit is None) != (b_unit is None):
        errors["b_unit"] = _("Pair a unit with a unit, or a region with a region.")
    elif a_unit is not None and a_unit.pk == b_unit.pk:  # type: ignore[union-attr]
        errors["b_unit"] = _("A unit cannot be paired with itself.")
    elif a_unit is None and a_region.code == b_region.code:
        errors["b_region"] = _("A region cannot be paired with itself.")
    if (a_unit is not None and not a_unit.is_active) or (b_unit is not None and not b_unit.is_active):
        errors["b_unit"] = _("Inactive units cannot be paired.")
    if parent is not None:
        if parent.status != PairingStatus.ACTIVE or parent.is_unit_pairing:
            errors["parent"] = _("A unit pairing can only sit under an active region pairing.")
        elif not _across(a_region.code, b_region.code, parent):
            errors["parent"] = _("Both units must lie in the regions of the pairing above.")
    if not errors and _duplicate(a_region, a_unit, b_region, b_unit, kind):
        errors["b_region"] = str(DUPLICATE_MESSAGE)
    if errors:
        raise ValidationError(errors)
    both_covered = staff_covers(actor, b_region.code)
    pairing = Pairing(
        kind=kind,
        a_region=a_region,
        a_unit=a_unit,
        b_region=b_region,
        b_unit=b_unit,
        parent=parent,
        note=note,
        proposed_by=actor,
        proposed_at=clock.now(),
    )
    if activate and both_covered:
        pairing.status = PairingStatus.ACTIVE
        pairing.started_on = clock.today()
    pairing.full_clean()
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError as exc:  # the same proposal, sent at the same moment, committed first
        if "_open_once" not in str(exc):
            raise
        raise ValidationError({"b_region": str(DUPLICATE_MESSAGE)}) from exc
    _event(pairing, actor, pairing.status)
    if pairing.status == PairingStatus.PROPOSED:
        notify(
            recipients=commission_staff_over(b_region.code),
            text=_("New pairing proposal: %(pairing)s") % {"pairing": pairing},
            link=f"/pairings/{pairing.pk}/",
            key=f"pairing-proposed-{pairing.pk}",
            kind="pairing_proposal",
            target_id=pairing.pk,
        )
    return pairing


@transaction.atomic
def pairings_create_many(
    *,
    actor: Any,
    kind: str,
    pairs: Sequence[tuple[Organization, Organization]],
    max_per_a: int | None = None,
    token: str = "",
    link: str = "",
) -> list[Pairing]:
    """Create the pairs of an optimal-pairing proposal at once (创建这些结对): all of them, or none.

    The places are checked again here, under row locks on the group-B units, whatever the form sent: a group-B
    unit gets one partner of its type, a group-A unit no more than ``max_per_a`` (its existing partners counted),
    no unit is paired with itself and no pair comes twice either way round. A confirmation page edited by hand,
    or two tabs with different solutions, gave a rural school a second partner.

    ``token`` comes from the proposal's form: sending the same form again raises
    :class:`~shiliu.runtime.services.AlreadySubmitted` and creates nothing (the solver would otherwise find the next-best
    pairs, as the first ones now exist, and create as many again).
    """
    claim = submission_claim(user=actor, token=token)
    _check_places(pairs, max_per_a=max_per_a)
    created = [
        pairing_propose(
            actor=actor, kind=kind, a_region=a.region, a_unit=a, b_region=b.region, b_unit=b, activate=True
        )
        for a, b in pairs
    ]
    submission_record(
        claim,
        summary=ngettext("%(n)d pairing was created.", "%(n)d pairings were created.", len(created))
        % {"n": len(created)},
        link=link,
    )
    return created


def _check_places(pairs: Sequence[tuple[Organization, Organization]], *, max_per_a: int | None) -> None:
    from .proposal import existing_partners

    b_ids = sorted({b.pk for _a, b in pairs})
    list(Organization.objects.select_for_update().filter(pk__in=b_ids).order_by("pk").values_list("pk"))
    seen: set[frozenset[int]] = set()
    new_for_a: dict[int, int] = {}
    new_for_b: dict[int, int] = {}
    for a, b in pairs:
        pair = frozenset((a.pk, b.pk))
        if a.pk == b.pk or pair in seen:
            raise ValidationError(
                _("%(a)s and %(b)s are proposed twice or with themselves: choose groups that do not overlap.")
                % {"a": a.name, "b": b.name}
            )
        seen.add(pair)
        new_for_a[a.pk] = new_for_a.get(a.pk, 0) + 1
        new_for_b[b.pk] = new_for_b.get(b.pk, 0) + 1
    units = {u.pk: u for pair in pairs for u in pair}
    partners = existing_partners(list(units.values()))
    for b_id, n in new_for_b.items():
        if n > 1 or partners[b_id]:
            raise ValidationError(
                _("%(unit)s already has a partner of its type: it gets no second one.")
                % {"unit": units[b_id].name}
            )
    if max_per_a is not None:
        for a_id, n in new_for_a.items():
            if len(partners[a_id]) + n > max_per_a:
                raise ValidationError(
                    _("%(unit)s would have more than %(n)d partners.")
                    % {"unit": units[a_id].name, "n": max_per_a}
                )


def _across(a_code: str, b_code: str, parent: Pairing) -> bool:
    """One side lies in the parent's region A and the other in its region B (either way round)."""
    pa, pb = parent.a_region_id, parent.b_region_id
    return (a_code.startswith(pa) and b_code.startswith(pb)) or (
        a_code.startswith(pb) and b_code.startswith(pa)
    )


def _locked(pairing: Pairing) -> Pairing:
    return Pairing.objects.select_for_update().get(pk=pairing.pk)


@transaction.atomic
def pairing_respond(*, actor: Any, pairing: Pairing, accept: bool, reason: str = "") -> Pairing:
    """Side B accepts or declines a proposal; declining needs a reason."""
    pairing = _locked(pairing)
    _require_side(actor, pairing, sides="b")
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("This pairing is no longer awaiting an answer."))
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for declining.")})
    pairing.status = PairingStatus.ACTIVE if accept else PairingStatus.DECLINED
    if accept:
        pairing.started_on = clock.today()
    pairing.save(update_fields=["status", "started_on"])
    _event(pairing, actor, pairing.status, reason)
    notify(
        recipients=commission_staff_over(pairing.a_region_id),
        text=(_("Pairing accepted: %(pairing)s") if accept else _("Pairing declined: %(pairing)s"))
        % {"pairing": pairing},
        link=f"/pairings/{pairing.pk}/",
        key=f"pairing-answered-{pairing.pk}",
        kind="pairing_answer",
        target_id=pairing.pk,
    )
    notifications_settle(kind="pairing_proposal", target_id=pairing.pk)
    return pairing


@transaction.atomic
def pairing_change_status(
    *, actor: Any, pairing: Pairing, status: str, reason: str, on: dt.date | None = None
) -> Pairing:
    """Pause, resume or end a pairing (either side). Pausing and ending need a reason; history stays."""
    pairing = _locked(pairing)
    _require_side(actor, pairing)
    allowed = {
        PairingStatus.PAUSED: (PairingStatus.ACTIVE,),
        PairingStatus.ACTIVE: (PairingStatus.PAUSED,),
        PairingStatus.ENDED: (PairingStatus.ACTIVE, PairingStatus.PAUSED),
    }
    if status not in allowed or pairing.status not in allowed[status]:  # type: ignore[index]
        raise ValidationError(_("This change is not possible from the pairing's current status."))
    if status != PairingStatus.ACTIVE and not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    day = on or clock.today()
    if status == PairingStatus.ENDED:
        if pairing.started_on and day < pairing.started_on:
            raise ValidationError({"on": _("A pairing cannot end before it started.")})
        pairing.ended_on = day
        try:
            check_fields(pairing, "ended_on")
        except ValidationError as exc:
            raise ValidationError({"on": exc.message_dict["ended_on"]}) from exc
    pairing.status = status
    pairing.save(update_fields=["status", "ended_on"])
    _event(pairing, actor, status, reason)
    return pairing


def _require_active(pairing: Pairing) -> None:
    if pairing.status != PairingStatus.ACTIVE:
        raise ValidationError(_("Only an active pairing can take agreements, meetings and decisions."))


@transaction.atomic
def agreement_record(
    *,
    actor: Any,
    pairing: Pairing,
    title: str,
    signed_on: dt.date,
    term_start: dt.date,
    term_end: dt.date | None = None,
    document: Any = None,
    mechanisms: Iterable[Mechanism] = (),
    custom_mechanisms: Sequence[str] = (),
    a_contact: str = "",
    b_contact: str = "",
) -> Agreement:
    """Record a signed cooperation agreement with its mechanisms (standard ones and custom ones)."""
    _require_side(actor, pairing)
    _require_active(pairing)
    if document is not None:
        check_document(document)
    if signed_on > clock.today():
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    agreement = Agreement(
        pairing=pairing,
        title=title,
        signed_on=signed_on,
        term_start=term_start,
        term_end=term_end,
        a_contact=a_contact,
        b_contact=b_contact,
        created_at=clock.now(),
    )
    if document is not None:
        agreement.document = document
    agreement.full_clean()
    agreement.save()
    extra = [
        Mechanism.objects.get_or_create(name=name.strip()[:40])[0]
        for name in custom_mechanisms
        if name.strip()
    ]
    agreement.mechanisms.set([*mechanisms, *extra])
    return agreement


@transaction.atomic
def meeting_schedule(
    *,
    actor: Any,
    pairing: Pairing,
    title: str,
    held_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    attendees: Iterable[Organization] = (),
    agenda: str = "",
    minutes: str = "",
) -> JointMeeting:
    _require_side(actor, pairing)
    _require_active(pairing)
    attendees = list(attendees)
    outside = [u.name for u in attendees if not _in_pairing_regions(u, pairing)]
    if outside:
        raise ValidationError(
            {"attendees": _("These units are not on either side: %(names)s") % {"names": "、".join(outside)}}
        )
    if not place and not online_link:
        raise ValidationError({"place": _("Give a place or an online link.")})
    meeting = JointMeeting(
        pairing=pairing,
        title=title,
        held_at=held_at,
        place=place,
        online_link=online_link,
        agenda=agenda,
        minutes=minutes,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_update_minutes(*, actor: Any, meeting: JointMeeting, minutes: str) -> JointMeeting:
    _require_side(actor, meeting.pairing)
    meeting.minutes = minutes
    check_fields(meeting, "minutes")
    meeting.save(update_fields=["minutes"])
    return meeting


def _in_pairing_regions(unit: Organization, pairing: Pairing) -> bool:
    return unit.region_id.startswith(pairing.a_region_id) or unit.region_id.startswith(pairing.b_region_id)


@transaction.atomic
def action_item_add(
    *, actor: Any, meeting: JointMeeting, title: str, owner: Organization, deadline: dt.date
) -> ActionItem:
    """Record a decision of a meeting as an action item owned by a unit of either side."""
    pairing = meeting.pairing
    _require_side(actor, pairing)
    _require_active(pairing)
    errors = {}
    if deadline < clock.today():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if not _in_pairing_regions(owner, pairing):
        errors["owner"] = _("The owner must be a unit of either side of the pairing.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem(meeting=meeting, pairing=pairing, title=title, owner=owner, deadline=deadline)
    item.full_clean()
    item.save()
    notify(
        recipients=_owners(item),
        text=_("New action item for %(unit)s: %(title)s, due %(deadline)s")
        % {"unit": owner.name, "title": title, "deadline": deadline},
        link=f"/pairings/{pairing.pk}/",
        key=f"action-new-{item.pk}",
        kind="action_item",
        target_id=item.pk,
    )
    return item


def _owners(item: ActionItem) -> list[User]:
    coordinators = list(
        User.objects.filter(role=Role.UNIT_COORDINATOR, organization=item.owner, is_active=True)
    )
    return coordinators + commission_staff_over(item.owner.region_id)


@transaction.atomic
def action_item_set_status(*, actor: Any, item: ActionItem, status: str) -> ActionItem:
    item = ActionItem.objects.select_for_update().select_related("pairing").get(pk=item.pk)
    scope = scope_for(actor)
    own_unit = scope.role == Role.UNIT_COORDINATOR and scope.unit_id == item.owner_id
    if not own_unit:
        _require_side(actor, item.pairing)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == item.status:  # a second "done" would move the day it was done
        raise ValidationError(
            _("This action item is already “%(status)s”.") % {"status": item.get_status_display()}
        )
    item.status = status
    item.done_on = clock.today() if status == ActionStatus.DONE else None
    item.save(update_fields=["status", "done_on"])
    if status != ActionStatus.OPEN:
        notifications_settle(kind="action_item", target_id=item.pk)
    return item


REMIND_BEFORE_DAYS = 3


def action_items_remind(*, on: dt.date | None = None) -> int:
    """Remind owners of open action items due within three days, and of those overdue.

    Idempotent: each reminder has a key with the deadline, so each item is reminded once that it is due soon and
    once that it is overdue (again only if its deadline moves), however often this runs. Ranges, not exact days: a
    day the worker did not run must not swallow a reminder.
    """
    day = on or clock.today()
    sent = 0
    soon = ActionItem.objects.filter(
        status=ActionStatus.OPEN,
        deadline__gte=day,
        deadline__lte=day + dt.timedelta(days=REMIND_BEFORE_DAYS),
    )
    late = ActionItem.objects.filter(status=ActionStatus.OPEN, deadline__lt=day)
    for item in soon.select_related("owner", "pairing"):
        sent += notify(
            recipients=_owners(item),
            text=_("Action item for %(unit)s: %(title)s, due %(deadline)s")
            % {"title": item.title, "unit": item.owner.name, "deadline": item.deadline},
            link=f"/pairings/{item.pairing_id}/",
            key=f"action-soon-{item.pk}-{item.deadline}",
            kind="action_item",
            target_id=item.pk,
        )
    for item in late.select_related("owner", "pairing"):
        sent += notify(
            recipients=_owners(item),
            text=_("Overdue since %(deadline)s: %(title)s (%(unit)s)")
            % {"deadline": item.deadline, "title": item.title, "unit": item.owner.name},
            link=f"/pairings/{item.pairing_id}/",
            key=f"action-late-{item.pk}-{item.deadline}",
            kind="action_item",
            target_id=item.pk,
        )
    return sent
