"""Excel export of the filtered unit list (same scope and filters as the page)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib.downloads import append_row, workbook_bytes

from .models import Organization


def organizations_xlsx(units: Iterable[Organization]) -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)  # a new workbook always has its first sheet
    ws.title = _("Units")
    header = [
        _("Name"),
        _("Type"),
        _("Division code"),
        _("Region"),
        _("Parent unit"),
        _("Address"),
        _("Contact person"),
        _("Contact phone"),
    ]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for unit in units:
        append_row(
            ws,
            [
                unit.name,
                unit.get_kind_display(),
                unit.region_id,
                unit.region.name,
                unit.parent.name if unit.parent else "",
                unit.address,
                unit.contact_name,
                unit.masked_phone,  # exports leave this office too: phone numbers stay masked
            ],
        )
    for column, width in zip("ABCDEFGH", (36, 14, 14, 16, 30, 40, 12, 16), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)
