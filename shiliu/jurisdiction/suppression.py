"""Small-cell suppression: the one rule for every count of people shown or exported outside the owning party.

A viewer inside a record's owning party sees its exact counts. Anyone else sees aggregates with small cells hidden,
so that no count of fewer than five people can be read off a page, an export or the API, nor worked out from the
figures beside it. Pages, exports and the API call these functions; none re-writes them.

Primary suppression
    A count of 1 to 4 people (below :data:`SMALL_CELL`) is shown as "<5".

Zero
    0 is shown as 0: it names nobody, statistical offices publish it, and most of Shiliu's tables list only groups
    that took part. A 0 is never picked as a complementary cell either: a reader who knows the rule knows a cell
    hidden as a complement holds at least 5, so a hidden 0 protects nothing and can give its partner away
    ("<5" beside a hidden 0 with 3 missing from the total can only be 3).

Secondary (complementary) suppression
    Where cells add up to a published total, hiding one cell is useless: the total minus the others gives it back.
    So, as statistical offices do, every line of the table (each row and each column, the margins included) that
    still exposes a hidden cell gets its smallest cell still shown (never a 0) hidden as well, shown as "×", and
    this repeats until no line changes. A line *exposes* a hidden cell when what a reader knows leaves the cell one
    possible value: the line's sum, the cells shown, and the marks themselves ("<5" lies in 1..4, "×" is at least 5).
    That is the classic test (a line with exactly one hidden cell) plus the bounded cases it misses: two "<5" cells
    that must share 2 (both are 1) or 8 (both are 4), or a "<5" beside a "×" that leave 6 (1 and 5).

    A line can be beyond help: four groups of one person each, their total of 4 itself "<5", leave every cell
    exactly 1 however they are marked. Then the breakdown is withheld: its cells are not published at all ("—",
    and lists leave such rows out), only the total with its own mark.

    Limitation: the test looks at one line at a time. Combining many lines of a large two-way table (linear
    programming, as τ-ARGUS audits) can narrow a hidden cell further; Shiliu publishes one-way lists and small
    two-way tables, where line-by-line protection is what statistical offices apply.

Ownership
    A viewer is inside a record's owning party when their jurisdiction covers one of its parties: a unit's
    coordinator for records of their own unit; commission staff when their division-code prefix covers the party's
    region (扬州市 ``3210`` owns what 广陵区 ``321002`` records); platform administrators for everything.

Plain Python on purpose: no Django and no app above ``shiliu.regions`` is imported here.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

SMALL_CELL = 5
PRIMARY_TEXT = f"<{SMALL_CELL}"
SECONDARY_TEXT = "×"
WITHHELD_TEXT = "—"


class Mark(enum.IntEnum):
    """How a cell is published."""

    SHOWN = 0
    PRIMARY = 1  # a small count itself: "<5"
    SECONDARY = 2  # hidden so that a small count cannot be worked out from the total: "×"
    WITHHELD = 3  # not published: the breakdown of a line that no marking can protect


def is_small(value: int) -> bool:
    """A count that may not be shown outside the owning party: 1 to 4 people (0 is shown)."""
    return 0 < value < SMALL_CELL


# A line of a table: the positions of its parts and of the total they add up to, in a flat list of cells.
Line = tuple[Sequence[int], int]


def _bounds(mark: Mark) -> tuple[float, float]:
    """What a reader knows of a hidden cell from its mark alone."""
    if mark == Mark.PRIMARY:
        return 1, SMALL_CELL - 1
    if mark == Mark.WITHHELD:
        return 0, math.inf
    return SMALL_CELL, math.inf


def exposes(values: Sequence[int], marks: Sequence[Mark], line: Line) -> bool:
    """Does this line leave one of its hidden cells a single possible value?

    ``values`` and ``marks`` are the flat cells of the table; ``line`` says which of them are the parts and which
    is their total. The reader knows the shown cells, that the parts add up to the total, and each hidden cell's
    bounds from its mark.
    """
    parts, total = line
    hidden = [i for i in parts if marks[i] != Mark.SHOWN]
    if not hidden and marks[total] == Mark.SHOWN:
        return False
    shown_sum = sum(values[i] for i in parts if marks[i] == Mark.SHOWN)
    if marks[total] == Mark.SHOWN:
        total_lo = total_hi = float(values[total])
    else:
        total_lo, total_hi = _bounds(marks[total])
    bounds = {i: _bounds(marks[i]) for i in hidden}
    for i in hidden:
        others_lo = sum(bounds[j][0] for j in hidden if j != i)
        others_hi = sum(bounds[j][1] for j in hidden if j != i)
        low = max(bounds[i][0], total_lo - shown_sum - others_hi)
        high = min(bounds[i][1], total_hi - shown_sum - others_lo)
        if high - low < 1:
            return True
    if marks[total] != Mark.SHOWN:
        low = max(total_lo, shown_sum + sum(b[0] for b in bounds.values()))
        high = min(total_hi, shown_sum + sum(b[1] for b in bounds.values()))
        if high - low < 1:
            return True
    return False


def protect(values: Sequence[int], marks: list[Mark], lines: Sequence[Line]) -> list[Mark]:
    """Secondary suppression: hide complementary cells until no line exposes a hidden cell.

    In a line that exposes one, the smallest cell still shown and not 0 is hidden (ties: the first in the line, the
    total last); lines are re-checked until none changes. Changes ``marks`` in place and returns it.
    """
    changed = True
    while changed:
        changed = False
        for line in lines:
            parts, total = line
            while exposes(values, marks, line):
                candidates = [i for i in (*parts, total) if marks[i] == Mark.SHOWN and values[i] > 0]
                if not candidates:
                    break  # nothing left to hide in this line; its other lines may still help
                marks[min(candidates, key=lambda i: values[i])] = Mark.SECONDARY
                changed = True
    return marks


def suppress_list(
    values: Sequence[int], *, total: int | None = None, hide_total: bool = False
) -> tuple[list[Mark], Mark]:
    """Marks for a one-way table (a breakdown of people by one attribute) and for its total.

    ``total`` is the published total the cells add up to; give ``None`` when no published figure ties them
    together (overlapping groups), and only primary suppression applies. ``hide_total`` publishes the total as
    hidden even when it need not be: several lists that share one total (the person-times of a region by ethnic
    group and by category) must hide it together once one of them has to.

    Returns the marks of the cells, in order, and the mark of the total.
    """
    cells = [Mark.PRIMARY if is_small(v) else Mark.SHOWN for v in values]
    if total is None:
        return cells, Mark.SHOWN
    if total != sum(values):
        raise ValueError(f"the cells add up to {sum(values)}, not to the total {total}")
    total_mark = Mark.PRIMARY if is_small(total) else Mark.SECONDARY if hide_total else Mark.SHOWN
    line = (range(len(values)), len(values))
    marks = protect([*values, total], [*cells, total_mark], [line])
    if exposes([*values, total], marks, line):
        return [Mark.WITHHELD] * len(values), marks[-1]
    return marks[:-1], marks[-1]


def suppress_table(table: Sequence[Sequence[int]]) -> list[list[Mark]]:
    """Marks for a two-way table and its margins.

    ``table`` is the interior, one list per row. The margins are its sums: the result has one more row (the
    column totals) and one more column (the row totals), the grand total in the corner. Every row and every column
    of that full table, margins included, is a line that must not expose a hidden cell.
    """
    rows = [list(r) for r in table]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("every row of the table needs the same number of cells")
    full = [[*r, sum(r)] for r in rows]
    full.append([sum(r[j] for r in full) for j in range(width + 1)])
    stride = width + 1
    values = [v for r in full for v in r]
    lines: list[Line] = []
    for i in range(len(full)):  # each row, the column totals' row included: parts, then the row total
        lines.append((range(i * stride, i * stride + width), i * stride + width))
    for j in range(stride):  # each column, the row totals' column included: parts, then the column total
        lines.append((range(j, len(rows) * stride, stride), len(rows) * stride + j))
    marks = protect(values, [Mark.PRIMARY if is_small(v) else Mark.SHOWN for v in values], lines)
    if any(exposes(values, marks, line) for line in lines):
        # No marking protects the table: publish its grand total alone.
        marks = [Mark.WITHHELD] * (len(values) - 1) + [marks[-1]]
    return [marks[i * stride : (i + 1) * stride] for i in range(len(full))]


@dataclass(frozen=True, eq=False)
class Shown:
    """A count as published: its value only when shown, otherwise "<5" or "×".

    The hidden value is not kept, so a template or an export cannot print it by mistake. A shown cell compares
    equal to its number and to its text, which keeps callers and tests plain (``stats.person_times == 18``).
    """

    value: int | None
    mark: Mark = Mark.SHOWN

    @property
    def hidden(self) -> bool:
        return self.mark != Mark.SHOWN

    @property
    def text(self) -> str:
        if self.mark == Mark.PRIMARY:
            return PRIMARY_TEXT
        if self.mark == Mark.SECONDARY:
            return SECONDARY_TEXT
        if self.mark == Mark.WITHHELD:
            return WITHHELD_TEXT
        return str(self.value)

    @property
    def cell(self) -> int | str:
        """What a spreadsheet cell holds: the number, or the mark as text."""
        return self.value if self.value is not None and not self.hidden else self.text

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return self.hidden or bool(self.value)  # a hidden count is never 0

    def __repr__(self) -> str:
        return f"Shown({self.text!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Shown):
            return (self.value, self.mark) == (other.value, other.mark)
        if isinstance(other, int):
            return not self.hidden and self.value == other
        if isinstance(other, str):
            return self.text == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.value, self.mark))


def show(value: int, mark: Mark) -> Shown:
    """The published form of a count under a mark; a hidden count leaves no trace of its value."""
    return Shown(value if mark == Mark.SHOWN else None, mark)


def shown_list(
    values: Sequence[int], *, total: int | None = None, exact: bool = False, hide_total: bool = False
) -> tuple[list[Shown], Shown]:
    """A one-way table as published: every count exact for a viewer inside the owning party (``exact``),
    otherwise through :func:`suppress_list`. Returns the cells and the total (the sum when ``total`` is None;
    never hidden then, as nothing publishes it)."""
    if exact:
        return [Shown(v) for v in values], Shown(sum(values) if total is None else total)
    marks, total_mark = suppress_list(values, total=total, hide_total=hide_total)
    return (
        [show(v, m) for v, m in zip(values, marks, strict=True)],
        show(sum(values) if total is None else total, total_mark),
    )


@dataclass(frozen=True)
class Viewer:
    """Who is looking, as far as ownership goes.

    ``prefix`` is the viewer's jurisdiction (a division-code prefix; None for the whole country). ``unit_id`` is
    set only for someone who acts for one unit (a coordinator): they are inside a party only when it is their unit.
    """

    prefix: str | None
    unit_id: int | None = None

    def inside(self, region: str | None, unit_id: int | None = None) -> bool:
        """Is the viewer inside the party (``region`` its division code, ``unit_id`` its unit if any)?"""
        if self.unit_id is not None:
            return unit_id is not None and unit_id == self.unit_id
        if self.prefix is None:
            return True
        return bool(self.prefix) and bool(region) and str(region).startswith(self.prefix)


NOBODY = Viewer(prefix="\x00")

# A party of a record: (division code, unit id or None), or any object with ``region`` and ``unit`` attributes.
PartyLike = Any


def _region_and_unit(party: PartyLike) -> tuple[str | None, int | None]:
    if hasattr(party, "region") and hasattr(party, "unit"):
        return party.region, party.unit
    region, unit = party
    return region, unit


def inside_owning_party(viewer: Viewer, parties: Iterable[PartyLike]) -> bool:
    """Is the viewer inside one of a record's parties (a two-sided record has two)?"""
    return any(viewer.inside(*_region_and_unit(party)) for party in parties)


def owns_all(viewer: Viewer, records: Iterable[Iterable[PartyLike]]) -> bool:
    """Is the viewer inside the owning party of every record behind an aggregate? Only then is it exact."""
    return all(inside_owning_party(viewer, parties) for parties in records)
