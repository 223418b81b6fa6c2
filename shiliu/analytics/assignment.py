"""Capacity-constrained assignment: who pairs with whom, at least total cost.

Used by pairings ("each urban school at most 2 rural partners, each rural school exactly 1") and by pen-pal
matching (1:1, or 1:2 when classes differ in size).

Formulation: rows (e.g. rural schools) each need exactly ``demand[i]`` distinct partners; columns (urban schools)
take at most ``capacity[j]``; ``cost[i, j]`` is finite where the pair is allowed (``np.inf`` forbids it, e.g. an
existing pairing). Minimise the total cost.

Why this solver: when no pair can be chosen twice (every demand is 1, or every capacity is 1), the problem is a
rectangular linear assignment on capacity-expanded slots, solved exactly by scipy's
``linear_sum_assignment`` (shortest augmenting path, C implementation, already a dependency): a 2,000 × 5,000
instance takes well under a second (bench/RESULTS.md). When both sides take several partners, slot expansion could
pick the same pair twice, so the transportation LP (x_ij ∈ [0, 1]) is solved with HiGHS through
``scipy.optimize.linprog``; its constraint matrix is a bipartite incidence matrix, totally unimodular, so the optimal
vertex is integral. networkx's min-cost flow would also be exact but is pure Python; OR-Tools would add a large
binary dependency for no gain here.

Infeasible requests report by how much: the shortfall is total demand minus the largest number of pairs any
assignment can make (a maximum flow), e.g. "short of 12 places".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment, linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import maximum_flow


class InfeasibleAssignmentError(ValueError):
    """Not every demand can be met; ``shortfall`` says how many places are missing."""

    def __init__(self, shortfall: int, demand: int) -> None:
        self.shortfall = shortfall
        self.demand = demand
        super().__init__(
            f"short of {shortfall} places: at most {demand - shortfall} of the {demand} requested pairs can be made"
        )


@dataclass(frozen=True)
class Assignment:
    pairs: list[tuple[int, int]]  # (row, column), locked pairs included
    costs: NDArray[np.float64]  # cost of each pair, same order
    total_cost: float
    solver: str

    def partners_of_row(self, row: int) -> list[int]:
        return [j for i, j in self.pairs if i == row]

    def load_of_column(self, column: int) -> int:
        return sum(1 for _i, j in self.pairs if j == column)


def _validate(
    cost: ArrayLike, demand: ArrayLike | None, capacity: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.int_], NDArray[np.int_]]:
    c = np.asarray(cost, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("cost must be a 2-D matrix (rows × columns)")
    if np.isnan(c).any() or np.isneginf(c).any():
        raise ValueError("costs must be finite numbers, or +inf to forbid a pair")
    d = np.ones(c.shape[0], dtype=int) if demand is None else np.asarray(demand, dtype=int)
    cap = np.broadcast_to(np.asarray(capacity, dtype=int), (c.shape[1],)).copy()
    if d.shape != (c.shape[0],):
        raise ValueError("demand needs one value per row")
    if np.any(d < 0) or np.any(cap < 0):
        raise ValueError("demands and capacities must not be negative")
    return c, d, cap


def max_pairs(cost: ArrayLike, demand: ArrayLike | None, capacity: ArrayLike) -> int:
    """The largest number of pairs any assignment can make (maximum flow source → rows → columns → sink)."""
    c, d, cap = _validate(cost, demand, capacity)
    n, m = c.shape
    rows, cols = np.nonzero(np.isfinite(c))
    source, sink = n + m, n + m + 1
    tails = np.concatenate([np.full(n, source), rows, n + np.arange(m)])
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, sink)])
    caps = np.concatenate([d, np.ones(rows.size, dtype=int), cap]).astype(np.int32)
    graph = csr_matrix(coo_matrix((caps, (tails, heads)), shape=(n + m + 2, n + m + 2)))
    return int(maximum_flow(graph, source, sink).flow_value)


def assign(
    cost: ArrayLike,
    *,
    capacity: ArrayLike,
    demand: ArrayLike | None = None,
    locked: Iterable[tuple[int, int]] = (),
) -> Assignment:
    """Minimum-cost assignment meeting every row's demand within the columns' capacities.

    ``locked`` pairs are kept as they are (they use up demand and capacity); to remove a proposed pair and
    re-solve, set its cost to ``np.inf``. Raises :class:`InfeasibleAssignmentError` with the shortfall when the
    demand cannot be met.
    """
    c, d, cap = _validate(cost, demand, capacity)
    fixed = sorted(set(locked))
    for i, j in fixed:
        if not (0 <= i < c.shape[0] and 0 <= j < c.shape[1]):
            raise ValueError(f"locked pair {(i, j)} is outside the matrix")
        d[i] -= 1
        cap[j] -= 1
        if d[i] < 0 or cap[j] < 0:
            raise ValueError(f"locked pair {(i, j)} exceeds a demand or capacity")
    c = c.copy()
    for i, j in fixed:
        c[i, j] = np.inf  # a locked pair cannot be chosen a second time
    total = int(d.sum())
    possible = max_pairs(c, d, cap) if total else 0
    if possible < total:
        raise InfeasibleAssignmentError(total - possible, total + len(fixed))

    if total == 0:
        pairs: list[tuple[int, int]] = []
        solver = "none"
    elif d.max() <= 1 or cap.max() <= 1:
        pairs = _by_slots(c, d, cap)
        solver = "linear_sum_assignment"
    else:
        pairs = _by_lp(c, d, cap)
        solver = "highs-lp"
    all_pairs = sorted(fixed + pairs)
    base = np.asarray(cost, dtype=np.float64)
    costs = np.array([base[i, j] for i, j in all_pairs])
    return Assignment(all_pairs, costs, float(costs.sum()), solver)


def _by_slots(c: NDArray[np.float64], d: NDArray[np.int_], cap: NDArray[np.int_]) -> list[tuple[int, int]]:
    rows = np.repeat(np.arange(c.shape[0]), d)
    cols = np.repeat(np.arange(c.shape[1]), cap)
    slots = c[np.ix_(rows, cols)]
    # Forbidden pairs get a cost above any feasible total, so the solver only uses them if it must (it cannot:
    # feasibility was checked by maximum flow).
    finite = slots[np.isfinite(slots)]
    big = (np.abs(finite).sum() + 1.0) * 2 if finite.size else 1.0
    slots = np.where(np.isfinite(slots), slots, big)
    r, k = linear_sum_assignment(slots)
    return sorted((int(rows[a]), int(cols[b])) for a, b in zip(r, k, strict=True))


def _by_lp(c: NDArray[np.float64], d: NDArray[np.int_], cap: NDArray[np.int_]) -> list[tuple[int, int]]:
    n, m = c.shape
    ri, cj = np.nonzero(np.isfinite(c))
    v = ri.size
    var = np.arange(v)
    a_eq = coo_matrix((np.ones(v), (ri, var)), shape=(n, v))
    a_ub = coo_matrix((np.ones(v), (cj, var)), shape=(m, v))
    result = linprog(c[ri, cj], A_ub=a_ub, b_ub=cap, A_eq=a_eq, b_eq=d, bounds=(0, 1), method="highs-ds")
    if result.status != 0:  # pragma: no cover - feasibility was established by maximum flow
        raise RuntimeError(f"the LP solver failed: {result.message}")
    chosen = np.flatnonzero(result.x > 0.5)
    return sorted((int(ri[k]), int(cj[k])) for k in chosen)
