"""Reads of the exchange menu: the one visibility rule for offers and packages, and a user's bookings.

Who sees an offer: units of regions that have an active pairing with the host's region (at any level: a 扬州 school's
offer is seen in 新源县 when 扬州市↔新源县 is paired), or everybody working in the records when the offer is public."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shiliu.exchanges.menu.models import Booking, Offer, Package
from shiliu.jurisdiction.scope import scope_for, under
from shiliu.lib.panels import Panel
from shiliu.pairings.models import Pairing, PairingStatus
from shiliu.regions.models import code_and_ancestors


def partner_prefixes(region_code: str) -> list[str]:
    """Regions paired (actively) with this region or any region above it."""
    ancestors = code_and_ancestors(region_code)
    out: list[str] = []
    for a, b in (
        Pairing.objects.filter(status=PairingStatus.ACTIVE)
        .filter(Q(a_region__in=ancestors) | Q(b_region__in=ancestors))
        .values_list("a_region_id", "b_region_id")
    ):
        out.append(b if a in ancestors else a)
    return out


def _visible_hosts_q(user: Any) -> Q:
    """The one rule for offers and packages, on the menu pages and the API alike."""
    scope = scope_for(user)
    if not scope.reads_records:
        return Q(pk__in=[])  # residents and anonymous users: not even public offers (the menu is for units)
    if scope.prefix is None:
        return Q()
    q = Q(is_public=True) | under("host__region", scope.prefix)
    for prefix in partner_prefixes(scope.prefix):
        q |= under("host__region", prefix)
    return q


def offers_visible(
    *, user: Any, query: str = "", plan: str = "", activity_type: int | None = None
) -> QuerySet[Offer]:
    qs = (
        Offer.objects.filter(is_active=True)
        .filter(_visible_hosts_q(user))
        .select_related("host", "host__region", "activity_type")
    )
    if query.strip():
        from shiliu.regions.pinyin import normalise_query

        needle = normalise_query(query)
        qs = qs.filter(
            Q(title__contains=query.strip())
            | Q(host__name__contains=query.strip())
            | Q(host__pinyin__contains=needle)
        )
    if plan in ("embedding", "youth", "tourism"):
        qs = qs.filter(**{f"plan_{plan}": True})
    if activity_type:
        qs = qs.filter(activity_type_id=activity_type)
    return qs


def packages_visible(*, user: Any) -> QuerySet[Package]:
    return (
        Package.objects.filter(is_active=True)
        .filter(_visible_hosts_q(user))
        .select_related("host", "host__region")
        .prefetch_related("offers")
    )


def bookings_for(*, user: Any) -> tuple[QuerySet[Booking], QuerySet[Booking]]:
    """(incoming, outgoing): bookings of the user's units' offers, and bookings the user's units made."""
    scope = scope_for(user)
    base = Booking.objects.select_related(
        "offer__host", "package__host", "guest", "activity"
    ).prefetch_related("package__offers")
    if not scope.reads_records:
        return base.none(), base.none()
    if scope.prefix is None:
        return base.all(), base.none()
    if scope.is_coordinator:
        unit = scope.unit_id
        incoming = base.filter(Q(offer__host_id=unit) | Q(package__host_id=unit))
        return incoming, base.filter(guest_id=unit)
    if not scope.reads_records:
        return base.none(), base.none()
    return base.filter(scope.q("offer__host__region", "package__host__region")), base.filter(
        scope.q("guest__region")
    )


def route_offers_panel(user: Any, route: Any) -> Panel:
    """The study route page's list of offers on the route: only those the reader may open (registered with
    ``tourism.panels.route_panels``; the page itself cannot know the menu's visibility rule)."""
    return Panel(
        "exchanges/_route_offers_panel.html", {"offers": offers_visible(user=user).filter(route=route)}
    )
