"""Reads of the tourism exchange: routes (those in the jurisdiction and every public one), tour groups, and the
visitor flows origin → destination rolled up to province, prefecture or county."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q

from shiliu.exchanges.tourism.models import StudyRoute, TourGroup
from shiliu.jurisdiction.scope import require_region_in_scope, scope_for
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
