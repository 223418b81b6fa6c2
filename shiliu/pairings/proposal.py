"""Optimal pairing proposals: pair the units of group A with those of group B at least cost.

"Pair 吐鲁番市's 44 urban schools with its 83 rural schools, each urban school at most 2 rural partners, each rural
school exactly 1." The cost of a pair adds up, with weights the staff member can change:

* stage mismatch — 1 if both are schools of different stages (a primary school with a senior school), else 0;
* size difference — |ln(size_a / size_b)|, so 600 vs 1,200 students costs the same as 300 vs 600;
* distance — how far apart the units' divisions are in the division tree (same township 0, same county 1/4,
  same prefecture 2/4, same province 3/4, else 1). The division data carry no coordinates, so the tree is the
  distance we have; replace it with travel times when they exist.

Existing pairings count. A unit's open pairings (proposed, active or paused) with units of the same type use up its
places: a group-B unit that has a partner gets no new one, and a group-A unit takes at most the number given minus
the partners it has. The staff member chooses whether the existing pairs between the two groups are also listed
(as kept pairs, never created again) or only counted. Without this, running the proposal again after creating its
pairings proposed a second partner for every school. The solver is :mod:`shiliu.analytics.assignment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils.translation import gettext as _

from shiliu.analytics.assignment import Assignment, InfeasibleAssignmentError, assign
from shiliu.jurisdiction.scope import under
from shiliu.orgs.models import Organization

from .models import OPEN_STATUSES, Pairing


@dataclass(frozen=True)
class Weights:
    stage: float = 1.0
    size: float = 1.0
    distance: float = 1.0


@dataclass
class ProposedPair:
    a: Organization  # capacity side (e.g. urban school)
    b: Organization  # demand side (e.g. rural school)
    cost: float
    reasons: list[str]
    locked: bool = False
    existing: bool = False  # an open pairing already joins them: listed, never created again


EXISTING_COUNT = "count"
EXISTING_LOCKED = "locked"


@dataclass
class Proposal:
    pairs: list[ProposedPair] = field(default_factory=list)
    total_cost: float = 0.0
    shortfall: int = 0
    message: str = ""
    already_paired: int = 0  # group-B units that already have a partner (they get no new one)
    places_used: int = 0  # places of group-A units taken by their existing partners

    @property
    def new_pairs(self) -> list[ProposedPair]:
        return [p for p in self.pairs if not p.existing]


def existing_partners(units: list[Organization]) -> dict[int, set[int]]:
    """Each unit's partners of the same type in open pairings (proposed, active or paused)."""
    ids = [u.pk for u in units]
    partners: dict[int, set[int]] = {pk: set() for pk in ids}
    rows = (
        Pairing.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(a_unit__in=ids) | Q(b_unit__in=ids))
        .values_list("a_unit_id", "a_unit__kind", "b_unit_id", "b_unit__kind")
    )
    kinds = {u.pk: u.kind for u in units}
    for a_id, a_kind, b_id, b_kind in rows:
        if a_id in partners and b_kind == kinds[a_id]:
            partners[a_id].add(b_id)
        if b_id in partners and a_kind == kinds[b_id]:
            partners[b_id].add(a_id)
    return partners


def _tree_distance(a: str, b: str) -> float:
    for level, length in enumerate((9, 6, 4, 2)):
        if a[:length] == b[:length] and len(a) >= length and len(b) >= length:
            return level / 4
    return 1.0


def pair_costs(
    a_units: list[Organization], b_units: list[Organization], weights: Weights
) -> tuple[np.ndarray, list[list[list[str]]]]:
    """The cost matrix (rows = B units, columns = A units) and the reasons behind each cost."""
    n, m = len(b_units), len(a_units)
    cost = np.zeros((n, m))
    reasons: list[list[list[str]]] = [[[] for _ in range(m)] for _ in range(n)]
    existing = set(
        Pairing.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(a_unit__in=a_units + b_units) | Q(b_unit__in=a_units + b_units))
        .values_list("a_unit_id", "b_unit_id")
    )
    for i, b in enumerate(b_units):
        for j, a in enumerate(a_units):
            if (a.pk, b.pk) in existing or (b.pk, a.pk) in existing or a.pk == b.pk:
                cost[i, j] = np.inf
                continue
            why = reasons[i][j]
            if a.stage and b.stage and a.stage != b.stage:
                cost[i, j] += weights.stage
                why.append(_("different stages"))
            elif a.stage and a.stage == b.stage:
                why.append(_("same stage"))
            if a.headcount and b.headcount:
                gap = abs(np.log(a.headcount / b.headcount))
                cost[i, j] += weights.size * gap
                why.append(_("sizes %(a)d / %(b)d") % {"a": a.headcount, "b": b.headcount})
            d = _tree_distance(a.region_id, b.region_id)
            cost[i, j] += weights.distance * d
            why.append(
                {
                    0.0: _("same township"),
                    0.25: _("same county"),
                    0.5: _("same prefecture"),
                    0.75: _("same province"),
                }.get(d, _("different provinces"))
            )
    return cost, reasons


