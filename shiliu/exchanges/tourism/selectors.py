"""Reads of the tourism exchange: routes (those in the jurisdiction and every public one), tour groups, and the
visitor flows origin → destination rolled up to province, prefecture or county."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q

from shiliu.exchanges.tourism.models import StudyRoute, TourGroup
from shiliu.jurisdiction.scope import require_region_in_scope, scope_for, viewer_for
from shiliu.jurisdiction.suppression import inside_owning_party, owns_all
from shiliu.regions.models import Region


def routes_visible(user: Any) -> Any:
    """Routes in the user's jurisdiction, plus every public route."""
    if not scope_for(user).reads_records:
        return StudyRoute.objects.none()
    return (
        (StudyRoute.objects.visible_to(user) | StudyRoute.objects.filter(is_public=True))
        .distinct()
        .select_related("region", "owner")
    )


def tour_groups_visible(user: Any) -> Any:
    return TourGroup.objects.visible_to(user).select_related("origin_region", "destination_region", "route")


def _parties(origin: str, destination: str) -> list[tuple[str, None]]:
    return [(origin, None), (destination, None)]


def composition_shown(user: Any, group: TourGroup) -> bool:
    """May the user see how many of a group are minors or from ethnic minorities? Only inside its origin or its
    destination (commission staff there); a coordinator of a unit, outside both, sees the group and its size
    but not who is in it: "3 of them under 18" in a group of a named school is a small cell about children.
    Whoever recorded the group sees what they entered."""
    if group.created_by_id == getattr(user, "pk", None):
        return True
    return inside_owning_party(
        viewer_for(user), _parties(group.origin_region_id, group.destination_region_id)
    )


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
    totals: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"groups": 0, "visitors": 0, "minors": 0}
    )
    groups = list(qs.values_list("origin_region_id", "destination_region_id", "size", "minors"))
    # Minors are counted only for a reader inside every group's origin or destination; for anyone else the column
    # is withheld whole (its cells, summed at another level or period, would give a group's small count back).
    exact = owns_all(viewer_for(user), (_parties(o, d) for o, d, _s, _m in groups))
    for origin, destination, size, minors in groups:
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
    if not exact:
        for flow in flows:
            flow["minors"] = None
    return sorted(flows, key=lambda f: (-f["visitors"], f["origin"], f["destination"]))
