"""The ledger's spreadsheet format: one set of columns for the historical import's template and for the export.

One row per participation cell (category × ethnic group × age band × gender); the rows that share an activity
number (活动编号) make one activity, so a past year's Excel sheet fits and an export re-imports cleanly. The headers
are part of the format and stay Chinese whatever the interface language; values are matched against the Chinese and
the English labels (:mod:`shiliu.exchanges.imports.reader` reads them back)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import translation

from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityType,
    AgeBand,
    Category,
    Gender,
    Plan,
)
from shiliu.lib.downloads import append_row, workbook_bytes

SHEET_TITLE = "活动台账"

# (key, header): the header is the format, not interface text, so it is not translated.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("ref", "活动编号"),
    ("title", "活动名称"),
    ("activity_type", "活动类型"),
    ("plans", "三项计划"),
    ("start_date", "开始日期"),
    ("end_date", "结束日期"),
    ("place", "地点"),
    ("sending_region", "派出方地区代码"),
    ("sending_unit", "派出方单位"),
    ("receiving_region", "接收方地区代码"),
    ("receiving_unit", "接收方单位"),
    ("summary", "活动简介"),
    ("category", "人员类别"),
    ("ethnic_group", "民族"),
    ("age_band", "年龄段"),
    ("gender", "性别"),
    ("count", "人次"),
)
HEADERS = tuple(header for _key, header in COLUMNS)
HEADER_OF = dict(COLUMNS)
ACTIVITY_KEYS = tuple(key for key, _h in COLUMNS[1:12])
CELL_KEYS = ("category", "ethnic_group", "age_band", "gender", "count")
PLAN_SEPARATORS = re.compile(r"[、,，;；/|\s]+")


_DASHES = re.compile(r"[\u2010-\u2015\u2212~\uff5e至]")


def normalized(text: str) -> str:
    """A typed value as the template's lists compare it: full-width characters as their plain forms (NFKC), every
    dash (18-35, 18–35, 18－35, 18~35) as a hyphen, no spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", _DASHES.sub("-", text)).lower()


def _labels(choices: Iterable[tuple[str, Any]], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Value by its Chinese label, its English label, its stored value, and any alias (keys :func:`normalized`)."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[normalized(str(value))] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out[normalized(str(label))] = value
    for alias, value in (aliases or {}).items():
        out[normalized(alias)] = value
    return out


def _chinese(label: Any) -> str:
    with translation.override("zh-hans"):
        return str(label)


PLAN_ALIASES = {"互嵌式发展": "embedding", "互嵌": "embedding", "青少年交流": "youth", "旅游促进": "tourism"}
AGE_ALIASES = {"18岁以下": "u18", "未成年": "u18", "18-35": "18_35", "18—35": "18_35", "35岁以上": "o35"}
GENDER_ALIASES = {"女性": "f", "男性": "m", "": "u"}


def template_workbook() -> Any:
    """An empty ledger with the headers, one example row in grey italics, and the vocabulary on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has a sheet
    ws.title = SHEET_TITLE
    append_row(ws, HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for index, (_key, header) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = max(10, len(header) * 2.4)
    ws.freeze_panes = "A2"
    vocab = wb.create_sheet("填写说明")
    append_row(vocab, ["列", "可填写的值"])
    append_row(vocab, ["活动编号", "同一活动的多行填写相同编号；留空则每行是一个活动"])
    append_row(
        vocab,
        ["活动类型", "、".join(ActivityType.objects.filter(is_active=True).values_list("name", flat=True))],
    )
    append_row(
        vocab,
        ["三项计划", "、".join(_chinese(label) for _v, label in Plan.choices) + "（可填多项，用顿号分隔）"],
    )
    append_row(vocab, ["日期", "2025-07-01 或 Excel 日期"])
    append_row(vocab, ["地区代码", "GB/T 2260 行政区划代码，如 654025（新源县）；也可填唯一的地区名称"])
    append_row(vocab, ["单位", "该地区内已登记单位的全称，可留空"])
    append_row(vocab, ["人员类别", "、".join(_chinese(label) for _v, label in Category.choices)])
    append_row(vocab, ["民族", "民族名称（如 哈萨克族）或 GB 3304 代码（如 17）"])
    append_row(vocab, ["年龄段", "、".join(_chinese(label) for _v, label in AgeBand.choices)])
    append_row(vocab, ["性别", "、".join(_chinese(label) for _v, label in Gender.choices)])
    append_row(vocab, ["人次", f"1 至 {MAX_COUNT} 的整数；一行是一个类别 × 民族 × 年龄段 × 性别的人次"])
    vocab.column_dimensions["A"].width = 12
    vocab.column_dimensions["B"].width = 90
    _add_lists(wb, ws)
    return wb


LIST_SHEET = "代码表"


def _add_lists(wb: Any, ws: Any) -> None:
    """A drop-down list (Excel data validation) on every coded column, its values on a hidden sheet: the user picks
    "18–35 岁" instead of typing a near miss. A typed value is still allowed (with a warning): codes such as 17 for
    哈萨克族 and several plans in one cell are read too."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    from shiliu.regions.models import EthnicGroup

    lists: dict[str, list[str]] = {
        "activity_type": list(ActivityType.objects.filter(is_active=True).values_list("name", flat=True)),
        "plans": [_chinese(label) for _v, label in Plan.choices],
        "category": [_chinese(label) for _v, label in Category.choices],
        "ethnic_group": list(EthnicGroup.objects.order_by("code").values_list("name", flat=True)),
        "age_band": [_chinese(label) for _v, label in AgeBand.choices],
        "gender": [_chinese(label) for _v, label in Gender.choices],
    }
    sheet = wb.create_sheet(LIST_SHEET)
    sheet.sheet_state = "hidden"
    keys = [key for key, _h in COLUMNS]
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=HEADER_OF[key])
        for number, value in enumerate(values, start=2):
            sheet.cell(row=number, column=index, value=value)
        source = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=HEADER_OF[key],
            error="请从下拉列表中选择；可继续保存，导入时会检查。",
        )
        column = get_column_letter(keys.index(key) + 1)
        validation.add(f"{column}2:{column}{20_001}")
        ws.add_data_validation(validation)


