"""The two lists as one workbook to exchange between the paired regions: the seekers' list, the posts, and where
they meet."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib.downloads import append_row, workbook_bytes

from .matching import MatchResult


def _sheet(ws: Worksheet, header: list[str]) -> None:
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def lists_xlsx(needs: list[Any], jobs: list[Any], result: MatchResult) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = _("Seekers' list")
    _sheet(
        ws,
        [
            _("Origin region"),
            _("Occupation"),
            _("Kind of work"),
            _("Wanted place"),
            _("Lowest wage"),
            _("Languages"),
            _("Seekers"),
            _("Fitting posts"),
        ],
    )
    for row in result.rows:
        n = row.need
        append_row(
            ws,
            [
                n.origin_region.name,
                n.occupation_name,
                n.wanted,
                n.place_region.name,
                n.wage_min,
                n.languages,
                n.seekers,
                row.openings,
            ],
        )
    ws2 = wb.create_sheet(_("Posts"))
    _sheet(
        ws2,
        [
            _("Employer"),
            _("Post"),
            _("Occupation"),
            _("Place of work"),
            _("Lowest wage"),
            _("Highest wage"),
            _("Working hours"),
            _("Housing"),
            _("Meals"),
            _("Languages"),
            _("Openings"),
            _("Recruits from"),
            _("Close on"),
            _("Wanted by a seekers' row"),
        ],
    )
    unwanted = {j.pk for j in result.unwanted_jobs}
    for j in jobs:
        append_row(
            ws2,
            [
                j.employer.name,
                j.title,
                j.occupation_name,
                j.region.name,
                j.wage_min,
                j.wage_max,
                j.hours,
                _("yes") if j.housing else _("no"),
                _("yes") if j.meals else _("no"),
                j.languages,
                j.openings,
                "、".join(r.name for r in j.recruit_from.all()),
                j.closes_on,
                _("no") if j.pk in unwanted else _("yes"),
            ],
        )
    return workbook_bytes(wb)
