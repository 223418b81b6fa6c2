"""Benchmark of shiliu.analytics.mixing against PySAL segregation 2.5.4.

    .venv/bin/python bench/bench_mixing.py            # whole country + PySAL comparisons (several minutes)
    .venv/bin/python bench/bench_mixing.py --quick    # smaller sizes, for a smoke run

Results are printed as Markdown to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import nested_population  # noqa: E402

from shiliu.analytics import mixing  # noqa: E402

warnings.filterwarnings("ignore")


def timed(fn, *args, **kwargs):
    tracemalloc.start()
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, seconds, peak / 2**20


def whole_country(units: int) -> list[str]:
    counts, levels = nested_population(units)
    nnz = int(np.count_nonzero(counts))
    lines = [
        f"- data: {units:,} units × {counts.shape[1]} groups, {nnz:,} nonzero cells ({nnz / counts.size:.1%}), "
        + ", ".join(f"{np.unique(v).size:,} {k} areas" for k, v in levels.items())
    ]

    def separately():
        levels_out = mixing.hierarchy(counts, levels)
        overall = mixing.multigroup(counts)
        decomposition = mixing.theil_decomposition(counts, levels["province"])
        diversity = mixing.unit_diversity(counts)
        return levels_out, overall, decomposition, diversity

    def together():
        run = mixing.all_levels(counts, levels, decompose_by="province")
        return run["levels"], run["overall"], run["decomposition"], run["units"]

    (_levels, overall, dec, _div), seconds, peak = min(
        (timed(together) for _ in range(3)), key=lambda r: r[1]
    )
    _out, apart, _peak = timed(separately)
    lines.append(
        f"- all indices (11 multigroup + 7 one-group-vs-rest × 58 groups) at 4 levels, overall, Theil "
        f"decomposition by province and unit diversity, `mixing.all_levels` (one pass, one global sort): "
        f"**{seconds:.2f} s** (best of 3), peak traced memory **{peak:,.0f} MiB**; the four functions called one "
        f"after the other: {apart:.2f} s"
    )
    lines.append(
        f"- sanity: overall D = {overall['dissimilarity']:.4f}, H = {overall['information_theory']:.4f}; "
        f"M = {dec['M_between']:.4f} between + {dec['M_within']:.4f} within = {dec['M_total']:.4f}"
    )
    return lines


def pysal_per_area(counts: np.ndarray, area: np.ndarray) -> float:
    from segregation import multigroup as mg
    from segregation import singlegroup as sg

    multi = [
        mg.MultiDissim,
        mg.MultiGini,
        mg.MultiInfoTheory,
        mg.MultiDivergence,
        mg.MultiNormExposure,
        mg.MultiRelativeDiversity,
        mg.MultiSquaredCoefVar,
        mg.SimpsonsInteraction,
        mg.SimpsonsConcentration,
        mg.MultiDiversity,
    ]
    single = [sg.Dissim, sg.Gini, sg.Entropy, sg.Isolation, sg.Interaction, sg.Atkinson, sg.CorrelationR]
    start = time.perf_counter()
    for a in np.unique(area):
        sub = counts[area == a]
        sub = sub[:, sub.sum(axis=0) > 0]
        names = [f"g{k}" for k in range(sub.shape[1])]
        df = pd.DataFrame(sub, columns=names)
        df["total"] = sub.sum(axis=1)
        for cls in multi:
            cls(df, names)
        for k in names:
            if 0 < df[k].sum() < df["total"].sum():
                for cls in single:
                    cls(df, k, "total")
    return time.perf_counter() - start


def versus_pysal(units: int) -> list[str]:
    counts, levels = nested_population(700_000)
    # The subset: the first province's units, per county (PySAL over all 2,900 counties would take hours).
    first = levels["province"] == levels["province"][0]
    sub, county = counts[first][:units], levels["county"][first][:units]
    _ = mixing.by_area(sub[:50], county[:50])
    ours = min(timed(mixing.by_area, sub, county)[1] for _ in range(3))
    pysal_per_area(sub[:200], county[:200])  # warm up numba
    theirs = pysal_per_area(sub, county)
    groups_present = int((sub.sum(axis=0) > 0).sum())
    return [
        f"- per-area comparison on province 0 ({sub.shape[0]:,} units in {np.unique(county).size} counties, "
        f"{groups_present} groups present): Shiliu {ours:.3f} s, PySAL {theirs:.1f} s — **{theirs / ours:,.0f}× faster**"
    ]


def gini_family(n: int) -> list[str]:
    from segregation import multigroup as mg
    from segregation import singlegroup as sg

    rng = np.random.default_rng(1)
    counts = rng.poisson(rng.lognormal(6, 0.8, size=(n, 1)) * rng.dirichlet([0.5, 0.5, 0.5], size=n)).astype(
        float
    )
    df = pd.DataFrame(counts, columns=["a", "b", "c"])
    df["total"] = counts.sum(axis=1)
    sg.Gini(df.head(100), "a", "total")  # compile numba
    ours_single = min(timed(mixing.single_group, counts[:, 0], counts.sum(axis=1))[1] for _ in range(3))
    t = time.perf_counter()
    theirs_single = sg.Gini(df, "a", "total").statistic
    pysal_single = time.perf_counter() - t
    ours_value = mixing.single_group(counts[:, 0], counts.sum(axis=1))["gini"]
    (multi, ours_multi, _peak) = timed(mixing.multigroup, counts)
    tracemalloc.start()
    t = time.perf_counter()
    theirs_multi = mg.MultiGini(df, ["a", "b", "c"]).statistic
    pysal_multi = time.perf_counter() - t
    pysal_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert abs(ours_value - theirs_single) < 1e-9 and abs(multi["gini"] - theirs_multi) < 1e-9
    return [
        f"- Gini (one group) at {n:,} units: Shiliu {ours_single * 1000:.1f} ms, PySAL {pysal_single * 1000:.0f} ms "
        f"(numba, O(n²)) — **{pysal_single / ours_single:,.0f}×**",
        f"- multigroup Gini (3 groups) at {n:,} units: Shiliu {ours_multi * 1000:.1f} ms, PySAL {pysal_multi:.1f} s and "
        f"{pysal_peak:,.0f} MiB (dense n×n) — **{pysal_multi / ours_multi:,.0f}×**; values equal to 1e-9",
    ]


def single_gini_scaling(sizes: list[int]) -> list[str]:
    """The Gini computation alone (sort + prefix sums) against PySAL's numba double loop, as n grows."""
    from segregation import singlegroup as sg

    from shiliu.analytics.mixing import _area_sums, _entries

    lines = []
    rng = np.random.default_rng(2)
    for n in sizes:
        total = rng.poisson(rng.lognormal(6, 0.8, size=n)) + 1
        group = rng.binomial(total, rng.beta(0.5, 2, size=n))
        df = pd.DataFrame({"a": group, "total": total})
        sg.Gini(df.head(100), "a", "total")
        counts = np.column_stack([group, total - group])
        zeros = np.zeros(n, dtype=np.intp)
        start = time.perf_counter()
        _area_sums(_entries(counts), zeros, 1)  # all one-group sums, Gini included
        ours = time.perf_counter() - start
        start = time.perf_counter()
        sg.Gini(df, "a", "total")
        theirs = time.perf_counter() - start
        lines.append(
            f"- one-group Gini at {n:,} units: Shiliu {ours * 1000:.1f} ms (all one-group sums), PySAL "
            f"{theirs * 1000:,.0f} ms — **{theirs / ours:,.0f}×**"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"## Mixing indices — {time.strftime('%Y-%m-%d')}")
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}; one process, single-threaded numpy code"
    )
    for line in whole_country(70_000 if args.quick else 700_000):
        print(line)
    for line in versus_pysal(2_000 if args.quick else 20_000):
        print(line)
    for line in gini_family(2_000 if args.quick else 20_000):
        print(line)
    for line in single_gini_scaling([2_000] if args.quick else [20_000, 200_000]):
        print(line)


if __name__ == "__main__":
    main()
