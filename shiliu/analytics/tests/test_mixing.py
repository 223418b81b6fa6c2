"""Mixing indices: hand-computed values, PySAL `segregation` (2.5.4) to 1e-9, and properties."""

import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from shiliu.analytics import mixing

segregation = pytest.importorskip("segregation")
from segregation import multigroup as mg  # noqa: E402
from segregation import singlegroup as sg  # noqa: E402

SINGLE_PEERS = {
    "dissimilarity": sg.Dissim,
    "gini": sg.Gini,
    "entropy": sg.Entropy,
    "isolation": sg.Isolation,
    "interaction": sg.Interaction,
    "atkinson": sg.Atkinson,
    "correlation_ratio": sg.CorrelationR,
}
MULTI_PEERS = {
    "dissimilarity": mg.MultiDissim,
    "gini": mg.MultiGini,
    "information_theory": mg.MultiInfoTheory,
    "mutual_information": mg.MultiDivergence,
    "normalized_exposure": mg.MultiNormExposure,
    "relative_diversity": mg.MultiRelativeDiversity,
    "squared_coef_var": mg.MultiSquaredCoefVar,
    "simpson_interaction": mg.SimpsonsInteraction,
    "simpson_concentration": mg.SimpsonsConcentration,
    "diversity": mg.MultiDiversity,
}


def synthetic(seed: int, units: int = 150, groups: int = 6) -> np.ndarray:
    """Skewed, sparse-ish compositions like real villages: a few groups dominate, many cells are zero."""
    rng = np.random.default_rng(seed)
    size = rng.gamma(0.8, 60, size=(units, 1))
    shares = rng.dirichlet(np.full(groups, 0.4), size=units)
    counts = rng.poisson(size * shares)
    counts[:, np.argmin(counts.sum(axis=0))] += 1  # every group present somewhere
    counts[0] = 0  # an empty unit
    return counts


