"""Composite evaluation: two published worked examples, pymcdm where it implements the same method, properties."""

import numpy as np
import pytest

from shiliu.analytics import composite

pymcdm = pytest.importorskip("pymcdm")
from pymcdm import methods as pm_methods  # noqa: E402
from pymcdm import normalizations as pm_norm  # noqa: E402
from pymcdm import weights as pm_weights  # noqa: E402

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. Int. J. Services Sciences 1(1), 83–98:
# "Which drink is consumed more in the U.S.?" — published priorities and CR = 0.022.
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("coffee", "water"): 1 / 2, ("wine", "tea"): 1 / 3, ("wine", "beer"): 1 / 9,
    ("wine", "soda"): 1 / 9, ("wine", "milk"): 1 / 9, ("wine", "water"): 1 / 9, ("tea", "beer"): 1 / 3,
    ("tea", "soda"): 1 / 4, ("tea", "milk"): 1 / 3, ("tea", "water"): 1 / 9, ("beer", "soda"): 1 / 2,
    ("beer", "milk"): 1, ("beer", "water"): 1 / 3, ("soda", "milk"): 2, ("soda", "water"): 1 / 2,
    ("milk", "water"): 1 / 3,
}  # fmt: skip
DRINK_PRIORITIES = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


def drinks_matrix() -> np.ndarray:
    a = np.ones((7, 7))
    for (x, y), v in DRINK_JUDGEMENTS.items():
        i, j = DRINKS.index(x), DRINKS.index(y)
        a[i, j], a[j, i] = v, 1 / v
    return a


def test_ahp_reproduces_saatys_drinks_example():
    result = composite.ahp_weights(drinks_matrix())
    np.testing.assert_allclose(result.weights, DRINK_PRIORITIES, atol=5e-4)
    assert result.consistency_ratio == pytest.approx(0.022, abs=5e-4)


def test_ahp_refuses_inconsistent_judgements_with_the_ratio():
    a = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])  # A ≫ B ≫ C ≫ A
    with pytest.raises(composite.InconsistentJudgementsError, match="consistency ratio") as info:
        composite.ahp_weights(a)
    assert info.value.ratio > 0.1
    with pytest.raises(ValueError, match="reciprocal"):
        composite.ahp_weights([[1, 2], [2, 1]])


def test_a_perfectly_consistent_matrix_gives_back_its_weights():
    w = np.array([0.5, 0.3, 0.2])
    result = composite.ahp_weights(w[:, None] / w[None, :])
    np.testing.assert_allclose(result.weights, w)
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9)


# Meyer, P. & Bigaret, S., R package MCDA, documentation of TOPSIS(): three cars on price (min), economy,
# aesthetics and boot capacity (max), weights 0.35/0.25/0.25/0.15, with the published ideal and anti-ideal.
CARS = [[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]]
CAR_WEIGHTS = [0.35, 0.25, 0.25, 0.15]
CAR_DIRECTIONS = [-1, 1, 1, 1]


def test_topsis_reproduces_the_mcda_package_cars_example():
    t = composite.topsis(CARS, CAR_WEIGHTS, CAR_DIRECTIONS)
    np.testing.assert_allclose(t.ideal, [0.179573776, 0.171636015, 0.159499658, 0.087302767], atol=1e-8)
    np.testing.assert_allclose(t.anti_ideal, [0.212610118, 0.124958799, 0.131352659, 0.085797547], atol=1e-8)
    assert list(composite.ranks(t.closeness)) == [2, 1, 3]


def test_topsis_equals_pymcdm_with_vector_normalisation():
    rng = np.random.default_rng(5)
    x = rng.uniform(1, 100, size=(12, 5))
    w = rng.dirichlet(np.ones(5))
    d = np.array([1, -1, 1, 1, -1])
    ours = composite.topsis(x, w, d).closeness
    theirs = pm_methods.TOPSIS(normalization_function=pm_norm.vector_normalization)(x, w, d)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_the_default_normalisation_is_documented_because_libraries_differ():
    x = np.array([[1.0, 9.0], [2.0, 5.0], [8.0, 1.0], [4.0, 4.0]])
    ours = composite.topsis(x, [0.5, 0.5], [1, 1]).closeness
    pymcdm_default = pm_methods.TOPSIS()(x, np.array([0.5, 0.5]), np.array([1, 1]))  # min-max by default
    assert not np.allclose(ours, pymcdm_default)
    assert "vector normalisation by default" in composite.topsis.__doc__


