"""Composite evaluation: normalisation, weighting, aggregation, TOPSIS, explanations and sensitivity.

An indicator system is a tree (dimensions → indicators) with weights and directions. Flatten it with
:func:`flatten_weights` (global weight = product of the weights on the path), then score a units × indicators
matrix with :func:`evaluate`, which records every choice (normalisation, weighting, aggregation, missing-value
policy) in its result and explains each unit's score as the sum of its indicators' contributions.

Library traps handled here, on purpose:

* Entropy weights: ``0 · ln 0`` is taken as its limit 0. pymcdm up to 1.3 set the entropy of any column that
  contains a zero to 0, which handed that column the largest weight; pymcdm 1.4 refuses zeros altogether. A single
  zero (a village with no such facility) is ordinary data: it carries the information it carries, no more, and is
  not refused.
* TOPSIS normalisation: the classic method (Hwang & Yoon 1981) divides each column by its Euclidean norm
  (``vector``); pymcdm's TOPSIS defaults to min-max normalisation, which changes distances and can change ranks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]
Normalisation = Literal["minmax", "zscore", "rank", "target", "vector", "sum"]
MissingPolicy = Literal["exclude", "impute_mean", "impute_zero"]

# Saaty's random consistency index by matrix order (Saaty 1980, Table 1.7).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}


class InconsistentJudgementsError(ValueError):
    """An AHP comparison matrix whose consistency ratio exceeds the limit."""

    def __init__(self, ratio: float, limit: float) -> None:
        self.ratio = ratio
        self.limit = limit
        super().__init__(
            f"the pairwise comparisons are inconsistent: consistency ratio {ratio:.3f} exceeds {limit:.2f}; "
            "revise the judgements that contradict each other"
        )


def _matrix(matrix: ArrayLike) -> Array:
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError("the decision matrix must be 2-D (units × indicators)")
    return m


def _directions(directions: ArrayLike | None, n: int) -> NDArray[np.int_]:
    d = np.ones(n, dtype=int) if directions is None else np.asarray(directions, dtype=int)
    if d.shape != (n,) or not np.all(np.isin(d, (1, -1))):
        raise ValueError(
            "directions must give 1 (higher is better) or -1 (lower is better) for each indicator"
        )
    return d


# --- normalisation ----------------------------------------------------------------------------------------


def normalise(
    matrix: ArrayLike,
    *,
    method: Normalisation = "minmax",
    directions: ArrayLike | None = None,
    targets: Sequence[float] | None = None,
) -> Array:
    """Normalise each column so that higher is better.

    ``minmax``: (x − min)/(max − min), reversed for lower-is-better; a constant column becomes 1.
    ``zscore``: (x − mean)/sd, sign flipped for lower-is-better; a constant column becomes 0.
    ``rank``: average ranks scaled to [0, 1] (ties share a rank).
    ``target``: 1 − |x − target| / max|x − target|, closeness to a target value (direction ignored).
    ``vector``: x / ‖x‖₂ (TOPSIS); ``sum``: x / Σx (entropy method). These two keep direction for the caller.
    NaNs stay NaN.
    """
    m = _matrix(matrix)
    d = _directions(directions, m.shape[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            lo, hi = np.nanmin(m, axis=0), np.nanmax(m, axis=0)
            span = hi - lo
            out = np.where(span > 0, (m - lo) / np.where(span > 0, span, 1), 1.0)
            return np.where(np.isnan(m), np.nan, np.where(d > 0, out, 1.0 - out))
        if method == "zscore":
            sd = np.nanstd(m, axis=0)
            z = np.where(sd > 0, (m - np.nanmean(m, axis=0)) / np.where(sd > 0, sd, 1), 0.0)
            return np.where(np.isnan(m), np.nan, z * d)
        if method == "rank":
            from scipy.stats import rankdata

            out = np.full_like(m, np.nan)
            for j in range(m.shape[1]):
                ok = ~np.isnan(m[:, j])
                if ok.sum() == 0:
                    continue
                r = rankdata(m[ok, j] * d[j])
                out[ok, j] = (r - 1) / max(ok.sum() - 1, 1)
            return out
        if method == "target":
            if targets is None or len(targets) != m.shape[1]:
                raise ValueError("target normalisation needs one target per indicator")
            gap = np.abs(m - np.asarray(targets, dtype=np.float64))
            worst = np.nanmax(gap, axis=0)
            return np.where(worst > 0, 1.0 - gap / np.where(worst > 0, worst, 1), 1.0)
        if method == "vector":
            return m / np.sqrt(np.nansum(m**2, axis=0))
        if method == "sum":
            return m / np.nansum(m, axis=0)
    raise ValueError(f"unknown normalisation {method!r}")


# --- weighting ----------------------------------------------------------------------------------------------


def equal_weights(n: int) -> Array:
    return np.full(n, 1.0 / n)


def entropy_weights(matrix: ArrayLike) -> Array:
    """Entropy weight method (Shannon entropy of each indicator's distribution over units).

    p_ij = x_ij / Σ_i x_ij; e_j = −(1/ln m) Σ_i p_ij ln p_ij with 0 · ln 0 = 0; w_j = (1 − e_j) / Σ (1 − e_k).
    Values must be non-negative (normalise first: min-max for mixed directions). A column that is all equal
    carries no information and gets weight 0. Zeros are taken at the limit (see the module docstring on pymcdm).
    """
    m = _matrix(matrix)
    if np.any(m < 0) or np.isnan(m).any():
        raise ValueError("entropy weights need non-negative values without gaps; normalise and impute first")
    rows = m.shape[0]
    if rows < 2:
        raise ValueError("entropy weights need at least two units")
    col = m.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(col > 0, m / np.where(col > 0, col, 1), 1.0 / rows)
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0.0)
    e = -plogp.sum(axis=0) / np.log(rows)
    divergence = np.clip(1.0 - e, 0.0, None)
    if divergence.sum() == 0:
        return equal_weights(m.shape[1])
    return divergence / divergence.sum()


@dataclass(frozen=True)
class AHPResult:
    weights: Array
    lambda_max: float
    consistency_index: float
    consistency_ratio: float


def ahp_weights(pairwise: ArrayLike, *, max_ratio: float = 0.1) -> AHPResult:
    """AHP priorities: the principal eigenvector of a reciprocal comparison matrix (Saaty 1980).

    CI = (λmax − n)/(n − 1), CR = CI / RI(n) with Saaty's random index. Raises
    :class:`InconsistentJudgementsError` when CR > ``max_ratio`` (0.1 by convention) and ``ValueError`` when the
    matrix is not square, not positive or not reciprocal.
    """
    a = _matrix(pairwise)
    n = a.shape[0]
    if a.shape != (n, n) or n < 1:
        raise ValueError("the comparison matrix must be square")
    if np.any(a <= 0) or not np.allclose(a * a.T, 1.0, rtol=1e-6):
        raise ValueError("the comparison matrix must be positive and reciprocal (a_ji = 1 / a_ij, a_ii = 1)")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values.real[k])
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX.get(n, 1.59)
    cr = ci / ri if ri > 0 else 0.0
    if cr > max_ratio:
        raise InconsistentJudgementsError(cr, max_ratio)
    return AHPResult(weights=w, lambda_max=lam, consistency_index=ci, consistency_ratio=cr)


def flatten_weights(tree: Mapping[str, tuple[float, Mapping[str, float]]]) -> dict[str, float]:
    """Global indicator weights of a two-level system: {dimension: (weight, {indicator: local weight})}.

    Weights at each level are normalised to sum to 1, so experts may enter them on any scale.
    """
    dims = {name: float(weight) for name, (weight, _children) in tree.items()}
    total = sum(dims.values())
    if total <= 0:
        raise ValueError("dimension weights must not all be zero")
    out: dict[str, float] = {}
    for name, (_weight, children) in tree.items():
        local_total = sum(children.values())
        if local_total <= 0:
            raise ValueError(f"indicator weights of dimension {name!r} must not all be zero")
        for indicator, w in children.items():
            if indicator in out:
                raise ValueError(f"indicator {indicator!r} appears in more than one dimension")
            out[indicator] = dims[name] / total * w / local_total
    return out


# --- aggregation and TOPSIS ---------------------------------------------------------------------------------


def weighted_arithmetic(normalised: ArrayLike, weights: ArrayLike) -> Array:
    """Σ_j w_j r_ij (weights normalised to sum 1)."""
    r = _matrix(normalised)
    w = np.asarray(weights, dtype=np.float64)
    return r @ (w / w.sum())


def weighted_geometric(normalised: ArrayLike, weights: ArrayLike, *, floor: float = 1e-9) -> Array:
    """Π_j r_ij^w_j, non-compensatory; values are floored at ``floor`` so a single zero does not zero a unit."""
    r = np.maximum(_matrix(normalised), floor)
    w = np.asarray(weights, dtype=np.float64)
    return np.exp(np.log(r) @ (w / w.sum()))


@dataclass(frozen=True)
class TopsisResult:
    closeness: Array
    ideal: Array
    anti_ideal: Array
    distance_ideal: Array
    distance_anti_ideal: Array


def topsis(
    matrix: ArrayLike,
    weights: ArrayLike,
    directions: ArrayLike,
    *,
    normalisation: Normalisation = "vector",
) -> TopsisResult:
    """TOPSIS (Hwang & Yoon 1981) with **classic vector normalisation by default**.

    v_ij = w_j x_ij / ‖x_·j‖₂; ideal = best v per column (max for higher-is-better, min for lower-is-better),
    anti-ideal the worst; closeness C_i = D⁻_i / (D⁺_i + D⁻_i) with Euclidean distances. Libraries disagree
    on the normalisation (pymcdm defaults to min-max) and it can change the ranking; pass ``normalisation``
    to choose explicitly.
    """
    x = _matrix(matrix)
    d = _directions(directions, x.shape[1])
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    if normalisation in ("vector", "sum"):
        v = normalise(x, method=normalisation) * w
        ideal = np.where(d > 0, v.max(axis=0), v.min(axis=0))
        anti = np.where(d > 0, v.min(axis=0), v.max(axis=0))
    else:
        v = normalise(x, method=normalisation, directions=d) * w  # already oriented: higher is better
        ideal, anti = v.max(axis=0), v.min(axis=0)
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(d_plus + d_minus > 0, d_minus / (d_plus + d_minus), 0.5)
    return TopsisResult(c, ideal, anti, d_plus, d_minus)


# --- evaluation with explanation and sensitivity -------------------------------------------------------------


def ranks(scores: ArrayLike) -> NDArray[np.int_]:
    """1 = best; ties share the better rank."""
    s = np.asarray(scores, dtype=np.float64)
    return (
        (np.argsort(np.argsort(-s, kind="stable"), kind="stable") + 1) if s.size else np.array([], dtype=int)
    )


@dataclass
class Evaluation:
    """What an evaluation run produced and how."""

    scores: Array
    ranks: NDArray[np.int_]
    weights: Array
    contributions: Array  # units × indicators; rows sum to the score for arithmetic aggregation
    included: NDArray[np.bool_]  # units scored (False: excluded for missing values)
    method: dict[str, str] = field(default_factory=dict)

    def explain(self, unit: int, names: Sequence[str]) -> list[tuple[str, float]]:
        """The indicators behind one unit's score, largest contribution first."""
        pairs = [(names[j], float(self.contributions[unit, j])) for j in range(len(names))]
        return sorted(pairs, key=lambda p: -p[1])


def evaluate(
    matrix: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    directions: ArrayLike | None = None,
    normalisation: Normalisation = "minmax",
    aggregation: Literal["arithmetic", "geometric", "topsis"] = "arithmetic",
    weighting: Literal["fixed", "entropy", "equal"] = "fixed",
    missing: MissingPolicy = "exclude",
    targets: Sequence[float] | None = None,
) -> Evaluation:
    """Score units on indicators, recording every methodological choice.

    Missing values (NaN): ``exclude`` leaves units with any gap unscored (rank 0, score NaN); ``impute_mean``
    fills a gap with the indicator's mean over the other units; ``impute_zero`` with 0 (before normalisation).
    Contributions: for arithmetic aggregation w_j r_ij; for geometric, the share of log-score (w_j ln r_ij);
    for TOPSIS, each indicator's share of the squared distance to the anti-ideal minus to the ideal.
    """
    x = _matrix(matrix).copy()
    n_units, n_ind = x.shape
    d = _directions(directions, n_ind)
    gaps = np.isnan(x)
    included: NDArray[np.bool_]
    if missing == "impute_mean":
        means = np.nanmean(np.where(gaps.all(axis=0), 0.0, x), axis=0)
        x = np.where(gaps, means, x)
        included = np.ones(n_units, dtype=bool)
    elif missing == "impute_zero":
        x = np.where(gaps, 0.0, x)
        included = np.ones(n_units, dtype=bool)
    elif missing == "exclude":
        included = np.logical_not(gaps.any(axis=1))
    else:
        raise ValueError(f"unknown missing-value policy {missing!r}")
    if included.sum() == 0:
        raise ValueError("no unit has a complete set of values; choose an imputation policy")
    xi = x[included]
    r = normalise(xi, method=normalisation, directions=d, targets=targets)
    if weighting == "entropy":
        w = entropy_weights(normalise(xi, method="minmax", directions=d))
    elif weighting == "equal":
        w = equal_weights(n_ind)
    else:
        if weights is None:
            raise ValueError("fixed weighting needs weights")
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (n_ind,) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError("weights must be one non-negative number per indicator, not all zero")
        w = w / w.sum()
    if aggregation == "arithmetic":
        contrib = r * w
        s = contrib.sum(axis=1)
    elif aggregation == "geometric":
        contrib = np.log(np.maximum(r, 1e-9)) * w
        s = np.exp(contrib.sum(axis=1))
    elif aggregation == "topsis":
        t = topsis(xi, w, d)
        v = normalise(xi, method="vector") * w
        contrib = (v - t.anti_ideal) ** 2 - (v - t.ideal) ** 2
        s = t.closeness
    else:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    scores = np.full(n_units, np.nan)
    scores[included] = s
    full_contrib = np.full((n_units, n_ind), np.nan)
    full_contrib[included] = contrib
    rank = np.zeros(n_units, dtype=int)
    rank[included] = ranks(s)
    method: dict[str, str] = {
        "normalisation": normalisation,
        "aggregation": aggregation,
        "weighting": weighting,
        "missing": missing,
    }
    return Evaluation(scores, rank, w, full_contrib, included, method)


@dataclass(frozen=True)
class Sensitivity:
    top_n: int
    top_stable_share: float  # share of perturbations that leave the top-n set unchanged
    max_rank_shift: NDArray[np.int_]  # per unit, the largest rank change seen
    runs: int


def weight_sensitivity(
    matrix: ArrayLike, weights: ArrayLike, *, change: float = 0.10, top_n: int = 10, **kwargs: object
) -> Sensitivity:
    """How stable are the ranks when each weight moves by ±``change`` (others rescaled to keep the sum)?"""
    base = evaluate(matrix, weights=weights, **kwargs)  # type: ignore[arg-type]
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    top = set(np.flatnonzero((base.ranks > 0) & (base.ranks <= top_n)))
    shifts = np.zeros(base.ranks.size, dtype=int)
    stable = 0
    runs = 0
    for j in range(w.size):
        for sign in (-1.0, 1.0):
            moved = w.copy()
            moved[j] *= 1.0 + sign * change
            run = evaluate(matrix, weights=moved / moved.sum(), **kwargs)  # type: ignore[arg-type]
            runs += 1
            shifts = np.maximum(shifts, np.abs(run.ranks - base.ranks))
            stable += set(np.flatnonzero((run.ranks > 0) & (run.ranks <= top_n))) == top
    return Sensitivity(top_n, stable / runs if runs else 1.0, shifts, runs)
