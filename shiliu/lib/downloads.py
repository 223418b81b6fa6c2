"""Responses that hand the user a file: an Excel workbook made on the fly, or a stored upload.

Every exported cell goes through :func:`append_row` (or :func:`safe_cell`): text is written as text. A value that a
spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — an
activity titled ``=HYPERLINK("http://evil.example/","x")``) is stored as a text cell with Excel's quote prefix,
exactly what typing an apostrophe before it does: it shows as typed, is not run when the file opens, and stays text
when someone edits the cell. The value itself is unchanged, so a ledger export still re-imports as it was.
:func:`workbook_bytes` checks every cell once more before the file leaves, so no export ships a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, cast

from django.http import FileResponse, HttpResponse
from django.utils.functional import Promise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(cell: Any) -> None:
    """Make a cell that holds text, or a formula openpyxl inferred from text, a plain text cell."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_TRIGGERS)):
        cell.data_type = "s"
        cell.quotePrefix = True


def safe_cell(worksheet: Any, value: Any) -> Any:
    """An openpyxl cell of ``worksheet`` holding ``value``, text always as text (see the module's docstring)."""
    from openpyxl.cell.cell import Cell

    if isinstance(value, Promise):  # lazy translations
        value = str(value)
    cell = Cell(worksheet, value=value)
    _neutralise(cell)
    return cell


def append_row(worksheet: Any, values: Iterable[Any]) -> None:
    """Append a row to an export's sheet; the one way exports write cells."""
    worksheet.append([value if _is_cell(value) else safe_cell(worksheet, value) for value in values])


def _is_cell(value: Any) -> bool:
    from openpyxl.cell.cell import Cell

    return isinstance(value, Cell)


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook as the bytes of an .xlsx file, with no formula left in it."""
    for sheet in workbook.worksheets:
        # The cells that exist (iterating rows would create empty ones); a last guard behind append_row.
        for cell in getattr(sheet, "_cells", {}).values():
            _neutralise(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_response(stored: Any, filename: str | None = None) -> HttpResponse:
    """A stored upload, streamed. Callers check first that the viewer may see the record it belongs to."""
    response = FileResponse(stored.open("rb"), filename=filename or "")
    return cast(HttpResponse, response)  # a streaming response, served like any other