def propose(
    *,
    a_units: list[Organization],
    b_units: list[Organization],
    max_per_a: int,
    weights: Weights = Weights(),
    removed: set[tuple[int, int]] | None = None,
    locked: set[tuple[int, int]] | None = None,
    existing: str = EXISTING_COUNT,
) -> Proposal:
    """Solve; ``removed`` and ``locked`` are (a_id, b_id) pairs the staff member struck out or kept.

    Existing open pairings count against the units' places (see the module docstring); with ``existing="locked"``
    the existing pairs between the two groups are listed too, marked as existing.
    """
    if not a_units or not b_units:
        return Proposal(message=_("Both groups need at least one unit."))
    shared = {u.pk for u in a_units} & {u.pk for u in b_units}
    if shared:
        return Proposal(
            message=_(
                "The two groups share %(n)d units, which would be proposed as each other's partners: choose groups "
                "that do not overlap (another region, or urban and rural)."
            )
            % {"n": len(shared)}
        )
    partners = existing_partners(a_units + b_units)
    a_ids = {u.pk for u in a_units}
    already = [u for u in b_units if partners[u.pk]]
    kept = [
        ProposedPair(a=a, b=b, cost=0.0, reasons=[_("existing pairing")], locked=True, existing=True)
        for b in already
        for a in a_units
        if a.pk in partners[b.pk] and a.pk in a_ids
    ]
    info: dict[str, Any] = {
        "already_paired": len(already),
        "places_used": sum(min(len(partners[a.pk]), max_per_a) for a in a_units),
    }
    listed = kept if existing == EXISTING_LOCKED else []
    b_units = [u for u in b_units if not partners[u.pk]]
    if not b_units:
        return Proposal(
            pairs=listed,
            message=_("Every group-B unit already has a partner: there is nothing to propose."),
            **info,
        )
    capacity = np.array([max(0, max_per_a - len(partners[a.pk])) for a in a_units], dtype=int)
    cost, reasons = pair_costs(a_units, b_units, weights)
    a_index = {u.pk: j for j, u in enumerate(a_units)}
    b_index = {u.pk: i for i, u in enumerate(b_units)}
    for a_id, b_id in removed or set():
        if a_id in a_index and b_id in b_index:
            cost[b_index[b_id], a_index[a_id]] = np.inf
    keep = [(b_index[b], a_index[a]) for a, b in (locked or set()) if a in a_index and b in b_index]
    try:
        result: Assignment = assign(cost, capacity=capacity, locked=keep)
    except InfeasibleAssignmentError as exc:
        return Proposal(
            pairs=listed,
            shortfall=exc.shortfall,
            message=_(
                "Not enough places: short of %(n)d. Raise the number of partners per unit, or remove fewer pairs."
            )
            % {"n": exc.shortfall},
            **info,
        )
    except ValueError as exc:
        return Proposal(pairs=listed, message=str(exc), **info)
    locked_set = set(keep)
    pairs = [
        ProposedPair(
            a=a_units[j],
            b=b_units[i],
            cost=float(cost[i, j]) if (i, j) not in locked_set else float(c),
            reasons=reasons[i][j],
            locked=(i, j) in locked_set,
        )
        for (i, j), c in zip(result.pairs, result.costs, strict=True)
    ]
    return Proposal(pairs=listed + pairs, total_cost=result.total_cost, **info)


def units_for(*, user: Any, region: str, unit_kind: str, locality: str = "") -> list[Organization]:
    qs = Organization.objects.editable_by(user).filter(
        under("region", region), kind=unit_kind, is_active=True
    )
    if locality:
        qs = qs.filter(locality=locality)
    return list(qs.order_by("region_id", "name"))
