"""The periodic statistical table (统计报表) a commission sends upward: one row per subordinate division, the Three
Plans' batches and person-times side by side under merged headers, sub-totals per prefecture (for a province's
table of counties) and the total.

Counts of people pass through the jurisdiction layer's two-way suppression (``suppress_table``) whenever the table
leaves the owning region — that is, when the viewer is not inside every activity's owning party (as the statistics
page decides); batches are counts of activities and are shown as they are."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db.models.functions import Length
from django.utils.translation import gettext as _

from shiliu.exchanges.statistics import facts
from shiliu.jurisdiction.suppression import Mark, Shown, show, suppress_table
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.regions.models import Region

PLANS = facts.PLANS


@dataclass
class TableRow:
    code: str
    name: str
    kind: str  # "row", "subtotal" or "total"
    batches: list[int] = field(default_factory=list)  # total, then per plan
    people: list[Shown] = field(default_factory=list)


@dataclass
class StatTable:
    region: Any
    date_from: dt.date
    date_to: dt.date
    rows: list[TableRow]
    suppressed: bool


def plan_labels() -> list[str]:
    from shiliu.exchanges.ledger.models import Plan

    return [str(label) for _v, label in Plan.choices]


def _divisions(code: str, length: int) -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(code__startswith=code, valid_to__isnull=True)
        .annotate(n=Length("code"))
        .filter(n=length)
        .order_by("code")
        .values_list("code", "name")
    )


def _numbers(code: str, date_from: dt.date, date_to: dt.date) -> tuple[list[int], list[int]]:
    fig = facts.region_figures(region=code, date_from=date_from, date_to=date_to)
    return (
        [fig.batches] + [fig.by_plan[p][0] for p in PLANS],
        [fig.person_times] + [fig.by_plan[p][1] for p in PLANS],
    )


def build(*, user: Any, region: Any, date_from: dt.date, date_to: dt.date) -> StatTable:
    """Rows per division one level down; for a province, its counties grouped under prefecture sub-totals."""
    code = region.code
    length = facts.child_length(code)
    exact = facts.viewer_owns(user=user, region=code, date_from=date_from, date_to=date_to)
    groups: list[tuple[tuple[str, str] | None, list[tuple[str, str]]]] = []
    if len(code) == 2:
        for prefecture in _divisions(code, 4):
            groups.append((prefecture, _divisions(prefecture[0], 6)))
    else:
        groups.append((None, _divisions(code, length)))
    leaves = [leaf for _g, members in groups for leaf in members]
    numbers = {c: _numbers(c, date_from, date_to) for c, _n in leaves}
    # The leaves' person-times by plan go through the two-way protection (rows × plans, with its margins); a
    # sub-total or total cell is hidden too whenever a cell it adds up is (more than needed, never less).
    interior = [numbers[c][1][1:] for c, _n in leaves] or [[0] * len(PLANS)]
    marks = None if exact else suppress_table(interior)
    leaf_cells: dict[str, list[Shown]] = {}
    for i, (c, _n) in enumerate(leaves):
        people = numbers[c][1]
        if marks is None:
            leaf_cells[c] = [Shown(v) for v in people]
        else:
            m = marks[i]
            leaf_cells[c] = [show(people[0], m[-1])] + [
                show(v, k) for v, k in zip(people[1:], m[:-1], strict=True)
            ]

    def summed(values: list[int], parts: list[list[Shown]]) -> list[Shown]:
        if exact:
            return [Shown(v) for v in values]
        out = []
        for j, v in enumerate(values):
            hidden = any(p[j].hidden for p in parts)
            out.append(
                show(v, Mark.SECONDARY if hidden and v >= 5 else Mark.PRIMARY if 0 < v < 5 else Mark.SHOWN)
            )
        return out

    rows: list[TableRow] = []
    for head, members in groups:
        member_rows = [TableRow(c, n, "row", numbers[c][0], leaf_cells[c]) for c, n in members]
        if head is not None:
            b, p = _numbers(head[0], date_from, date_to)
            rows.append(TableRow(head[0], head[1], "subtotal", b, summed(p, [r.people for r in member_rows])))
        rows += member_rows
    b, p = _numbers(code, date_from, date_to)
    rows.append(
        TableRow(code, _("Total"), "total", b, summed(p, [r.people for r in rows if r.kind == "row"]))
    )
    suppressed = any(c.hidden for r in rows for c in r.people)
    return StatTable(region=region, date_from=date_from, date_to=date_to, rows=rows, suppressed=suppressed)


def to_xlsx(table: StatTable) -> bytes:
    """The table as a workbook: a title, two header rows with merged cells, a row per division and the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Statistical table")[:31]
    labels = plan_labels()
    width = 2 + 2 * (1 + len(labels))
    append_row(
        ws,
        [
            f"{table.region.name} {table.date_from:%Y-%m-%d}—{table.date_to:%Y-%m-%d} "
            + _("Exchange activities")
        ],
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    append_row(
        ws,
        [
            _("Division code"),
            _("Division"),
            _("All plans"),
            "",
            *[x for label in labels for x in (label, "")],
        ],
    )
    append_row(ws, ["", "", *[_("Batches"), _("Person-times")] * (1 + len(labels))])
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    ws.merge_cells(start_row=2, start_column=2, end_row=3, end_column=2)
    for i in range(1 + len(labels)):
        ws.merge_cells(start_row=2, start_column=3 + 2 * i, end_row=2, end_column=4 + 2 * i)
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center")
    for r in table.rows:
        cells: list[Any] = [r.code if r.kind != "total" else "", r.name]
        for b, p in zip(r.batches, r.people, strict=True):
            cells += [b, p.cell]
        append_row(ws, cells)
    if table.suppressed:
        append_row(ws, [])
        append_row(
            ws,
            [
                _(
                    "<5: fewer than 5 people. ×: hidden so that a figure under 5 cannot be worked out from the totals."
                )
            ],
        )
    ws.column_dimensions["B"].width = 24
    out = io.BytesIO()
    out.write(workbook_bytes(wb))
    return out.getvalue()
