"""Exported workbooks never carry a formula: text that looks like one stays text (formula injection)."""

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from shiliu.lib.downloads import FORMULA_TRIGGERS, append_row, workbook_bytes

EVIL = '=HYPERLINK("http://evil.example/","x")'


def assert_no_formula(content: bytes, *expected: str) -> None:
    """No cell of the workbook is a formula, and each ``expected`` text is there, as text, with the quote prefix
    that keeps it text when someone edits the cell."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), f"a formula in {name}"
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
                    found[cell.value] = cell
    for text in expected:
        assert text in found, f"{text!r} is not in the workbook"


@pytest.mark.parametrize(
    "text", [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=1+1"]
)
def test_text_that_a_spreadsheet_would_run_is_written_as_text(text):
    wb = Workbook()
    append_row(wb.active, [text, 42, dt.date(2026, 7, 1), "普通文字"])
    content = workbook_bytes(wb)
    read_back = text.replace("\r", "\n")  # XML itself turns a carriage return into a line feed
    assert_no_formula(content, *([text] if read_back == text else []))
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert row[0] == read_back  # unchanged: an export still re-imports as it was
    assert row[1] == 42 and row[2].date() == dt.date(2026, 7, 1) and row[3] == "普通文字"


def test_a_formula_that_reached_a_sheet_another_way_is_made_text_before_the_file_leaves():
    wb = Workbook()
    wb.active["B2"] = EVIL  # not through append_row
    assert_no_formula(workbook_bytes(wb), EVIL)
