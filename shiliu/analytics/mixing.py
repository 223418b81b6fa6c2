"""Residential mixing (互嵌) indices: segregation of ethnic groups across areal units.

Input is a count matrix ``counts[unit, group]`` (residents of each ethnic group in each community or village),
optionally with an area label per unit (township, county …). Every index here equals the PySAL ``segregation``
package's value on the same input (tested to 1e-9), but is computed differently:

* Only the nonzero (unit, group) entries are visited. Real ethnic composition is sparse (most of the 58 groups
  are absent from most villages); a zero entry's contribution to every sum below has a closed form.
* Per-area results are grouped reductions (``np.bincount`` on an ``area * K + group`` key), not Python loops.
* The Gini family, an O(n²) double sum over pairs of units in PySAL, is computed by sorting the nonzero entries
  once per level and using prefix sums: for values v sorted ascending with weights w,
  ``sum_ij w_i w_j |v_i - v_j| = 2 * sum_j w_j (v_j W_<j - C_<j)`` with ``W_<j``, ``C_<j`` the running sums of w and
  w·v before j. That is O(nnz log nnz).

Notation (Massey & Denton 1988; Reardon & Firebaugh 2002): ``t_i`` unit population, ``x_ik`` group-k count,
``p_ik = x_ik / t_i``, ``T`` total, ``P_k`` the group's share of the total. Units with no residents count as
``p_ik = 0``. Groups absent from an area are left out of that area's multigroup indices (PySAL returns NaN there);
one-group indices of an absent or all-encompassing group are NaN (undefined: P = 0 or P = 1).

References
----------
Massey, D. S., & Denton, N. A. (1988). The dimensions of residential segregation. Social Forces, 67(2), 281–315.
Reardon, S. F., & Firebaugh, G. (2002). Measures of multigroup segregation. Sociological Methodology, 32, 33–67.
Theil, H. (1972). Statistical decomposition analysis. North-Holland.
Shannon, C. E. (1948). A mathematical theory of communication. Bell System Technical Journal, 27, 379–423.
Simpson, E. H. (1949). Measurement of diversity. Nature, 163, 688.
Pielou, E. C. (1966). The measurement of diversity in different types of biological collections. J. Theor. Biol.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]

SINGLE_GROUP_KEYS = (
    "dissimilarity",
    "gini",
    "entropy",
    "isolation",
    "interaction",
    "atkinson",
    "correlation_ratio",
)
MULTIGROUP_KEYS = (
    "dissimilarity",
    "gini",
    "information_theory",
    "mutual_information",
    "normalized_exposure",
    "relative_diversity",
    "squared_coef_var",
    "simpson_interaction",
    "simpson_concentration",
    "diversity",
    "normalized_diversity",
)


# ---------------------------------------------------------------------------------------------------------
# Sparse representation shared by all computations
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entries:
    """Nonzero cells of a units × groups count matrix."""

    n_units: int
    n_groups: int
    unit: NDArray[np.intp]
    group: NDArray[np.intp]
    count: Array  # x_ik
    share: Array  # p_ik = x_ik / t_i
    weight: Array  # t_i of the entry's unit
    total: Array  # t_i per unit
    # The entries sorted once by (group, share): every level's Gini sums reuse it (see :func:`_level_order`).
    _order: list[NDArray[np.intp]] = field(default_factory=list, repr=False, compare=False)

    def group_order(self) -> NDArray[np.intp]:
        if not self._order:
            # One float key instead of a two-key lexsort: shares lie in (0, 1], so 2·group + share orders by group,
            # then share. Ties need no order: equal shares add nothing to Σ w_i w_j |v_i − v_j|.
            self._order.append(np.argsort(2.0 * self.group + self.share).astype(np.intp))
        return self._order[0]


def _entries(counts: ArrayLike) -> _Entries:
    matrix = np.asarray(counts)
    if matrix.ndim != 2:
        raise ValueError("counts must be a 2-D array (units × groups)")
    if matrix.size and np.min(matrix) < 0:
        raise ValueError("counts must not be negative")
    total = matrix.sum(axis=1, dtype=np.float64)
    unit, group = np.nonzero(matrix)
    count = matrix[unit, group].astype(np.float64)
    weight = total[unit]
    return _Entries(matrix.shape[0], matrix.shape[1], unit, group, count, count / weight, weight, total)


def _labels(area_of_unit: ArrayLike, n_units: int) -> tuple[NDArray[np.generic], NDArray[np.intp]]:
    labels = np.asarray(area_of_unit)
    if labels.shape != (n_units,):
        raise ValueError(f"area_of_unit must have one label per unit ({n_units}), got shape {labels.shape}")
    areas, index = np.unique(labels, return_inverse=True)
    return areas, index.astype(np.intp)


def _level_order(e: _Entries, entry_area: NDArray[np.intp], n_areas: int) -> NDArray[np.intp]:
    """The entries in (area, group, share) order, from the one global (group, share) sort.

    A stable sort by area of the globally sorted entries keeps each area's entries in (group, share) order. Area
    indices fit 16 bits for up to 65,536 areas (40,000 townships), where numpy's stable sort is a radix sort: O(n)
    per level instead of a fresh O(n log n) two-key sort of floats per level.
    """
    order = e.group_order()
    if n_areas <= 1:
        return order
    dtype = np.uint8 if n_areas <= 256 else np.uint16 if n_areas <= 65536 else np.int64
    return order[np.argsort(entry_area[order].astype(dtype), kind="stable")]


def _weighted_abs_pair_sum(
    key: NDArray[np.intp], value: Array, weight: Array, n_keys: int, order: NDArray[np.intp] | None = None
) -> Array:
    """For each key: sum over ordered pairs (i, j) with that key of w_i w_j |v_i - v_j|, in O(n log n).

    ``order`` may give the entries already sorted by (key, value) (:func:`_level_order`)."""
    out = np.zeros(n_keys)
    if value.size == 0:
        return out
    if order is None:
        order = np.lexsort((value, key))
    k, v, w = key[order], value[order], weight[order]
    wv = w * v
    cum_w = np.cumsum(w)
    cum_wv = np.cumsum(wv)
    # Running sums restart at each key: subtract the totals accumulated before the key's first entry.
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    base_w = np.repeat(np.r_[0.0, cum_w[starts[1:] - 1]], np.diff(np.r_[starts, k.size]))
    base_wv = np.repeat(np.r_[0.0, cum_wv[starts[1:] - 1]], np.diff(np.r_[starts, k.size]))
    before_w = cum_w - w - base_w
    before_wv = cum_wv - wv - base_wv
    term = w * (v * before_w - before_wv)
    out += np.bincount(k, weights=term, minlength=n_keys)
    return 2.0 * out


# ---------------------------------------------------------------------------------------------------------
# Per (area, group) building blocks
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AreaSums:
    n_areas: int
    n_groups: int
    T: Array  # (A,) area population
    X: Array  # (A, K) group counts
    P: Array  # (A, K) group shares
    abs_dev: Array  # (A, K) sum_i t_i |p_ik - P_k|
    sq_dev: Array  # (A, K) sum_i t_i (p_ik - P_k)^2
    info: Array  # (A, K) sum_i x_ik ln(p_ik / P_k)
    binary_entropy: Array  # (A, K) sum_i t_i e(p_ik)
    isolation_num: Array  # (A, K) sum_i x_ik p_ik
    atkinson_num: Array  # (A, K) sum_i t_i (1-p)^(1-b) p^b
    gini_num: Array  # (A, K) sum_ij t_i t_j |p_ik - p_jk|


def _area_sums(
    e: _Entries, area: NDArray[np.intp], n_areas: int, b: float = 0.5, *, gini: bool = True
) -> _AreaSums:
    K = e.n_groups
    T = np.bincount(area, weights=e.total, minlength=n_areas).astype(np.float64)
    entry_area = area[e.unit]
    key = entry_area * K + e.group
    size = n_areas * K

    def per_key(values: Array) -> Array:
        return np.bincount(key, weights=values, minlength=size).astype(np.float64).reshape(n_areas, K)

    X = per_key(e.count)
    with np.errstate(invalid="ignore", divide="ignore"):
        P = X / T[:, None]
    P_entry = P.ravel()[key]
    # Entries cover the units where the group is present; the rest of the area has p = 0.
    present_weight = per_key(e.weight)
    absent_weight = T[:, None] - present_weight
    abs_dev = per_key(e.weight * np.abs(e.share - P_entry)) + absent_weight * P
    sq_dev = per_key(e.weight * (e.share - P_entry) ** 2) + absent_weight * P**2
    with np.errstate(divide="ignore", invalid="ignore"):
        info = per_key(e.count * np.log(e.share / P_entry))
        q = 1.0 - e.share
        e_i = -e.share * np.log(e.share) - np.where(q > 0, q * np.log(np.where(q > 0, q, 1.0)), 0.0)
    binary_entropy = per_key(e.weight * e_i)
    isolation_num = per_key(e.count * e.share)
    atkinson_num = per_key(e.weight * (1.0 - e.share) ** (1.0 - b) * e.share**b)
    if gini:
        order = _level_order(e, entry_area, n_areas)
        pair = _weighted_abs_pair_sum(key, e.share, e.weight, size, order).reshape(n_areas, K)
    else:  # the information-theory decomposition needs no Gini sums
        pair = np.full((n_areas, K), np.nan)
    # Pairs of one present and one absent unit: t_i t_j p_i, counted in both orders.
    gini_num = pair + 2.0 * absent_weight * X
    return _AreaSums(
        n_areas, K, T, X, P, abs_dev, sq_dev, info, binary_entropy, isolation_num, atkinson_num, gini_num
    )


def _single_from_sums(s: _AreaSums, b: float = 0.5) -> dict[str, Array]:
    T = s.T[:, None]
    P = s.P
    with np.errstate(divide="ignore", invalid="ignore"):
        undefined = (P <= 0) | (P >= 1)
        var = P * (1.0 - P)
        E = -P * np.log(P) - (1.0 - P) * np.log(1.0 - P)
        isolation = s.isolation_num / s.X
        out = {
            "dissimilarity": s.abs_dev / (2.0 * T * var),
            "gini": s.gini_num / (2.0 * T**2 * var),
            "entropy": (T * E - s.binary_entropy) / (E * T),
            "isolation": isolation,
            "interaction": 1.0 - isolation,
            "atkinson": 1.0 - (P / (1.0 - P)) * np.abs(s.atkinson_num / (P * T)) ** (1.0 / (1.0 - b)),
            "correlation_ratio": (isolation - P) / (1.0 - P),
        }
    for key in ("dissimilarity", "gini", "entropy", "atkinson", "correlation_ratio"):
        out[key] = np.where(undefined, np.nan, out[key])
    for key in ("isolation", "interaction"):
        out[key] = np.where(P <= 0, np.nan, out[key])
    return out


def _multi_from_sums(s: _AreaSums) -> dict[str, Array]:
    P = s.P
    T = s.T
    present = P > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        Pm = np.where(present, P, 1.0)  # safe divisor; absent groups are masked out below
        n_present = present.sum(axis=1)
        simpson_interaction = (P * (1.0 - P)).sum(axis=1)
        simpson_concentration = (P**2).sum(axis=1)
        entropy = -np.where(present, P * np.log(Pm), 0.0).sum(axis=1)
        M = s.info.sum(axis=1) / T
        out = {
            "dissimilarity": s.abs_dev.sum(axis=1) / (2.0 * T * simpson_interaction),
            "gini": s.gini_num.sum(axis=1) / (2.0 * T**2 * simpson_interaction),
            "information_theory": M / entropy,
            "mutual_information": M,
            "normalized_exposure": np.where(
                present & (P < 1), s.sq_dev / np.where(P < 1, 1.0 - P, 1.0), 0.0
            ).sum(axis=1)
            / T,
            "relative_diversity": s.sq_dev.sum(axis=1) / (T * simpson_interaction),
            "squared_coef_var": np.where(present, s.sq_dev / Pm, 0.0).sum(axis=1) / (T * (n_present - 1)),
            "simpson_interaction": simpson_interaction,
            "simpson_concentration": simpson_concentration,
            "diversity": entropy,
            "normalized_diversity": entropy / np.log(n_present),
        }
    # One group only (or an empty area): segregation is undefined, diversity is 0.
    single = n_present <= 1
    for key in (
        "dissimilarity",
        "gini",
        "information_theory",
        "normalized_exposure",
        "relative_diversity",
        "squared_coef_var",
        "normalized_diversity",
    ):
        out[key] = np.where(single, np.nan, out[key])
    return out


# ---------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------


def single_group(group: ArrayLike, total: ArrayLike, *, b: float = 0.5) -> dict[str, float]:
    """One group versus the rest of the population, over the units.

    Parameters
    ----------
    group, total : 1-D count arrays over units (``group <= total``).
    b : Atkinson shape parameter in (0, 1); 0.5 weighs under- and over-representation equally.

    Returns
    -------
    Mapping with ``dissimilarity`` D = Σ t_i |p_i − P| / (2 T P (1−P)); ``gini`` G = Σ_ij t_i t_j |p_i − p_j| /
    (2 T² P (1−P)); ``entropy`` (Theil's H) = Σ t_i (E − E_i) / (E T) with binary entropy E; ``isolation``
    xPx = Σ (x_i/X)(x_i/t_i); ``interaction`` xPy = Σ (x_i/X)(y_i/t_i); ``atkinson`` A = 1 − P/(1−P) ·
    |Σ (1−p_i)^(1−b) p_i^b t_i / (P T)|^(1/(1−b)); ``correlation_ratio`` V = (xPx − P)/(1 − P). All from
    Massey & Denton (1988).
    """
    x = np.asarray(group, dtype=np.float64)
    t = np.asarray(total, dtype=np.float64)
    if x.shape != t.shape or x.ndim != 1:
        raise ValueError("group and total must be 1-D arrays of the same length")
    if np.any(x > t):
        raise ValueError("a unit's group count exceeds its total population")
    if not 0 < b < 1:
        raise ValueError("b must lie strictly between 0 and 1")
    counts = np.column_stack([x, t - x])
    sums = _area_sums(_entries(counts), np.zeros(x.size, dtype=np.intp), 1, b)
    return {k: float(v[0, 0]) for k, v in _single_from_sums(sums, b).items()}


def multigroup(counts: ArrayLike) -> dict[str, float]:
    """Multigroup indices of a units × groups count matrix (Reardon & Firebaugh 2002).

    ``dissimilarity`` D = Σ_k Σ_i t_i |p_ik − P_k| / (2 T I); ``gini`` G = Σ_k Σ_ij t_i t_j |p_ik − p_jk| / (2 T² I);
    ``information_theory`` H = M / E; ``mutual_information`` M = Σ_i (t_i/T) Σ_k p_ik ln(p_ik/P_k) (Theil's M);
    ``normalized_exposure`` P = Σ_k Σ_i t_i (p_ik − P_k)² / ((1 − P_k) T); ``relative_diversity`` R =
    Σ_k Σ_i t_i (p_ik − P_k)² / (T I); ``squared_coef_var`` C = Σ_k Σ_i t_i (p_ik − P_k)² / (T (K − 1) P_k);
    ``simpson_interaction`` I = Σ_k P_k (1 − P_k); ``simpson_concentration`` Σ_k P_k²; ``diversity`` E =
    −Σ_k P_k ln P_k; ``normalized_diversity`` E / ln K. K counts the groups present.
    """
    matrix = np.asarray(counts)
    result = by_area(matrix, np.zeros(matrix.shape[0], dtype=np.intp))
    return {k: float(result[k][0]) for k in MULTIGROUP_KEYS}


def by_area(counts: ArrayLike, area_of_unit: ArrayLike, *, b: float = 0.5) -> dict[str, NDArray[np.generic]]:
    """Every index for every area in one vectorised pass.

    Returns a mapping with ``area`` (the sorted distinct labels), ``population`` and ``groups_present`` per area,
    each multigroup index (key as in :func:`multigroup`, one value per area) and each one-group index under
    ``"<key>_by_group"`` (areas × groups).
    """
    e = _entries(counts)
    areas, index = _labels(area_of_unit, e.n_units)
    sums = _area_sums(e, index, areas.size, b)
    out: dict[str, NDArray[np.generic]] = {
        "area": areas,
        "population": sums.T,
        "groups_present": (sums.P > 0).sum(axis=1),
    }
    out.update(_multi_from_sums(sums))
    out.update({f"{k}_by_group": v for k, v in _single_from_sums(sums, b).items()})
    return out


def hierarchy(
    counts: ArrayLike, levels: Mapping[str, ArrayLike], *, b: float = 0.5
) -> dict[str, dict[str, NDArray[np.generic]]]:
    """:func:`by_area` at several levels (e.g. township, county, prefecture, province), sharing the set-up."""
    return _hierarchy(_entries(counts), levels, b)


def _level(sums: _AreaSums, areas: NDArray[np.generic], b: float) -> dict[str, NDArray[np.generic]]:
    level: dict[str, NDArray[np.generic]] = {
        "area": areas,
        "population": sums.T,
        "groups_present": (sums.P > 0).sum(axis=1),
    }
    level.update(_multi_from_sums(sums))
    level.update({f"{k}_by_group": v for k, v in _single_from_sums(sums, b).items()})
    return level


def _hierarchy(
    e: _Entries, levels: Mapping[str, ArrayLike], b: float
) -> dict[str, dict[str, NDArray[np.generic]]]:
    results: dict[str, dict[str, NDArray[np.generic]]] = {}
    for name, labels in levels.items():
        areas, index = _labels(labels, e.n_units)
        results[name] = _level(_area_sums(e, index, areas.size, b), areas, b)
    return results


def all_levels(
    counts: ArrayLike, levels: Mapping[str, ArrayLike], *, decompose_by: str | None = None, b: float = 0.5
) -> dict[str, object]:
    """The whole run of a country (or province): every index at every level, the overall multigroup indices, the
    Theil decomposition by one of the levels and each unit's diversity — from one pass over the nonzero cells and
    one global sort reused by every level's Gini sums.

    Returns ``{"levels": …as hierarchy…, "overall": …as multigroup…, "decomposition": …as theil_decomposition… or
    None, "units": …as unit_diversity…}``.
    """
    e = _entries(counts)
    whole = _area_sums(e, np.zeros(e.n_units, dtype=np.intp), 1, b)
    overall = {k: float(v[0]) for k, v in _multi_from_sums(whole).items()}
    decomposition = None
    if decompose_by is not None:
        areas, index = _labels(levels[decompose_by], e.n_units)
        decomposition = _theil(e, index, areas.size, whole=whole)
    return {
        "levels": _hierarchy(e, levels, b),
        "overall": overall,
        "decomposition": decomposition,
        "units": _unit_diversity(e),
    }


def theil_decomposition(counts: ArrayLike, area_of_unit: ArrayLike) -> dict[str, float]:
    """Split Theil's M and H into between-area and within-area parts that add up exactly.

    M_total = M_between + Σ_a (T_a/T) M_a, where M_between is M computed on the area totals
    (Theil 1972; Reardon & Firebaugh 2002). With E the entropy of the whole population, H = M / E, so
    H_between = M_between / E and H_within = Σ_a (T_a E_a / (T E)) H_a.
    """
    e = _entries(counts)
    areas, index = _labels(area_of_unit, e.n_units)
    return _theil(e, index, areas.size)


def _theil(
    e: _Entries, index: NDArray[np.intp], n_areas: int, whole: _AreaSums | None = None
) -> dict[str, float]:
    within = _area_sums(e, index, n_areas, gini=False)
    if whole is None:
        whole = _area_sums(e, np.zeros(e.n_units, dtype=np.intp), 1, gini=False)
    overall = _multi_from_sums(whole)
    totals = _entries(within.X)  # areas × groups: the between part is M of the area totals
    between = _multi_from_sums(_area_sums(totals, np.zeros(n_areas, dtype=np.intp), 1, gini=False))
    T = within.T.sum()
    M_areas = within.info.sum(axis=1) / within.T
    M_within = float(np.nansum(within.T / T * M_areas))
    E = float(overall["diversity"][0])
    M_between = float(between["mutual_information"][0])
    return {
        "M_total": float(overall["mutual_information"][0]),
        "M_between": M_between,
        "M_within": M_within,
        "H_total": float(overall["information_theory"][0]),
        "H_between": M_between / E,
        "H_within": M_within / E,
    }


def unit_diversity(counts: ArrayLike) -> dict[str, Array]:
    """Diversity of each unit's own population.

    ``simpson`` 1 − Σ_k p_k² (Simpson 1949; Herfindahl's complement); ``herfindahl`` Σ_k p_k²; ``shannon``
    −Σ_k p_k ln p_k (Shannon 1948); ``evenness`` Pielou's J = shannon / ln S with S the groups present in the unit
    (1 when S ≤ 1 is meaningless, so NaN); ``largest_share`` max_k p_k; ``groups_present`` S.
    """
    return _unit_diversity(_entries(counts))


def _unit_diversity(e: _Entries) -> dict[str, Array]:
    n = e.n_units
    herfindahl = np.bincount(e.unit, weights=e.share**2, minlength=n)
    shannon = -np.bincount(e.unit, weights=e.share * np.log(e.share), minlength=n)
    present = np.bincount(e.unit, minlength=n)
    largest = np.zeros(n)
    np.maximum.at(largest, e.unit, e.share)
    with np.errstate(divide="ignore", invalid="ignore"):
        evenness = np.where(present > 1, shannon / np.log(np.maximum(present, 2)), np.nan)
    empty = e.total == 0
    return {
        "simpson": np.where(empty, np.nan, 1.0 - herfindahl),
        "herfindahl": np.where(empty, np.nan, herfindahl),
        "shannon": np.where(empty, np.nan, shannon),
        "evenness": evenness,
        "largest_share": np.where(empty, np.nan, largest),
        "groups_present": present,
    }
