"""Benchmark of shiliu.analytics.assignment on a 2,000 × 5,000 instance with capacities.

    .venv/bin/python bench/bench_assignment.py

2,000 rows (e.g. rural schools, each needing exactly one partner) and 5,000 columns (urban schools taking 1–3
each), costs from grade match, size and distance, 2 % of pairs forbidden (existing pairings). Baseline: the same
problem as a min-cost flow in networkx (network simplex), on a 200 × 500 slice because the full one is too slow.
"""

from __future__ import annotations

import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shiliu.analytics.assignment import assign  # noqa: E402


def instance(rows: int, cols: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    grade_gap = np.abs(rng.integers(1, 13, size=(rows, 1)) - rng.integers(1, 13, size=(1, cols)))
    size_gap = np.abs(
        np.log(rng.lognormal(6, 0.6, size=(rows, 1))) - np.log(rng.lognormal(6.5, 0.6, size=(1, cols)))
    )
    xy_r, xy_c = rng.uniform(0, 1000, size=(rows, 2)), rng.uniform(0, 1000, size=(cols, 2))
    distance = np.sqrt(((xy_r[:, None, :] - xy_c[None, :, :]) ** 2).sum(axis=2))
    cost = 1.0 * grade_gap + 2.0 * size_gap + distance / 100
    cost[rng.random((rows, cols)) < 0.02] = np.inf
    capacity = rng.integers(1, 4, size=cols)
    return cost, capacity


def networkx_cost(cost: np.ndarray, capacity: np.ndarray) -> tuple[float, float]:
    import networkx as nx

    g = nx.DiGraph()
    rows, cols = cost.shape
    g.add_node("s", demand=-rows)
    g.add_node("t", demand=rows)
    for i in range(rows):
        g.add_edge("s", ("r", i), capacity=1, weight=0)
    for j in range(cols):
        g.add_edge(("c", j), "t", capacity=int(capacity[j]), weight=0)
    scale = 10_000  # network simplex wants integer weights
    for i, j in zip(*np.nonzero(np.isfinite(cost)), strict=True):
        g.add_edge(("r", i), ("c", j), capacity=1, weight=int(round(cost[i, j] * scale)))
    start = time.perf_counter()
    flow_cost, _flow = nx.network_simplex(g)
    return time.perf_counter() - start, flow_cost / scale


def main() -> None:
    print(f"## Assignment — {time.strftime('%Y-%m-%d')}")
    print(f"- machine: {platform.machine()}, Python {platform.python_version()}")
    cost, capacity = instance(2000, 5000)
    tracemalloc.start()
    start = time.perf_counter()
    result = assign(cost, capacity=capacity)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"- 2,000 × 5,000, capacities 1–3 ({capacity.sum():,} places), 2 % pairs forbidden: **{seconds:.2f} s**, "
        f"peak traced memory **{peak:,.0f} MiB**, total cost {result.total_cost:,.2f}, solver {result.solver}"
    )
    small_cost, small_cap = instance(200, 500)
    start = time.perf_counter()
    small = assign(small_cost, capacity=small_cap)
    ours = time.perf_counter() - start
    try:
        theirs, theirs_cost = networkx_cost(small_cost, small_cap)
        print(
            f"- 200 × 500 slice: Shiliu {ours * 1000:.0f} ms, networkx network simplex {theirs:.1f} s "
            f"(**{theirs / ours:,.0f}×**); same optimum: {abs(small.total_cost - theirs_cost) < 1e-3}"
        )
    except ImportError:
        print("- networkx not installed: baseline skipped")


if __name__ == "__main__":
    main()
