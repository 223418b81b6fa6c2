"""The statistics as a workbook: one sheet a table, every count of people exactly as the page shows it (the same
:class:`~shiliu.exchanges.statistics.selectors.Stats`, so the same cells are hidden)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from shiliu.exchanges.ledger.selectors import SUPPRESSION_NOTE
from shiliu.exchanges.statistics.selectors import Stats
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.regions.models import Region


def statistics_workbook(
    *,
    region: Region,
    date_from: dt.date | None,
    date_to: dt.date | None,
    stats: Stats,
    more: dict[str, int],
) -> bytes:
    """The overview (with pen-pals and tour groups) and one sheet per breakdown, as .xlsx bytes."""
    period = "–".join(d.isoformat() if d else "…" for d in (date_from, date_to))
    wb = Workbook()
    summary = wb.active
    assert summary is not None  # noqa: S101 - a new workbook has a sheet
    summary.title = _("Overview")
    rows: list[list[Any]] = [
        [_("Region"), f"{region.name}（{region.code}）"],
        [_("Period"), period],
        [_("Batches (activities)"), stats.batches],
        [_("Person-times"), stats.person_times.cell],
    ]
    for role, label in (("sending", _("As sending party")), ("receiving", _("As receiving party"))):
        batches, people = stats.by_role[role]
        rows.append([label, batches, people.cell])
    rows.append([_("Pen-pals"), more["programmes"], more["pairs"], more["letters"]])
    rows.append(
        [_("Tour groups"), more["groups_out"], more["visitors_out"], more["groups_in"], more["visitors_in"]]
    )
    if stats.suppressed:
        rows.append([_(SUPPRESSION_NOTE)])
    for row in rows:
        append_row(summary, row)
    tables: list[tuple[str, list[str], list[list[Any]]]] = [
        (
            _("Three Plans"),
            [_("Plan"), _("Batches"), _("Person-times")],
            [[label, n, people.cell] for _k, label, n, people in stats.by_plan],
        ),
        (
            _("Type"),
            [_("Type"), _("Batches"), _("Person-times")],
            [[name, n, people.cell] for _k, name, n, people in stats.by_type],
        ),
        (
            _("Category"),
            [_("Category"), _("Person-times")],
            [[label, people.cell] for _k, label, people in stats.by_category],
        ),
        (
            _("Ethnic group"),
            [_("Ethnic group"), _("Person-times")],
            [[name, people.cell] for _k, name, people in stats.by_ethnic_group],
        ),
        (
            _("Top partner regions"),
            [_("Region"), _("Batches")],
            [[name, n] for _c, name, n in stats.top_partners],
        ),
    ]
    for title, header, table in tables:
        sheet = wb.create_sheet(str(title)[:31])
        append_row(sheet, header)
        for row in table:
            append_row(sheet, row)  # numbers stay numbers; a hidden cell is the text "<5" or "×"
    return workbook_bytes(wb)
