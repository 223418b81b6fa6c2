"""Writes of the tourism exchange: routes with their stops (photos checked by content), and tour groups, which
either end's commission — or the coordinator who recorded one — may correct or remove."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.tourism.models import RouteStop, StudyRoute, TourGroup
from shiliu.jurisdiction.party import works_in
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.uploads import IMAGES, MAX_PHOTO_BYTES, check_document
from shiliu.regions.models import Region

ROUTE_FIELDS = ("title", "region", "theme", "days", "description", "is_public")
TOUR_FIELDS = (
    "name", "origin_region", "destination_region", "start_date", "end_date", "agency", "size", "minors",
    "minority_members", "route", "note",
)  # fmt: skip


@transaction.atomic
def route_create(
    *, actor: Any, data: Mapping[str, Any], stops: Sequence[Mapping[str, Any]], owner: Any = None
) -> StudyRoute:
    """A route with its stops in order; photos must be real PNG/JPEG images. All or nothing."""
    region: Region = data["region"]
    if not works_in(actor, region.code):
        raise PermissionDenied(_("You can publish routes only in your own jurisdiction."))
    if owner is None and scope_for(actor).is_coordinator:
        owner = actor.organization
    if not stops:
        raise ValidationError({"stops": _("A route needs at least one stop.")})
    errors: dict[str, list[str]] = {}
    for number, stop in enumerate(stops, start=1):
        photo = stop.get("photo")
        if photo:
            try:
                check_document(photo, allowed=IMAGES, field="stops", max_bytes=MAX_PHOTO_BYTES)
            except ValidationError as exc:
                for message in exc.message_dict["stops"]:
                    errors.setdefault("stops", []).append(
                        _("Stop %(n)d: %(message)s") % {"n": number, "message": message}
                    )
    if errors:
        raise ValidationError(errors)
    route = StudyRoute(created_by=actor, created_at=clock.now(), owner=owner)
    for name in ROUTE_FIELDS:
        if name in data:
            setattr(route, name, data[name])
    route.full_clean()
    route.save()
    for number, stop in enumerate(stops, start=1):
        RouteStop.objects.create(
            route=route,
            order=number,
            name=stop["name"],
            region=stop["region"],
            description=stop.get("description", ""),
            photo=stop.get("photo") or "",
        )
    return route


def _check_tour_group(actor: Any, group: TourGroup) -> None:
    errors: dict[str, list[str]] = {}
    if group.start_date and group.end_date and group.end_date < group.start_date:
        errors.setdefault("end_date", []).append(_("The end date is before the start date."))
    for part in ("minors", "minority_members"):
        if (getattr(group, part) or 0) > (group.size or 0):
            errors.setdefault(part, []).append(_("This part cannot be larger than the group."))
    if group.origin_region_id and group.origin_region_id == group.destination_region_id:
        errors.setdefault("destination_region", []).append(_("The destination must differ from the origin."))
    if errors:
        raise ValidationError(errors)
    if not can_change_tour_group(actor, group):
        raise PermissionDenied(_("Record tour groups that leave from or arrive in your jurisdiction."))
    group.pairing = ledger_services.connecting_pairing(group.origin_region_id, group.destination_region_id)
    group.full_clean()


def can_change_tour_group(actor: Any, group: TourGroup) -> bool:
    """Either end's commission may record, correct or remove a tour group; a unit coordinator only their own."""
    if not (works_in(actor, group.origin_region_id) or works_in(actor, group.destination_region_id)):
        return False
    if scope_for(actor).is_coordinator:
        return group.pk is None or group.created_by_id == actor.pk
    return True


@transaction.atomic
def tour_group_record(*, actor: Any, data: Mapping[str, Any]) -> TourGroup:
    """Record a tour group for the actor's end (origin or destination); linked to a pairing when one connects them."""
    group = TourGroup(created_by=actor, created_at=clock.now())
    for name in TOUR_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    _check_tour_group(actor, group)
    group.save()
    return group


@transaction.atomic
def tour_group_update(*, actor: Any, group: TourGroup, data: Mapping[str, Any]) -> TourGroup:
    if not can_change_tour_group(actor, group):
        raise PermissionDenied(_("Record tour groups that leave from or arrive in your jurisdiction."))
    for name in TOUR_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    _check_tour_group(actor, group)
    group.save()
    return group


def tour_group_delete(*, actor: Any, group: TourGroup) -> None:
    if not can_change_tour_group(actor, group):
        raise PermissionDenied(_("Record tour groups that leave from or arrive in your jurisdiction."))
    group.delete()
