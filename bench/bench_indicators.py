"""Benchmarks of the indicators app (issue 16).

    .venv/bin/python bench/bench_indicators.py            # needs the demo database (make demo-data)

1. Evaluating all communities of a province: 20,000 units × 53 indicators, weighted sum and TOPSIS, with three
   one-vote-veto items and the ±10 % sensitivity of every weight (106 more evaluations) — ``compute_results``, the
   function a run calls on its stored snapshot.
2. Evaluating 53 formulas for 20,000 units with the expression language (what building the snapshot costs beside
   reading the values).
3. Re-deriving a year of values from records: every registered source for the four quarters, for every village and
   community division of 扬州市 in the demo database, after adding 50,000 synthetic confirmed activities (inside a
   transaction that is rolled back: the demo database is left as it was).

Results are printed as Markdown to paste into bench/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiliu.settings")


def evaluation_bench(units: int = 20_000, indicators: int = 53) -> list[str]:
    from shiliu.indicators.evaluation import compute_results

    rng = np.random.default_rng(16)
    matrix = rng.gamma(2.0, 10.0, size=(units, indicators))
    matrix[rng.random(matrix.shape) < 0.01] = np.nan  # a few gaps, imputed by the mean
    weights = rng.dirichlet(np.ones(indicators))
    snapshot = {
        "units": [{"code": f"{i:012d}", "name": f"社区{i}"} for i in range(units)],
        "indicators": [
            {
                "code": f"i{j}",
                "name": f"指标{j}",
                "dimension": f"维度{j % 8}",
                "weight": float(weights[j]),
                "direction": -1 if j % 7 == 0 else 1,
                "threshold": 5.0 if j < 3 else None,
                "veto": j < 3,
                "veto_cap": 0.6,
            }
            for j in range(indicators)
        ],
        "matrix": [[None if np.isnan(v) else float(v) for v in row] for row in matrix],
    }
    lines = []
    for aggregation in ("arithmetic", "topsis"):
        method = {"aggregation": aggregation, "normalisation": "minmax", "missing": "impute_mean"}
        start = time.perf_counter()
        results = compute_results(snapshot, method)
        seconds = time.perf_counter() - start
        vetoed = sum(1 for v in results["vetoes"] if v)
        lines.append(
            f"- evaluation of {units:,} units × {indicators} indicators ({aggregation}), with ±10 % sensitivity "
            f"on every weight ({2 * indicators} more evaluations) and vetoes ({vetoed:,} units capped): "
            f"**{seconds:.2f} s**"
        )
    return lines


def formula_bench(units: int = 20_000, indicators: int = 53) -> list[str]:
    from shiliu.indicators import formula
    from shiliu.indicators.catalogue import INDICATORS

    texts = []
    for _code, _name, kind, num, den, factor, expr, _unit, _agg in INDICATORS:
        texts.append(f"({num}) / ({den}) * {factor:g}" if kind == "ratio" else expr)
    nodes = [formula.parse(texts[j % len(texts)]) for j in range(indicators)]
    rng = random.Random(3)  # noqa: S311 - benchmark data
    names = sorted(set().union(*(formula.references(n) for n in nodes)))
    envs = [{n: rng.uniform(1, 1000) for n in names} for _ in range(units)]
    start = time.perf_counter()
    for env in envs:
        for node in nodes:
            formula.evaluate(node, env)
    seconds = time.perf_counter() - start
    return [
        f"- {indicators} formulas × {units:,} units with the expression language (tree walk, no eval): "
        f"**{seconds:.2f} s** ({units * indicators / seconds:,.0f} values/s)"
    ]


def derivation_bench(activities: int = 50_000) -> list[str]:
    import django

    django.setup()
    from django.db import transaction

    from shiliu.accounts.models import User
    from shiliu.exchanges.ledger.models import Activity, ActivityType, Participation
    from shiliu.indicators import derivation
    from shiliu.regions.models import Region

    codes = list(
        Region.objects.filter(code__startswith="3210", level="village").values_list("code", flat=True)
    )
    if not codes:
        return ["- re-derivation skipped: no villages of 扬州市 loaded (run make demo-data)"]
    user = User.objects.filter(username="yangzhou").first()
    kind = ActivityType.objects.first()
    lines = []

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            rng = random.Random(5)  # noqa: S311 - benchmark data
            rows = []
            for i in range(activities):
                day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                rows.append(
                    Activity(
                        title=f"基准活动{i}",
                        activity_type=kind,
                        start_date=day,
                        end_date=day,
                        sending_region_id=rng.choice(codes),
                        receiving_region_id="654025",
                        plan_embedding=True,
                        plan_youth=i % 3 == 0,
                        status="confirmed",
                        recorded_by_side="sending",
                        created_by=user,
                    )
                )
            start = time.perf_counter()
            made = Activity.objects.bulk_create(rows, batch_size=2000)
            Participation.objects.bulk_create(
                [
                    Participation(
                        activity=a, category="resident", ethnic_group_id="01", age_band="adult", count=12
                    )
                    for a in made
                ],
                batch_size=2000,
            )
            setup = time.perf_counter() - start
            start = time.perf_counter()
            written = 0
            for quarter in ("2026Q1", "2026Q2", "2026Q3", "2026Q4"):
                for source in derivation.SOURCES:
                    written += len(derivation.derive(source, codes, quarter))
            seconds = time.perf_counter() - start
            total = Activity.objects.filter(status="confirmed").count()
            lines.append(
                f"- re-deriving a year (4 quarters × {len(derivation.SOURCES)} sources) for {len(codes):,} "
                f"village/community divisions of 扬州市 from {total:,} confirmed activities (50,000 synthetic, "
                f"written in {setup:.1f} s and rolled back): **{seconds:.2f} s** for {written:,} values "
                f"(computing only; writing them is one upsert per value)"
            )
            raise Rollback
    except Rollback:
        pass
    return lines


def main() -> None:
    import django

    django.setup()
    print(f"## Indicators (issue 16) — {time.strftime('%Y-%m-%d')}")
    print(
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}; load average {os.getloadavg()[0]:.1f} when started (a shared machine)"
    )
    for line in evaluation_bench() + formula_bench() + derivation_bench():
        print(line, flush=True)


if __name__ == "__main__":
    main()