def export_rows(activities: Iterable[Activity], *, user: Any = None) -> Iterator[list[Any]]:
    """Rows in the template's columns: one per participation cell (one row for an activity without counts).

    Counts are as ``user`` may see them: exact for the activities of their own side; for the others one row with
    the total alone ("<5" when small) and the breakdown columns empty, as on each activity's page. Without a user every count is exact (the
    round trip of the import's tests).
    """
    from .selectors import participation_shown

    category = {v: _chinese(label) for v, label in Category.choices}
    age = {v: _chinese(label) for v, label in AgeBand.choices}
    gender = {v: _chinese(label) for v, label in Gender.choices}
    plan_label = {v: _chinese(label) for v, label in Plan.choices}
    for a in activities:
        head = [
            f"A{a.pk}",
            a.title,
            a.activity_type.name,
            "、".join(plan_label[v] for v, _l in Plan.choices if getattr(a, f"plan_{v}")),
            a.start_date,
            a.end_date,
            a.place,
            a.sending_region_id,
            a.sending_unit.name if a.sending_unit else "",
            a.receiving_region_id,
            a.receiving_unit.name if a.receiving_unit else "",
            a.summary,
        ]
        cells = sorted(
            a.participations.all(), key=lambda p: (p.category, p.ethnic_group_id, p.age_band, p.gender)
        )
        shown: list[tuple[Any, int | str]] = [(p, p.count) for p in cells]
        if user is not None:
            rows, total = participation_shown(user=user, activity=a, rows=cells)
            shown = [(p, cell.cell) for p, cell in rows]
            if cells and not rows:  # outside both parties: the total alone, as on the activity's page
                yield [*head, "", "", "", "", total.cell]
                continue
        if not shown:
            yield [*head, "", "", "", "", ""]
        for p, count in shown:
            yield [*head, category[p.category], p.ethnic_group.name, age[p.age_band], gender[p.gender], count]


def export_workbook(activities: Iterable[Activity], *, user: Any = None) -> bytes:
    wb = template_workbook()
    ws = wb[SHEET_TITLE]
    for row in export_rows(activities, user=user):
        append_row(ws, row)
    for cells in ws.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in cells:
            cell.number_format = "yyyy-mm-dd"
    return workbook_bytes(wb)
