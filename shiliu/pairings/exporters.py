from __future__ import annotations

from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib.downloads import append_row, workbook_bytes

from .selectors import Coverage


def coverage_xlsx(cov: Coverage, title: str) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = _("Coverage")
    append_row(ws, [title])
    append_row(ws, [_("Paired"), cov.paired, _("Total"), cov.total, _("Coverage"), f"{cov.percent:.1f}%"])
    append_row(ws, [])
    append_row(ws, [_("Unit"), _("Type"), _("Region"), _("Paired"), _("Partners")])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    missing = PatternFill("solid", fgColor="FDE2E4")
    for row in cov.rows:
        append_row(
            ws,
            [
                row.name,
                row.kind,
                row.region,
                _("yes") if row.paired else _("no"),
                "、".join(row.partners),
            ],
        )
        if not row.paired:
            for cell in ws[ws.max_row]:
                cell.fill = missing
    for column, width in zip("ABCDE", (34, 12, 20, 8, 60), strict=True):
        ws.column_dimensions[column].width = width
    return workbook_bytes(wb)
