"""Assignment: hand-checkable cases, brute force on random small instances, infeasibility in numbers."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiliu.analytics.assignment import InfeasibleAssignmentError, assign, max_pairs


def test_each_row_gets_its_cheapest_feasible_partner():
    cost = np.array([[1.0, 5.0], [2.0, 9.0], [8.0, 1.0]])
    a = assign(cost, capacity=[2, 1])
    assert a.pairs == [(0, 0), (1, 0), (2, 1)] and a.total_cost == 4.0


def test_capacity_pushes_a_row_to_its_second_choice():
    cost = np.array([[1.0, 3.0], [1.0, 2.0]])
    a = assign(cost, capacity=[1, 1])
    assert a.pairs == [(0, 0), (1, 1)] and a.total_cost == 3.0


def test_forbidden_and_locked_pairs_are_respected():
    cost = np.array([[1.0, np.inf, 4.0], [1.0, 2.0, 3.0]])
    a = assign(cost, capacity=[1, 1, 1], locked=[(1, 0)])
    assert (1, 0) in a.pairs and (0, 2) in a.pairs and a.total_cost == 5.0


def test_rows_may_need_several_distinct_partners():
    cost = np.array([[1.0, 1.0, 5.0], [1.0, 1.0, 1.0]])
    a = assign(cost, capacity=[2, 2, 2], demand=[2, 2])
    assert a.solver == "highs-lp"
    assert len(set(a.pairs)) == 4 and a.total_cost == 4.0
    assert sorted(a.partners_of_row(0)) == [0, 1]


def test_44_urban_schools_with_two_places_each_cannot_take_100_rural_schools():
    with pytest.raises(InfeasibleAssignmentError, match="short of 12 places") as info:
        assign(np.zeros((100, 44)), capacity=2)
    assert info.value.shortfall == 12


def test_forbidden_pairs_count_in_the_shortfall():
    cost = np.array([[1.0, np.inf], [2.0, np.inf], [np.inf, 1.0]])
    with pytest.raises(InfeasibleAssignmentError, match="short of 1 places"):
        assign(cost, capacity=[1, 5])
    assert max_pairs(cost, None, [1, 5]) == 2


def _brute_force(cost, demand, capacity):
    n, m = cost.shape
    options = [list(itertools.combinations(range(m), d)) for d in demand]
    best = np.inf
    for choice in itertools.product(*options):
        load = np.zeros(m, dtype=int)
        total = 0.0
        for i, cols in enumerate(choice):
            for j in cols:
                load[j] += 1
                total += cost[i, j]
        if np.all(load <= capacity) and total < best:
            best = total
    return best


@st.composite
def instances(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    cost = np.array(
        draw(st.lists(st.lists(st.integers(0, 20), min_size=m, max_size=m), min_size=n, max_size=n)),
        dtype=float,
    )
    forbid = draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n))
    cost[np.array(forbid) & (draw(st.integers(0, 3)) == 0)] = np.inf
    demand = np.array(draw(st.lists(st.integers(0, min(2, m)), min_size=n, max_size=n)))
    capacity = np.array(draw(st.lists(st.integers(0, 3), min_size=m, max_size=m)))
    return cost, demand, capacity


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_total_cost_equals_brute_force_on_small_random_instances(instance):
    cost, demand, capacity = instance
    best = _brute_force(cost, demand, capacity)
    if not np.isfinite(best):
        with pytest.raises(InfeasibleAssignmentError):
            assign(cost, capacity=capacity, demand=demand)
        return
    a = assign(cost, capacity=capacity, demand=demand)
    assert a.total_cost == pytest.approx(best)
    assert len(set(a.pairs)) == len(a.pairs) == demand.sum()
    for j in range(cost.shape[1]):
        assert a.load_of_column(j) <= capacity[j]
