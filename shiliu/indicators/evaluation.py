"""Evaluation runs: the system's leaves with their global weights, the units × indicators matrix of a region and
period, and the results computed from a stored snapshot only — so that a run reproduces exactly a year later.

Scores are on 0–1 (weighted sum of normalised values, or TOPSIS closeness); pages show them ×100. A one-vote-veto
item whose value misses its pass mark caps the unit's score at the item's cap and says why; ranks follow the capped
scores. Sensitivity: every weight moved by −10 % and +10 % (the others rescaled to keep the sum), recording which
units change rank.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from shiliu.analytics import composite
from shiliu.regions.models import Region

from .compute import Calculator
from .models import IndicatorSystem, SystemNode

CHANGE = 0.10
TOP_MOVES = 20  # the units whose rank moves most, kept per weight and direction


def leaves(system: IndicatorSystem) -> list[tuple[SystemNode, float]]:
    """Indicator nodes in tree order with their global weight (product of the local weights on the path, each level
    normalised to sum 1)."""
    nodes = list(system.nodes.select_related("indicator").order_by("order", "pk"))
    children: dict[int | None, list[SystemNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out: list[tuple[SystemNode, float]] = []

    def walk(parent: int | None, weight: float) -> None:
        kids = children.get(parent, [])
        total = sum(k.weight for k in kids)
        for kid in kids:
            local = kid.weight / total if total > 0 else 1.0 / len(kids)
            if kid.indicator_id is not None:
                out.append((kid, weight * local))
            else:
                walk(kid.pk, weight * local)

    walk(None, 1.0)
    return out


def build_matrix(
    system: IndicatorSystem, prefix: str, period: str, level: str
) -> tuple[list[str], list[str], list[list[float]]]:
    calc = Calculator(prefix=prefix, period=period, level=level)
    nodes = leaves(system)
    units = calc.units()
    names = dict(Region.objects.filter(code__in=units).values_list("code", "name"))
    matrix = []
    for unit in units:
        row = []
        for node, _w in nodes:
            v = calc.indicator(node.indicator.code, unit).value  # type: ignore[union-attr]
            row.append(float("nan") if v is None else float(v))
        matrix.append(row)
    return units, [names.get(u, u) for u in units], matrix


def build_snapshot(system: IndicatorSystem, prefix: str, period: str, level: str) -> dict[str, Any]:
    units, names, matrix = build_matrix(system, prefix, period, level)
    nodes = leaves(system)
    # An indicator without a value for any unit would score every unit alike (a constant column): it is left out
    # of the run, named in the snapshot, and the other weights carry the whole.
    keep = [j for j in range(len(nodes)) if any(not math.isnan(row[j]) for row in matrix)]
    excluded = [nodes[j][0].name for j in range(len(nodes)) if j not in keep]
    nodes = [nodes[j] for j in keep]
    matrix = [[row[j] for j in keep] for row in matrix]
    total = sum(w for _n, w in nodes) or 1.0
    nodes = [(n, w / total) for n, w in nodes]
    return {
        "excluded": excluded,
        "system": system.code,
        "units": [{"code": c, "name": n} for c, n in zip(units, names, strict=True)],
        "indicators": [
            {
                "code": node.indicator.code,  # type: ignore[union-attr]
                "name": node.name,
                "dimension": node.parent.name if node.parent is not None else "",
                "weight": w,
                "direction": node.direction,
                "threshold": node.threshold,
                "veto": node.is_veto,
                "veto_cap": node.veto_cap,
            }
            for node, w in nodes
        ],
        # JSON has no NaN: a missing value is null.
        "matrix": [[None if math.isnan(v) else v for v in row] for row in matrix],
    }


def _matrix(snapshot: dict[str, Any]) -> np.ndarray:
    rows = snapshot["matrix"]
    n = len(snapshot["indicators"])
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float).reshape(
        len(rows), n
    )


def _vetoes(snapshot: dict[str, Any], x: np.ndarray) -> list[list[dict[str, Any]]]:
    out: list[list[dict[str, Any]]] = [[] for _ in range(x.shape[0])]
    for j, ind in enumerate(snapshot["indicators"]):
        if not ind["veto"] or ind["threshold"] is None:
            continue
        for i in range(x.shape[0]):
            v = x[i, j]
            failed = np.isnan(v) or (v < ind["threshold"] if ind["direction"] > 0 else v > ind["threshold"])
            if failed:
                out[i].append(
                    {
                        "indicator": ind["name"],
                        "value": None if np.isnan(v) else float(v),
                        "threshold": ind["threshold"],
                        "cap": ind["veto_cap"],
                    }
                )
    return out


def _score(
    x: np.ndarray,
    weights: np.ndarray,
    dirs: np.ndarray,
    method: dict[str, Any],
    caps: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ev = composite.evaluate(
        x,
        weights=weights,
        directions=dirs,
        normalisation=method.get("normalisation", "minmax"),
        aggregation=method.get("aggregation", "arithmetic"),
        missing=method.get("missing", "impute_mean"),
    )
    scores = np.minimum(ev.scores, caps)  # NaN (unscored) stays NaN
    ranks = np.zeros(scores.size, dtype=int)
    ok = ~np.isnan(scores)
    ranks[ok] = composite.ranks(scores[ok])
    return scores, ranks, ev.contributions


def _caps(vetoes: list[list[dict[str, Any]]]) -> np.ndarray:
    """Per unit, the lowest cap of the veto items it failed (infinity when none)."""
    return np.array([min((v["cap"] for v in items), default=np.inf) for items in vetoes], dtype=float)


def compute_results(snapshot: dict[str, Any], method: dict[str, Any]) -> dict[str, Any]:
    """Scores, ranks, contributions, vetoes and the ±10 % sensitivity — from the snapshot alone."""
    x = _matrix(snapshot)
    weights = np.array([i["weight"] for i in snapshot["indicators"]], dtype=float)
    dirs = np.array([i["direction"] for i in snapshot["indicators"]], dtype=int)
    vetoes = _vetoes(snapshot, x)
    caps = _caps(vetoes)
    scores, ranks, contrib = _score(x, weights, dirs, method, caps)
    sensitivity = []
    for j in range(weights.size):
        entry: dict[str, Any] = {"indicator": snapshot["indicators"][j]["name"]}
        for sign, key in ((-1, "minus"), (1, "plus")):
            _s, moved_ranks, _c = _score(x, moved_weights(weights, j, sign * CHANGE), dirs, method, caps)
            moved = np.flatnonzero(moved_ranks != ranks)
            shift = np.abs(moved_ranks[moved] - ranks[moved])
            largest = moved[np.argsort(-shift, kind="stable")[:TOP_MOVES]]
            entry[key] = {
                "moved": int(moved.size),
                "max_shift": int(shift.max()) if moved.size else 0,
                "largest": [[int(i), int(ranks[i]), int(moved_ranks[i])] for i in largest],
            }
        sensitivity.append(entry)

    def clean(a: np.ndarray) -> list[Any]:
        return [None if (isinstance(v, float) and math.isnan(v)) else v for v in a.tolist()]

    return {
        "scores": clean(scores),
        "ranks": [int(r) for r in ranks],
        "contributions": [clean(row) for row in contrib],
        "vetoes": vetoes,
        "sensitivity": sensitivity,
    }


def moved_weights(weights: np.ndarray, j: int, change: float) -> np.ndarray:
    w = weights / weights.sum()
    moved = w.copy()
    moved[j] *= 1.0 + change
    return moved / moved.sum()


def what_if(snapshot: dict[str, Any], method: dict[str, Any], j: int, change: float) -> dict[str, Any]:
    """The ranking with weight ``j`` moved by ``change`` (−0.1 … +0.1), beside the run's own."""
    x = _matrix(snapshot)
    weights = np.array([i["weight"] for i in snapshot["indicators"]], dtype=float)
    dirs = np.array([i["direction"] for i in snapshot["indicators"]], dtype=int)
    caps = _caps(_vetoes(snapshot, x))
    base_scores, base_ranks, _c = _score(x, weights, dirs, method, caps)
    scores, ranks, _c = _score(x, moved_weights(weights, j, change), dirs, method, caps)
    rows = []
    for i, unit in enumerate(snapshot["units"]):
        rows.append(
            {
                "name": unit["name"],
                "rank": int(base_ranks[i]),
                "new_rank": int(ranks[i]),
                "score": None if math.isnan(base_scores[i]) else float(base_scores[i]),
                "new_score": None if math.isnan(scores[i]) else float(scores[i]),
                "moved": int(ranks[i]) != int(base_ranks[i]),
            }
        )
    rows.sort(key=lambda r: (r["new_rank"] or 10**9, r["name"]))
    return {
        "rows": rows,
        "weights": moved_weights(weights, j, change).tolist(),
        "moved": sum(r["moved"] for r in rows),
    }


def ranked_rows(run: Any) -> list[dict[str, Any]]:
    """The run's table: one row per unit, best first, with its contributions as bar widths."""
    snap, res = run.snapshot, run.results
    names = [i["name"] for i in snap["indicators"]]
    rows = []
    for i, unit in enumerate(snap["units"]):
        contrib = res["contributions"][i]
        score = res["scores"][i]
        bars = []
        if contrib is not None:
            positive = sum(c for c in contrib if c is not None and c > 0) or 1.0
            for name, c in zip(names, contrib, strict=True):
                bars.append(
                    {
                        "name": name,
                        "value": c,
                        "share": 0 if c is None or c <= 0 else round(100 * c / positive, 1),
                    }
                )
        rows.append(
            {
                "index": i,
                "code": unit["code"],
                "name": unit["name"],
                "score": None if score is None else score * 100,
                "rank": res["ranks"][i],
                "vetoes": res["vetoes"][i],
                "bars": bars,
            }
        )
    rows.sort(key=lambda r: (r["rank"] or 10**9, r["name"]))
    return rows
