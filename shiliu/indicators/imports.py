"""Excel import of data values under the platform's import rules (see shiliu/residents/imports.py): the upload is
checked while it waits (type, 5 MB, the archive's limits, the template's headers, the row count), a task reads
every row with progress, every problem comes back as (row, column, reason), and the values are written through
the same service as the entry form (``values_enter``) in one transaction: one bad row and nothing is written."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib import clock, spreadsheets
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.regions.models import EthnicGroup, Region

from . import periods, services
from .models import DataElement, ImportStatus, ValueImport

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_STORED_PROBLEMS = 500
SHEET_TITLE = "指标数据"
COLUMNS = (
    ("region", "区划代码", "654025100001"),
    ("period", "期间", "2026Q3"),
    ("element", "数据元素代码", "population"),
    ("ethnic_group", "民族", "哈萨克族"),
    ("value", "数值", "1250"),
    ("source", "来源", "社区台账"),
    ("comment", "说明", ""),
)
HEADERS = tuple(c[1] for c in COLUMNS)
HEADER_OF = {c[0]: c[1] for c in COLUMNS}


class FormatError(ValueError):
    pass


def template_bytes() -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = SHEET_TITLE
    append_row(ws, HEADERS)
    append_row(ws, [c[2] for c in COLUMNS])
    return workbook_bytes(wb)


def check_upload(upload: Any) -> int:
    size = getattr(upload, "size", 0) or 0
    if size > MAX_IMPORT_BYTES:
        raise FormatError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.") % {"size": size / 2**20, "limit": 5}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise FormatError(_("Upload the Excel template as an .xlsx file; this file is not one."))
    try:
        spreadsheets.check_archive(upload)
        parts = spreadsheets.sheet_parts(upload, SHEET_TITLE)
        header = [str(v).strip() if v is not None else "" for v in spreadsheets.first_row(upload, parts)]
        survey = spreadsheets.survey_sheet(upload, parts.sheet)
    except spreadsheets.UnsafeWorkbook as exc:
        raise FormatError(str(exc)) from exc
    while header and not header[-1]:
        header.pop()
    problem = spreadsheets.header_problem(header, HEADERS)
    if problem:
        raise FormatError(problem)
    if survey.values <= len(header):
        raise FormatError(_("The file has no rows below the headers."))
    if survey.rows > 4 * MAX_IMPORT_ROWS + 1:
        raise FormatError(
            _("The file has more than %(max)d rows; import at most %(max)d at a time.")
            % {"max": MAX_IMPORT_ROWS}
        )
    return max(1, survey.rows - 1)


def import_start(*, actor: Any, upload: Any) -> ValueImport:
    try:
        total = check_upload(upload)
    except FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    from .tasks import run_value_import

    with transaction.atomic():
        job = ValueImport.objects.create(
            created_by=actor, file=upload, original_name=str(upload.name)[:200], total_rows=total
        )
        run_value_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Rollback(Exception):
    pass


def import_run(job_id: int) -> ValueImport:
    from openpyxl import load_workbook

    job = ValueImport.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job
    ValueImport.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    problems: list[dict[str, Any]] = []
    elements = {e.code: e for e in DataElement.objects.all()}
    groups = {g.name: g.code for g in EthnicGroup.objects.all()} | {
        g: g for g in EthnicGroup.objects.values_list("code", flat=True)
    }
    batches: dict[tuple[str, str], list[tuple[int, services.Entry, str]]] = defaultdict(list)
    regions: dict[str, Region | None] = {}
    try:
        with job.file.open("rb") as handle:
            wb = load_workbook(handle, read_only=True, data_only=True)
            ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
            ws.reset_dimensions()
            for number, values in enumerate(
                ws.iter_rows(min_row=2, max_col=len(COLUMNS), values_only=True), start=2
            ):
                if number - 1 > MAX_IMPORT_ROWS:
                    raise FormatError(
                        _("The file has more than %(max)d rows; import at most %(max)d at a time.")
                        % {"max": MAX_IMPORT_ROWS}
                    )
                if not any(v not in (None, "") for v in values):
                    continue
                cells = {c[0]: _text(values[i]) if i < len(values) else "" for i, c in enumerate(COLUMNS)}
                found = len(problems)

                def problem(key: str, message: str, number: int = number) -> None:
                    problems.append({"row": number, "column": HEADER_OF[key], "message": message})

                code = cells["region"]
                if code not in regions:
                    regions[code] = Region.objects.filter(code=code).first() if code.isdigit() else None
                if regions[code] is None:
                    problem("region", _("Unknown division code %(code)s.") % {"code": code[:20] or "—"})
                element = elements.get(cells["element"])
                if element is None:
                    problem(
                        "element", _("Unknown data element “%(code)s”.") % {"code": cells["element"][:40]}
                    )
                try:
                    periods.period_type(cells["period"])
                except ValueError as exc:
                    problem("period", str(exc))
                group = None
                if cells["ethnic_group"]:
                    group = groups.get(cells["ethnic_group"]) or groups.get(cells["ethnic_group"].zfill(2))
                    if group is None:
                        problem(
                            "ethnic_group",
                            _("Unknown ethnic group “%(value)s”.") % {"value": cells["ethnic_group"][:20]},
                        )
                elif element is not None and element.by_ethnic_group:
                    problem("ethnic_group", _("This element is entered by ethnic group: name the group."))
                try:
                    value = float(cells["value"]) if cells["value"] else None
                except ValueError:
                    problem("value", _("“%(value)s” is not a number.") % {"value": cells["value"][:20]})
                    value = None
                if len(problems) == found and element is not None:
                    entry = services.Entry(f"row{number}", element, value, group, cells["comment"])
                    batches[(code, cells["period"])].append((number, entry, cells["source"]))
                if number % 50 == 0:
                    ValueImport.objects.filter(pk=job.pk).update(processed_rows=number - 1)
            wb.close()
    except FormatError as exc:
        return _finish(job, status=ImportStatus.FAILED, message=str(exc)[:300])
    except Exception:  # openpyxl's many errors on a foreign file
        return _finish(
            job,
            status=ImportStatus.FAILED,
            message=_("The file could not be read as an Excel workbook (.xlsx)."),
        )
    created = 0
    try:
        with transaction.atomic():
            for (code, period), rows in batches.items():
                row_of = {entry.field: number for number, entry, _s in rows}
                region = regions[code]
                if region is None:
                    continue
                try:
                    with transaction.atomic():
                        created += services.values_enter(
                            actor=job.created_by,
                            region=region,
                            period=period,
                            entries=[e for _n, e, _s in rows],
                            source=rows[0][2] or job.original_name,
                        )
                except PermissionDenied as exc:
                    problems.append({"row": rows[0][0], "column": HEADER_OF["region"], "message": str(exc)})
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, msgs in exc.message_dict.items():
                            for m in msgs:
                                problems.append(
                                    {
                                        "row": row_of.get(field, rows[0][0]),
                                        "column": HEADER_OF["value"]
                                        if field in row_of
                                        else HEADER_OF["source"],
                                        "message": m,
                                    }
                                )
                    else:
                        problems.extend(
                            {"row": rows[0][0], "column": HEADER_OF["period"], "message": m}
                            for m in exc.messages
                        )
            if problems:
                raise _Rollback
    except _Rollback:
        problems.sort(key=lambda p: (p["row"], p["column"]))
        return _finish(
            job,
            status=ImportStatus.CHECKED,
            problems=problems[:MAX_STORED_PROBLEMS],
            problem_count=len(problems),
            message=_("Nothing was imported: correct the rows listed and upload the file again."),
        )
    return _finish(job, status=ImportStatus.DONE, created_count=created)


def _finish(job: ValueImport, **fields: Any) -> ValueImport:
    ValueImport.objects.filter(pk=job.pk).update(
        finished_at=clock.now(), processed_rows=job.total_rows, **fields
    )
    job.refresh_from_db()
    return job
