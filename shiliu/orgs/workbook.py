"""The units workbook: one set of columns for the import template, the import itself and the export.

The headers are the file format, not interface text, so they are not translated. An export re-imports cleanly:
its units are found as existing and skipped (phones in exports are masked and are read as empty).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import translation

from shiliu.lib.downloads import append_row

from .models import Organization, UnitKind

SHEET_TITLE = "单位名录"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("kind", "类型"),
    ("region_code", "区划代码"),
    ("region_name", "所在地区"),
    ("parent", "上级单位"),
    ("address", "地址"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
)
HEADERS = tuple(header for _key, header in COLUMNS)
HEADER_OF = dict(COLUMNS)
WIDTHS = (36, 14, 14, 16, 30, 40, 12, 16)


def chinese(label: Any) -> str:
    with translation.override("zh-hans"):
        return str(label)


def kind_lookup() -> dict[str, str]:
    """A unit type by its Chinese label, English label or stored value."""
    out: dict[str, str] = {}
    for value, label in UnitKind.choices:
        out[value.lower()] = value
        out[str(label).lower()] = value
        out[chinese(label).lower()] = value
    return out


def _sheet(wb: Any) -> Any:
    from openpyxl.styles import Font

    ws = wb.active
    ws.title = SHEET_TITLE
    append_row(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    ws.freeze_panes = "A2"
    return ws


def template_workbook() -> Any:
    """The empty template with a sheet explaining each column."""
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb)
    notes = wb.create_sheet("填写说明")
    append_row(notes, ["列", "填写说明"])
    append_row(notes, ["名称", "单位全称，必填；同一地区内不重复（已登记的同名单位跳过）"])
    append_row(notes, ["类型", "、".join(chinese(label) for _v, label in UnitKind.choices)])
    append_row(
        notes, ["区划代码", "单位所在的行政区划代码，如 654025（新源县）；与“所在地区”二选一，代码优先"]
    )
    append_row(notes, ["所在地区", "管辖范围内唯一的地区名称，如 新源镇"])
    append_row(notes, ["上级单位", "已登记单位或本表中单位的全称，可留空"])
    append_row(notes, ["地址、联系人", "可留空"])
    append_row(notes, ["联系电话", "11 位手机号或 0999-1234567 形式的固定电话，可留空"])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 90
    return wb


def export_workbook(units: Iterable[Organization]) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    ws = _sheet(wb)
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
    return wb
