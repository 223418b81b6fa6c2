"""Routing: category × region → the responsible unit, by the configured :class:`RoutingRule` rows.

For a request in a community, the rules of the community's region and of every region above it are candidates; the
most specific region wins, and within a region a rule for the category wins over the region's default (no category).
A transfer may only go to a unit some rule names (a unit "no rule knows" is refused) or to a commission.
"""

from __future__ import annotations

from django.db.models import Q

from shiliu.orgs.models import Organization
from shiliu.regions.models import code_and_ancestors

from .models import RoutingRule


def route(*, category: str, region_code: str) -> Organization | None:
    """The unit responsible for a request of ``category`` in the region ``region_code`` (None: no rule)."""
    codes = code_and_ancestors(region_code)
    rules = list(
        RoutingRule.objects.filter(region_id__in=codes, category__in=[category, ""]).select_related("unit")
    )
    if not rules:
        return None
    rules.sort(key=lambda r: (-len(r.region_id), r.category == ""))
    return rules[0].unit


def known_unit_q() -> Q:
    return Q(pk__in=RoutingRule.objects.values("unit_id"))


def is_known_unit(unit: Organization) -> bool:
    return RoutingRule.objects.filter(unit=unit).exists()
