"""Small-cell suppression: primary, complementary (secondary) and ownership, with properties checked by brute force."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiliu.jurisdiction.suppression import (
    NOBODY,
    SMALL_CELL,
    Mark,
    Shown,
    Viewer,
    inside_owning_party,
    owns_all,
    show,
    shown_list,
    suppress_list,
    suppress_table,
)

P, S, H, W = Mark.PRIMARY, Mark.SECONDARY, Mark.SHOWN, Mark.WITHHELD


def test_it_hides_counts_of_one_to_four_and_shows_zero_and_five():
    marks, _total = suppress_list([0, 1, 4, 5, 7])
    assert marks == [H, P, P, H, H]


def test_it_hides_the_next_smallest_cell_when_the_total_would_give_a_small_one_back():
    # 塔吉克族 3 beside 9 and 6 of 18: hiding 3 alone, 18 − 9 − 6 gives it back; 6 is hidden with it.
    marks, total = suppress_list([9, 6, 3], total=18)
    assert marks == [H, S, P] and total == H
    cells, shown_total = shown_list([9, 6, 3], total=18)
    assert [c.text for c in cells] == ["9", "×", "<5"] and shown_total == 18


def test_two_small_cells_that_must_both_be_one_get_a_complement():
    # "<5" and "<5" leaving 2 of the total can only be 1 and 1.
    marks, _total = suppress_list([1, 1, 10], total=12)
    assert marks == [P, P, S]


def test_two_small_cells_that_may_differ_need_no_complement():
    marks, total = suppress_list([2, 3, 10], total=15)
    assert marks == [P, P, H] and total == H


def test_a_small_cell_beside_a_five_hides_the_total_when_nothing_else_can_protect_it():
    # Hiding 5 is not enough: "<5" and "×" (at least 5) leaving 6 can only be 1 and 5.
    marks, total = suppress_list([1, 5], total=6)
    assert marks == [P, S] and total == S


def test_a_breakdown_that_no_marking_protects_is_withheld():
    # Four groups of one person: "<5" four times beside a total "<5" can only be 1, 1, 1, 1.
    marks, total = suppress_list([1, 1, 1, 1], total=4)
    assert marks == [W, W, W, W] and total == P
    cells, shown_total = shown_list([1, 1, 1, 1], total=4)
    assert [c.text for c in cells] == ["—"] * 4 and shown_total.text == "<5"


def test_a_small_total_is_hidden_with_its_cells():
    marks, total = suppress_list([2, 1], total=3)
    assert marks == [P, P] and total == P


def test_lists_not_tied_by_a_published_total_get_primary_suppression_only():
    marks, total = suppress_list([3, 40, 12])
    assert marks == [P, H, H] and total == H


def test_lists_sharing_a_total_can_be_told_to_hide_it():
    marks, total = suppress_list([20, 30], total=50, hide_total=True)
    assert total == S and marks == [S, H]  # a hidden total alone would be the sum of the cells shown


def test_it_refuses_a_total_that_is_not_the_sum():
    with pytest.raises(ValueError, match="not to the total"):
        suppress_list([3, 4], total=9)


def test_a_viewer_inside_the_owning_party_sees_exact_counts():
    cells, total = shown_list([9, 6, 3], total=18, exact=True)
    assert [c.text for c in cells] == ["9", "6", "3"] and total == 18


def test_a_hidden_count_keeps_no_trace_of_its_value():
    hidden = show(3, Mark.PRIMARY)
    assert hidden.value is None and str(hidden) == "<5" and hidden.cell == "<5" and hidden != 3
    assert show(12, Mark.SECONDARY).value is None and show(12, Mark.SECONDARY).text == "×"
    assert Shown(12) == 12 and Shown(12) == "12" and Shown(12).cell == 12


def test_a_two_way_table_protects_every_row_and_column_margins_included():
    table = [[3, 10, 20], [8, 12, 7], [15, 9, 30]]
    marks = suppress_table(table)
    assert marks[0][0] == P
    assert len(marks) == 4 and all(len(row) == 4 for row in marks)
    _assert_no_single_subtraction(_full(table), marks)


def test_a_small_margin_is_hidden_too():
    marks = suppress_table([[1, 2], [20, 30]])
    assert marks[0][2] == P  # the first row's total, 3


# --- properties ---------------------------------------------------------------------------------------------------


def _full(table):
    full = [[*row, sum(row)] for row in table]
    full.append([sum(row[j] for row in full) for j in range(len(full[0]))])
    return full


def _lines(full):
    """Every row and column of the table with its margins: (cells, total) as (row, column) positions."""
    height, width = len(full), len(full[0])
    for i in range(height):
        yield [(i, j) for j in range(width - 1)], (i, width - 1)
    for j in range(width):
        yield [(i, j) for i in range(height - 1)], (height - 1, j)


def _assert_no_single_subtraction(full, marks):
    for parts, total in _lines(full):
        hidden = [p for p in (*parts, total) if marks[p[0]][p[1]] != H]
        assert len(hidden) != 1, f"{hidden[0]} = total minus the cells shown"


def _possible_values(full, marks, parts, total, cell):
    """Brute force: every value the cell can take given the line's shown cells, its sum and the marks.

    A "<5" cell may be 1..4 and a "×" cell anything from 5 up (capped far above the table's largest figure); the
    sums the other cells can reach are enumerated, not reasoned about.
    """
    cap = 3 * max(max(row) for row in full) + 20

    def options(p):
        mark = marks[p[0]][p[1]]
        if mark == H:
            return {full[p[0]][p[1]]}
        if mark == P:
            return set(range(1, SMALL_CELL))
        if mark == W:
            return set(range(cap))
        return set(range(SMALL_CELL, cap))

    def sums(positions):
        reach = {0}
        for p in positions:
            reach = {r + v for r in reach for v in options(p) if r + v < 2 * cap}
        return reach

    if cell == total:
        return options(total) & sums(parts)
    others = sums([p for p in parts if p != cell])
    totals = options(total)
    return {v for v in options(cell) if any(o + v in totals for o in others)}


counts = st.integers(min_value=0, max_value=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(counts, min_size=1, max_size=6))
def test_no_hidden_cell_of_a_list_can_be_worked_out_from_its_line(values):
    total = sum(values)
    marks, total_mark = suppress_list(values, total=total)
    full, grid = [[*values, total]], [[*marks, total_mark]]
    assert all(m != H for v, m in zip(values, marks, strict=True) if 0 < v < SMALL_CELL)
    parts, line_total = [(0, j) for j in range(len(values))], (0, len(values))
    for cell in (*parts, line_total):
        if grid[0][cell[1]] != H:
            assert len(_possible_values(full, grid, parts, line_total, cell)) > 1


@settings(max_examples=120, deadline=None)
@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda width: st.lists(st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=3)
    )
)
def test_no_hidden_cell_of_a_table_can_be_recovered_from_the_shown_margins(table):
    marks = suppress_table(table)
    full = _full(table)
    for i, row in enumerate(full):
        for j, value in enumerate(row):
            if 0 < value < SMALL_CELL:
                assert marks[i][j] != H, "every small cell is hidden, margins included"
            if marks[i][j] == S:
                assert value >= SMALL_CELL, "complements are never 0 (their mark says at least 5)"
    _assert_no_single_subtraction(full, marks)
    for parts, total in _lines(full):
        for cell in (*parts, total):
            if marks[cell[0]][cell[1]] != H:
                assert len(_possible_values(full, marks, parts, total, cell)) > 1


# --- ownership ----------------------------------------------------------------------------------------------------


def test_staff_own_the_records_of_every_division_under_their_jurisdiction():
    yangzhou = Viewer(prefix="3210")
    assert yangzhou.inside("321002")  # 广陵区 records are 扬州市's own
    assert yangzhou.inside("3210")
    assert not yangzhou.inside("654025")
    assert Viewer(prefix="32").inside("321002")  # the province too
    assert not Viewer(prefix="321002").inside("3210")  # not the level above


def test_a_coordinator_owns_only_their_own_units_records():
    coordinator = Viewer(prefix="654025", unit_id=7)
    assert coordinator.inside("654025", 7)
    assert not coordinator.inside("654025", None)  # the county's own record is the commission's
    assert not coordinator.inside("654025", 8)


def test_administrators_own_everything_and_nobody_owns_nothing():
    assert Viewer(prefix=None).inside("654025")
    assert not NOBODY.inside("654025") and not Viewer(prefix="").inside("654025")


def test_a_two_sided_record_is_owned_by_either_side_and_an_aggregate_only_when_every_record_is():
    visit = [("654025", None), ("321002", None)]
    assert inside_owning_party(Viewer(prefix="3210"), visit)
    assert inside_owning_party(Viewer(prefix="654025"), visit)
    assert not inside_owning_party(Viewer(prefix="4501"), visit)
    from dataclasses import dataclass

    @dataclass
    class Side:  # any object with region and unit will do
        region: str
        unit: int | None = None

    assert inside_owning_party(Viewer(prefix="3210"), [Side("654025"), Side("321002")])
    other = [("654025", None), ("350128", None)]
    assert owns_all(Viewer(prefix="654025"), [visit, other])
    assert not owns_all(Viewer(prefix="3210"), [visit, other])
