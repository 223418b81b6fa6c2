"""Scoped reads of pairings: both sides see a pairing; nobody else does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shiliu.jurisdiction.scope import require_region_in_scope, scope_for, under
from shiliu.lib import clock
from shiliu.orgs.models import Organization

from .models import ActionItem, ActionStatus, Mechanism, Pairing, PairingStatus


def pairing_list(*, user: Any, status: str = "", kind: str = "", query: str = "") -> QuerySet[Pairing]:
    qs = Pairing.objects.visible_to(user).select_related("a_region", "b_region", "a_unit", "b_unit")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if query.strip():
        q = query.strip()
        qs = qs.filter(
            Q(a_unit__name__contains=q)
            | Q(b_unit__name__contains=q)
            | Q(a_region__name__contains=q)
            | Q(b_region__name__contains=q)
        )
    return qs


def pairing_get(*, user: Any, pk: int) -> Pairing:
    try:
        return pairing_list(user=user).get(pk=pk)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def pairing_awaiting(*, user: Any) -> QuerySet[Pairing]:
    """Proposals the user's side must answer."""
    return pairing_list(user=user, status=PairingStatus.PROPOSED).filter(scope_for(user).q("b_region"))


def action_items(*, user: Any, only_open: bool = False) -> QuerySet[ActionItem]:
    """Action items of the pairings the user sees, overdue first."""
    visible = pairing_list(user=user).values("pk")
    qs = ActionItem.objects.filter(pairing__in=visible).select_related("owner", "pairing", "meeting")
    if only_open:
        qs = qs.filter(status=ActionStatus.OPEN)
    return qs.order_by("status", "deadline")


DUE_SOON_DAYS = 3


def action_items_due(*, user: Any, due: str) -> QuerySet[ActionItem]:
    """Open action items that are overdue (``due="overdue"``) or due within three days (``due="soon"``)."""
    today = clock.today()
    qs = action_items(user=user, only_open=True)
    if due == "overdue":
        return qs.filter(deadline__lt=today)
    return qs.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))


def overdue_count(*, user: Any) -> int:
    return action_items(user=user, only_open=True).filter(deadline__lt=clock.today()).count()


def mechanisms() -> QuerySet[Mechanism]:
    return Mechanism.objects.all()


def partner_units(*, pairing: Pairing) -> QuerySet[Organization]:
    """Units either side may name as attendees or owners."""
    # The public unit directory (docs/adr): unit names of the other side are visible to both sides.
    return Organization.objects.filter(
        under("region", pairing.a_region_id) | under("region", pairing.b_region_id), is_active=True
    ).order_by("region_id", "name")


@dataclass
class CoverageRow:
    name: str
    region: str
    kind: str
    partners: list[str]

    @property
    def paired(self) -> bool:
        return bool(self.partners)


@dataclass
class Coverage:
    rows: list[CoverageRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def paired(self) -> int:
        return sum(r.paired for r in self.rows)

    @property
    def percent(self) -> float:
        return 100.0 * self.paired / self.total if self.total else 0.0


def coverage(
    *, user: Any, region: str, kind: str = "", locality: str = "", unit_kind: str = "", subject: str = "units"
) -> Coverage:
    """Which units (or township divisions) in a region have an active pairing, with whom, and the percentage.

    "吐鲁番市农村学校" is region 6504, unit type school, locality rural. "新源县的乡镇" is region 654025 with subject
    ``townships``: the township-level divisions and their region-to-region pairings.
    """
    require_region_in_scope(user, region)
    if subject == "townships":
        return _township_coverage(user=user, region=region, kind=kind)
    units = Organization.objects.visible_to(user).in_region(region).filter(is_active=True)
    if unit_kind:
        units = units.filter(kind=unit_kind)
    if locality:
        units = units.filter(locality=locality)
    units = units.select_related("region").order_by("region_id", "name")
    ids = [u.pk for u in units]
    active = Pairing.objects.filter(status=PairingStatus.ACTIVE).filter(Q(a_unit__in=ids) | Q(b_unit__in=ids))
    if kind:
        active = active.filter(kind=kind)
    partners: dict[int, list[str]] = {pk: [] for pk in ids}
    for p in active.select_related("a_unit", "b_unit"):
        if p.a_unit_id in partners and p.b_unit is not None:
            partners[p.a_unit_id].append(p.b_unit.name)
        if p.b_unit_id in partners and p.a_unit is not None:
            partners[p.b_unit_id].append(p.a_unit.name)
    return Coverage(
        [CoverageRow(u.name, u.region.name, u.get_kind_display(), sorted(partners[u.pk])) for u in units]
    )


def _township_coverage(*, user: Any, region: str, kind: str) -> Coverage:
    from shiliu.regions.models import Level, Region

    scope = scope_for(user)
    if not scope.overlaps(region):
        return Coverage([])
    town_qs = Region.objects.filter(code__startswith=region, level=Level.TOWNSHIP, valid_to__isnull=True)
    if scope.prefix is not None:
        town_qs = town_qs.filter(code__startswith=scope.prefix)
    towns = list(town_qs.order_by("code"))
    codes = [t.code for t in towns]
    active = Pairing.objects.filter(
        status=PairingStatus.ACTIVE, a_unit__isnull=True, b_unit__isnull=True
    ).filter(Q(a_region__in=codes) | Q(b_region__in=codes))
    if kind:
        active = active.filter(kind=kind)
    partners: dict[str, list[str]] = {c: [] for c in codes}
    for p in active.select_related("a_region", "b_region"):
        if p.a_region_id in partners:
            partners[p.a_region_id].append(p.b_region.name)
        if p.b_region_id in partners:
            partners[p.b_region_id].append(p.a_region.name)
    level_label = str(Level.TOWNSHIP.label)
    return Coverage([CoverageRow(t.name, t.code, level_label, sorted(partners[t.code])) for t in towns])