def frame(counts: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    names = [f"g{k}" for k in range(counts.shape[1])]
    df = pd.DataFrame(counts, columns=names)
    df["total"] = counts.sum(axis=1)
    return df, names


def peer_single(counts: np.ndarray, k: int) -> dict[str, float]:
    df, names = frame(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {key: cls(df, names[k], "total").statistic for key, cls in SINGLE_PEERS.items()}


def peer_multi(counts: np.ndarray) -> dict[str, float]:
    df, names = frame(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {key: cls(df, names).statistic for key, cls in MULTI_PEERS.items()}
        out["normalized_diversity"] = mg.MultiDiversity(df, names, normalized=True).statistic
    return out


# --- hand-computed cases -------------------------------------------------------------------------------


def test_two_mirror_units_have_the_values_worked_by_hand():
    # Units (30 A, 10 B) and (10 A, 30 B): T = 80, P = 0.5.
    # D = (40·0.25 + 40·0.25) / (2·80·0.25) = 0.5; G = 2·40·40·0.5 / (2·80²·0.25) = 0.5;
    # xPx = (30/40)(30/40) + (10/40)(10/40) = 0.625; V = (0.625 − 0.5) / 0.5 = 0.25.
    r = mixing.single_group([30, 10], [40, 40])
    assert r["dissimilarity"] == pytest.approx(0.5)
    assert r["gini"] == pytest.approx(0.5)
    assert r["isolation"] == pytest.approx(0.625)
    assert r["interaction"] == pytest.approx(0.375)
    assert r["correlation_ratio"] == pytest.approx(0.25)


def test_complete_segregation_scores_one_and_no_exposure():
    r = mixing.single_group([10, 0], [10, 10])
    assert r["dissimilarity"] == pytest.approx(1) and r["gini"] == pytest.approx(1)
    assert r["entropy"] == pytest.approx(1) and r["isolation"] == pytest.approx(1)
    assert r["interaction"] == pytest.approx(0) and r["atkinson"] == pytest.approx(1)
    m = mixing.multigroup([[10, 0, 0], [0, 5, 0], [0, 0, 7]])
    for key in ("dissimilarity", "gini", "information_theory", "normalized_exposure", "relative_diversity"):
        assert m[key] == pytest.approx(1), key


def test_identical_compositions_are_perfectly_even():
    counts = np.array([[2, 6, 2], [4, 12, 4], [1, 3, 1]])
    m = mixing.multigroup(counts)
    for key in (
        "dissimilarity",
        "gini",
        "information_theory",
        "mutual_information",
        "normalized_exposure",
        "relative_diversity",
        "squared_coef_var",
    ):
        assert m[key] == pytest.approx(0, abs=1e-12), key
    assert m["simpson_interaction"] == pytest.approx(1 - (0.2**2 + 0.6**2 + 0.2**2))
    assert m["diversity"] == pytest.approx(-(0.4 * np.log(0.2) + 0.6 * np.log(0.6)))


def test_unit_diversity_has_simpson_shannon_and_pielou_evenness():
    d = mixing.unit_diversity([[50, 50, 0], [90, 5, 5], [10, 0, 0], [0, 0, 0]])
    assert d["simpson"][0] == pytest.approx(0.5)
    assert d["shannon"][0] == pytest.approx(np.log(2))
    assert d["evenness"][0] == pytest.approx(1.0)
    assert d["largest_share"][1] == pytest.approx(0.9) and d["groups_present"][1] == 3
    assert d["simpson"][2] == 0 and np.isnan(d["evenness"][2])
    assert np.isnan(d["simpson"][3])


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="exceeds"):
        mixing.single_group([5], [4])
    with pytest.raises(ValueError, match="negative"):
        mixing.multigroup([[1, -1]])
    with pytest.raises(ValueError, match="one label per unit"):
        mixing.by_area([[1, 2]], [0, 1])


# --- peer library ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_single_group_indices_equal_pysal(seed):
    counts = synthetic(seed)
    for k in (0, 3):
        mine = mixing.single_group(counts[:, k], counts.sum(axis=1))
        theirs = peer_single(counts, k)
        for key, value in theirs.items():
            assert mine[key] == pytest.approx(value, abs=1e-9, rel=1e-9), key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_multigroup_indices_equal_pysal(seed):
    counts = synthetic(seed)
    mine = mixing.multigroup(counts)
    for key, value in peer_multi(counts).items():
        assert mine[key] == pytest.approx(value, abs=1e-9, rel=1e-9), key


def test_by_area_equals_pysal_run_on_each_area_alone():
    counts = synthetic(7, units=240, groups=5)
    area = np.random.default_rng(7).integers(0, 6, size=counts.shape[0])
    result = mixing.by_area(counts, area)
    assert list(result["area"]) == list(range(6))
    for a in range(6):
        sub = counts[area == a]
        sub = sub[:, sub.sum(axis=0) > 0]  # groups absent from the area are left out, as documented
        for key, value in peer_multi(sub).items():
            assert result[key][a] == pytest.approx(value, abs=1e-9, rel=1e-9), (a, key)
        local = counts[area == a]
        for k in range(counts.shape[1]):
            if 0 < local[:, k].sum() < local.sum():
                theirs = peer_single(local, k)
                for key, value in theirs.items():
                    assert result[f"{key}_by_group"][a, k] == pytest.approx(value, abs=1e-9, rel=1e-9), (
                        a,
                        k,
                        key,
                    )


def test_hierarchy_gives_each_level_what_by_area_gives():
    counts = synthetic(11, units=120, groups=4)
    town = np.arange(120) // 10
    county = town // 4
    levels = mixing.hierarchy(counts, {"township": town, "county": county})
    direct = mixing.by_area(counts, county)
    np.testing.assert_allclose(levels["county"]["gini"], direct["gini"])
    assert levels["township"]["area"].size == 12


def test_the_analytics_package_imports_no_django():
    code = "import sys, shiliu.analytics.mixing, shiliu.analytics.composite, shiliu.analytics.assignment, shiliu.analytics.classify; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"


# --- properties -----------------------------------------------------------------------------------------

count_matrices = (
    st.integers(2, 12)
    .flatmap(
        lambda n: st.integers(2, 5).flatmap(lambda k: arrays(np.int64, (n, k), elements=st.integers(0, 40)))
    )
    .filter(lambda m: (m.sum(axis=0) > 0).sum() >= 2)
)


def _naive_multi_gini(counts: np.ndarray) -> float:
    c = counts[:, counts.sum(axis=0) > 0].astype(float)
    t = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.nan_to_num(c / t[:, None])
    P = c.sum(axis=0) / c.sum()
    num = sum((np.outer(t, t) * np.abs(p[:, k][:, None] - p[:, k][None, :])).sum() for k in range(c.shape[1]))
    return num / (2 * c.sum() ** 2 * (P * (1 - P)).sum())


@settings(max_examples=60, deadline=None)
@given(count_matrices)
def test_sorted_prefix_sum_gini_equals_the_quadratic_definition(counts):
    assert mixing.multigroup(counts)["gini"] == pytest.approx(_naive_multi_gini(counts), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(count_matrices, st.randoms())
def test_indices_do_not_depend_on_the_order_of_units_or_groups(counts, rnd):
    base = mixing.multigroup(counts)
    rows = list(range(counts.shape[0]))
    cols = list(range(counts.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    shuffled = mixing.multigroup(counts[rows][:, cols])
    for key, value in base.items():
        assert shuffled[key] == pytest.approx(value, abs=1e-9, nan_ok=True), key


@settings(max_examples=60, deadline=None)
@given(count_matrices)
def test_bounded_indices_stay_between_zero_and_one(counts):
    m = mixing.multigroup(counts)
    for key in (
        "dissimilarity",
        "gini",
        "information_theory",
        "normalized_exposure",
        "relative_diversity",
        "simpson_interaction",
        "simpson_concentration",
        "normalized_diversity",
    ):
        assert -1e-12 <= m[key] <= 1 + 1e-12, key


@settings(max_examples=60, deadline=None)
@given(count_matrices, st.data())
def test_theil_decomposition_adds_up_exactly(counts, data):
    area = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=counts.shape[0], max_size=counts.shape[0]))
    )
    d = mixing.theil_decomposition(counts, area)
    assert d["M_between"] + d["M_within"] == pytest.approx(d["M_total"], abs=1e-12)
    assert d["H_between"] + d["H_within"] == pytest.approx(d["H_total"], abs=1e-12)
    assert d["M_between"] >= -1e-12 and d["M_within"] >= -1e-12


@pytest.mark.parametrize("seed", [3, 4])
def test_all_levels_from_one_global_sort_equals_each_function_alone(seed):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rng.lognormal(3, 1, size=(300, 1)) * rng.dirichlet([0.3] * 7, size=300))
    township = np.sort(rng.integers(0, 40, size=300))
    levels = {"township": township, "county": township // 8, "province": township // 20}
    run = mixing.all_levels(counts, levels, decompose_by="county")
    for name, labels in levels.items():
        alone = mixing.by_area(counts, labels)
        for key in ("gini", "dissimilarity", "information_theory", "gini_by_group", "atkinson_by_group"):
            np.testing.assert_allclose(run["levels"][name][key], alone[key], rtol=1e-10, equal_nan=True)
    overall = mixing.multigroup(counts)
    assert run["overall"] == pytest.approx(overall, nan_ok=True)
    assert run["decomposition"] == pytest.approx(mixing.theil_decomposition(counts, levels["county"]))
    np.testing.assert_allclose(
        run["units"]["simpson"], mixing.unit_diversity(counts)["simpson"], equal_nan=True
    )
    # The level orders built from the global sort are sorted by (area, group, share).
    e = mixing._entries(counts)
    area = levels["county"][e.unit]
    order = mixing._level_order(e, area, int(area.max()) + 1)
    keys = np.c_[area[order], e.group[order], e.share[order]]
    assert np.all(np.diff(keys[:, 0]) >= 0)
    same_area_group = (np.diff(keys[:, 0]) == 0) & (np.diff(keys[:, 1]) == 0)
    assert np.all(np.diff(keys[:, 2])[same_area_group] >= 0)
