"""Upload of a 求职需求清单 (the seekers' list an origin region sends) from the Excel template.

A list is small (at most 200 rows), so it is read in the request once ``lib.spreadsheets`` has checked the archive,
its header row and its size without parsing it; every row is checked, problems are named by row and column, and the
rows are written all or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib import spreadsheets
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.regions.models import Region

from . import occupations, services

SHEET_TITLE = "求职需求清单"
HEADERS = (
    "流出地区划代码",
    "职业大类代码",
    "求职意向",
    "意向地区区划代码",
    "最低月薪（元）",
    "语言",
    "求职人数",
)
KEYS = ("origin_region", "occupation", "wanted", "place_region", "wage_min", "languages", "seekers")
MAX_ROWS = 200
MAX_BYTES = 1024 * 1024


class FormatError(ValueError):
    """The file is not the template; the message says why."""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


def template_bytes() -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = SHEET_TITLE
    append_row(ws, list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    append_row(ws, ["654025", "6", "电子装配、缝纫等工厂岗位", "3210", 5000, "国家通用语言", 40])
    ws2 = wb.create_sheet("职业大类")
    for code, zh, _en in occupations.MAJOR_GROUPS:
        append_row(ws2, [code, zh])
    return workbook_bytes(wb)


def _check_file(upload: Any) -> None:
    if (getattr(upload, "size", 0) or 0) > MAX_BYTES:
        raise FormatError(_("The file is larger than 1 MB; a seekers' list is much smaller."))
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise FormatError(_("Upload the Excel template as an .xlsx file; this file is not one."))
    try:
        spreadsheets.check_archive(upload)
        parts = spreadsheets.sheet_parts(upload, SHEET_TITLE)
        header = spreadsheets.first_row(upload, parts)
        survey = spreadsheets.survey_sheet(upload, parts.sheet)
    except spreadsheets.UnsafeWorkbook as exc:
        raise FormatError(str(exc)) from exc
    problem = spreadsheets.header_problem(header, HEADERS)
    if problem:
        raise FormatError(problem)
    if survey.value_rows > MAX_ROWS + 1:
        raise FormatError(_("The list has more than %(max)d rows.") % {"max": MAX_ROWS})
    upload.seek(0)


def _rows(upload: Any) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    wb = load_workbook(upload, read_only=True, data_only=True)
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    rows = []
    for number, values in enumerate(ws.iter_rows(min_row=2, max_col=len(HEADERS), values_only=True), start=2):
        if number > MAX_ROWS + 1:
            break
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        rows.append((number, dict(zip(KEYS, values, strict=False))))
    wb.close()
    return rows


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def seeker_list_import(*, actor: Any, upload: Any) -> tuple[int, list[Problem]]:
    """Check every row, then write all of them (returns how many) or none (returns the problems)."""
    _check_file(upload)
    header = dict(zip(KEYS, HEADERS, strict=True))
    problems: list[Problem] = []
    clean: list[tuple[int, dict[str, Any]]] = []
    for number, raw in _rows(upload):
        before = len(problems)

        def problem(key: str, message: str, number: int = number) -> None:
            problems.append(Problem(number, header[key], message))

        data: dict[str, Any] = {}
        for key in ("origin_region", "place_region"):
            code = str(raw.get(key) or "").strip().removesuffix(".0")
            region = (
                Region.objects.filter(code=code, valid_to__isnull=True).first() if code.isdigit() else None
            )
            if region is None:
                problem(key, _("Unknown division code %(code)s.") % {"code": code[:20] or "—"})
            data[key] = region
        occupation = str(raw.get("occupation") or "").strip().removesuffix(".0")
        if occupation not in occupations.CODES:
            problem("occupation", _("Choose a major group of the occupational classification."))
        data["occupation"] = occupation
        for key, limit in (("wanted", 60), ("languages", 60)):
            text = str(raw.get(key) or "").strip()
            if key == "wanted" and not text:
                problem(key, _("This field is required."))
            elif len(text) > limit:
                problem(key, _("At most %(n)d characters.") % {"n": limit})
            data[key] = text
        for key, low in (("wage_min", 0), ("seekers", 1)):
            number_value = _int(raw.get(key))
            if number_value is None or number_value < low or number_value > 1_000_000:
                problem(key, _("Enter a whole number from %(low)d.") % {"low": low})
            data[key] = number_value
        if len(problems) == before:
            clean.append((number, data))
    if problems:
        return 0, problems
    if not clean:
        raise FormatError(_("The file has no rows below the headers."))
    try:
        with transaction.atomic():
            for number, data in clean:
                try:
                    services.seeker_need_create(actor=actor, data=data)
                except PermissionDenied as exc:
                    problems.append(
                        Problem(
                            number,
                            header["origin_region"],
                            _("This origin region is outside your jurisdiction."),
                        )
                    )
                    raise _Rollback from exc
                except ValidationError as exc:
                    for key, messages in exc.message_dict.items():
                        problems.append(Problem(number, header.get(key, key), "；".join(messages)))
                    raise _Rollback from exc
    except _Rollback:
        return 0, problems
    return len(clean), []


class _Rollback(Exception):
    pass
