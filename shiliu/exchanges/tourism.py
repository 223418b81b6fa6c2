"""Tourism exchange: study routes (ordered stops) and tour groups, and the visitor flows they add up to.

A route belongs to a region (and optionally a unit); public routes are visible to every region, so that a school in
扬州 can find 新源's 研学 route. A tour group is recorded by either end (origin or destination); the flows count
groups and visitors from origin to destination, rolled up to province, prefecture or county.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from shiliu.jurisdiction.party import works_in
from shiliu.jurisdiction.scope import require_region_in_scope, scope_for
from shiliu.lib import clock
from shiliu.lib.uploads import IMAGES, MAX_PHOTO_BYTES, check_document
from shiliu.regions.models import Region

from . import services
from .models import RouteStop, StudyRoute, TourGroup

ROUTE_FIELDS = ("title", "region", "theme", "days", "description", "is_public")
TOUR_FIELDS = (
    "name", "origin_region", "destination_region", "start_date", "end_date", "agency", "size", "minors",
    "minority_members", "route", "note",
)  # fmt: skip


def routes_visible(user: Any) -> Any:
    """Routes in the user's jurisdiction, plus every public route."""
    if not scope_for(user).reads_records:
        return StudyRoute.objects.none()
    return (
        (StudyRoute.objects.visible_to(user) | StudyRoute.objects.filter(is_public=True))
        .distinct()
        .select_related("region", "owner")
    )


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
    group.pairing = services.connecting_pairing(group.origin_region_id, group.destination_region_id)
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


def tour_groups_visible(user: Any) -> Any:
    return TourGroup.objects.visible_to(user).select_related("origin_region", "destination_region", "route")


def visitor_flows(
    *,
    user: Any,
    level: int = 4,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    region: str = "",
) -> list[dict[str, Any]]:
    """Groups and visitors from origin to destination, rolled up to codes of ``level`` digits, largest first;
    with ``region`` (in the user's jurisdiction), only groups leaving from or arriving in it."""
    qs = tour_groups_visible(user)
    if region:
        require_region_in_scope(user, region)
        qs = qs.filter(
            Q(origin_region__code__startswith=region) | Q(destination_region__code__startswith=region)
        )
    if date_from:
        qs = qs.filter(start_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"groups": 0, "visitors": 0, "minors": 0}
    )
    for origin, destination, size, minors in qs.values_list(
        "origin_region_id", "destination_region_id", "size", "minors"
    ):
        cell = totals[(origin[:level], destination[:level])]
        cell["groups"] += 1
        cell["visitors"] += size
        cell["minors"] += minors
    names = dict(
        Region.objects.filter(code__in={c for pair in totals for c in pair}).values_list("code", "name")
    )
    flows = [
        {
            "origin": o,
            "origin_name": names.get(o, o),
            "destination": d,
            "destination_name": names.get(d, d),
            **cell,
        }
        for (o, d), cell in totals.items()
        if o != d
    ]
    return sorted(flows, key=lambda f: (-f["visitors"], f["origin"], f["destination"]))