def test_entropy_weights_equal_pymcdm_on_strictly_positive_data():
    rng = np.random.default_rng(9)
    x = rng.uniform(0.5, 10, size=(20, 6))
    np.testing.assert_allclose(composite.entropy_weights(x), pm_weights.entropy_weights(x), atol=1e-12)


def test_a_single_zero_is_taken_at_its_limit_not_refused_or_rewarded():
    x = np.array([[5.0, 5.0, 1.0], [5.0, 5.1, 9.0], [5.0, 4.9, 4.0], [0.0, 5.0, 6.0]])
    with pytest.raises(ValueError, match="positive"):
        pm_weights.entropy_weights(
            x
        )  # pymcdm 1.4 refuses zeros (earlier releases gave the column the top weight)
    ours = composite.entropy_weights(x)
    # Column 0 by hand: p = (1/3, 1/3, 1/3, 0), e = ln 3 / ln 4; 1 − e = 0.2075 (0 · ln 0 = 0).
    divergence = [1 - np.log(3) / np.log(4), 1 - _entropy(x[:, 1]), 1 - _entropy(x[:, 2])]
    np.testing.assert_allclose(ours, np.array(divergence) / sum(divergence), atol=1e-12)
    # pymcdm ≤ 1.3 gave column 0 divergence 1 instead of 0.21: nearly all the weight.
    old = np.array([1.0, divergence[1], divergence[2]])
    assert ours[0] < (old / old.sum())[0] - 0.25
    assert composite.entropy_weights(np.ones((4, 2)) * 3).tolist() == [0.5, 0.5]


def _entropy(column: np.ndarray) -> float:
    p = column / column.sum()
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / np.log(column.size))


def test_two_level_weights_flatten_to_products_summing_to_one():
    tree = {"共居": (2, {"混居率": 1, "房屋": 1}), "共学": (1, {"双语": 3, "结对": 1})}
    w = composite.flatten_weights(tree)
    assert w == pytest.approx({"混居率": 1 / 3, "房屋": 1 / 3, "双语": 0.25, "结对": 1 / 12})


def test_evaluation_explains_each_score_as_indicator_contributions():
    x = np.array([[10.0, 0.2, 10], [20.0, 0.5, 30], [15.0, 0.1, 20]])
    e = composite.evaluate(x, weights=[0.5, 0.3, 0.2], directions=[1, 1, -1])
    np.testing.assert_allclose(e.contributions.sum(axis=1), e.scores)
    # unit 1: best on both higher-is-better indicators, worst on the cost: 0.5 + 0.3 + 0
    assert e.scores[1] == pytest.approx(0.8) and e.ranks[1] == 1
    top = e.explain(1, ["人口", "比例", "成本"])
    assert top[0] == ("人口", pytest.approx(0.5))
    assert e.method == {
        "normalisation": "minmax",
        "aggregation": "arithmetic",
        "weighting": "fixed",
        "missing": "exclude",
    }


def test_missing_values_follow_the_recorded_policy():
    x = np.array([[1.0, 2.0], [np.nan, 4.0], [3.0, 6.0]])
    excluded = composite.evaluate(x, weights=[1, 1])
    assert (
        np.isnan(excluded.scores[1])
        and excluded.ranks[1] == 0
        and list(excluded.included) == [True, False, True]
    )
    imputed = composite.evaluate(x, weights=[1, 1], missing="impute_mean")
    assert imputed.scores[1] == pytest.approx(0.5) and imputed.method["missing"] == "impute_mean"
    zero = composite.evaluate(x, weights=[1, 1], missing="impute_zero")
    assert zero.scores[1] == pytest.approx((0 + 0.5) / 2)


def test_geometric_and_topsis_aggregation_rank_consistently_on_a_dominant_unit():
    x = np.array([[9.0, 9.0, 9.0], [1.0, 5.0, 2.0], [4.0, 2.0, 7.0]])
    for aggregation in ("arithmetic", "geometric", "topsis"):
        assert composite.evaluate(x, weights=[1, 1, 1], aggregation=aggregation).ranks[0] == 1, aggregation


def test_sensitivity_reports_how_often_the_top_stays_put():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, size=(40, 4))
    s = composite.weight_sensitivity(x, [0.4, 0.3, 0.2, 0.1], top_n=10)
    assert s.runs == 8 and 0 <= s.top_stable_share <= 1
    dominant = np.vstack([np.full(4, 10.0), x])
    assert composite.weight_sensitivity(dominant, [0.4, 0.3, 0.2, 0.1], top_n=1).top_stable_share == 1.0
