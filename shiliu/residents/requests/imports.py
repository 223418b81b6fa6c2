"""Excel files of the desk, under the platform's import rules (see ``shiliu/residents/imports.py``): a day's 12345
orders (checked while the upload waits, then read by a task with progress; every problem as row + column + reason in
Chinese; all new orders filed in one transaction or none; orders already on file are skipped, not doubled), and the
official calendar of a year."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib import clock, spreadsheets
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.orgs.models import Organization

from ..imports import FormatError, _date, _text
from . import services
from .models import HotlineImport, RequestKind, ServiceRequest, Urgency

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
SHEET_TITLE = "12345工单"
COLUMNS = (
    ("order_number", "工单编号", "YZ12345-20261125-0001"),
    ("received_at", "受理时间", "2026-11-25 09:30"),
    ("kind", "诉求类型", "求助"),
    ("category", "诉求分类", "就业"),
    ("urgency", "紧急程度", "一般"),
    ("community", "社区区划代码", "321002001001"),
    ("description", "诉求内容", "工地拖欠工资三个月"),
    ("phone", "联系电话", "13912345678"),
)
HEADERS = tuple(h for _k, h, _e in COLUMNS)
HEADER_OF = {k: h for k, h, _e in COLUMNS}
KIND_LABELS = {
    "咨询": RequestKind.CONSULTATION,
    "求助": RequestKind.HELP,
    "投诉": RequestKind.COMPLAINT,
    "建议": RequestKind.SUGGESTION,
}
CATEGORY_LABELS = {
    "就业": "employment",
    "就医": "health",
    "就学": "schooling",
    "住房": "housing",
    "法律援助": "legal_aid",
    "其他": "other",
}
URGENCY_LABELS = {"一般": Urgency.NORMAL, "紧急": Urgency.URGENT, "": Urgency.NORMAL}


def template_bytes() -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = SHEET_TITLE
    append_row(ws, HEADERS)
    append_row(ws, [e for _k, _h, e in COLUMNS])
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
    if survey.rows > MAX_IMPORT_ROWS + 1:
        raise FormatError(
            _("The file has more than %(max)d rows; import at most %(max)d at a time.")
            % {"max": MAX_IMPORT_ROWS}
        )
    return max(1, survey.rows - 1)


def hotline_import_start(*, actor: Any, upload: Any) -> HotlineImport:
    try:
        total = check_upload(upload)
    except FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    from .tasks import run_hotline_import

    with transaction.atomic():
        job = HotlineImport.objects.create(
            created_by=actor, file=upload, original_name=str(upload.name)[:200], total_rows=total
        )
        run_hotline_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _received(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = _text(value)
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            moment = dt.datetime.combine(_date(value), dt.time(9))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _read_row(
    number: int, cells: dict[str, Any], problems: list[dict[str, Any]]
) -> services.RequestInput | None:
    found = len(problems)

    def problem(key: str, message: str) -> None:
        problems.append({"row": number, "column": HEADER_OF[key], "message": message})

    order = _text(cells["order_number"])
    if not order:
        problem("order_number", _("The 12345 order number is missing."))
    try:
        received = _received(cells["received_at"])
        if received > clock.now():
            problem("received_at", _("The time the request was received cannot lie in the future."))
    except ValueError as exc:
        problem("received_at", str(exc))
        received = clock.now()
    kind = KIND_LABELS.get(_text(cells["kind"]))
    if kind is None:
        problem("kind", _("Unknown type; use one of: %(allowed)s.") % {"allowed": "、".join(KIND_LABELS)})
    category = CATEGORY_LABELS.get(_text(cells["category"]))
    if category is None:
        problem(
            "category",
            _("Unknown category; use one of: %(allowed)s.") % {"allowed": "、".join(CATEGORY_LABELS)},
        )
    urgency = URGENCY_LABELS.get(_text(cells["urgency"]))
    if urgency is None:
        problem("urgency", _("Write 一般 or 紧急."))
    code = _text(cells["community"])
    community = Organization.objects.filter(
        region_id=code, kind__in=services.COMMUNITY_KINDS, is_active=True
    ).first()
    if community is None:
        problem(
            "community",
            _("No community is registered at division code %(code)s.") % {"code": code[:20] or "—"},
        )
    if len(problems) > found:
        return None
    return services.RequestInput(
        kind=kind or "",
        category=category or "",
        urgency=urgency or Urgency.NORMAL,
        community=community,
        description=_text(cells["description"]),
        phone=_text(cells["phone"]),
        hotline_order_number=order,
        received_at=received,
    )


class _Rollback(Exception):
    pass


def hotline_import_run(job_id: int) -> HotlineImport:
    """Read every row with progress, then file all new orders in one transaction, or none when a row is wrong."""
    from openpyxl import load_workbook

    job = HotlineImport.objects.get(pk=job_id)
    if job.status != "queued":
        return job
    HotlineImport.objects.filter(pk=job.pk).update(status="checking")
    problems: list[dict[str, Any]] = []
    rows: list[tuple[int, services.RequestInput]] = []
    try:
        with job.file.open("rb") as handle:
            wb = load_workbook(handle, read_only=True, data_only=True)
            ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
            for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if not any(v not in (None, "") for v in values):
                    continue
                cells = {k: (values[i] if i < len(values) else None) for i, (k, _h, _e) in enumerate(COLUMNS)}
                row = _read_row(number, cells, problems)
                if row is not None:
                    rows.append((number, row))
                if number % 25 == 0:
                    HotlineImport.objects.filter(pk=job.pk).update(processed_rows=number - 1)
            wb.close()
    except Exception:  # openpyxl's many errors on a foreign file
        return _finish(
            job, status="failed", message=_("The file could not be read as an Excel workbook (.xlsx).")
        )
    created = skipped = 0
    try:
        with transaction.atomic():
            for number, row in rows:
                if ServiceRequest.objects.filter(hotline_order_number=row.hotline_order_number).exists():
                    skipped += 1
                    continue
                try:
                    with transaction.atomic():
                        services.hotline_order_receive(data=row)
                    created += 1
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        for message in messages:
                            problems.append(
                                {"row": number, "column": HEADER_OF.get(field, ""), "message": message}
                            )
            if problems:
                raise _Rollback
    except _Rollback:
        problems.sort(key=lambda p: (p["row"], p["column"]))
        return _finish(
            job,
            status="checked",
            problems=problems[:500],
            message=_("Nothing was imported: correct the rows listed and upload the file again."),
        )
    return _finish(job, status="done", created_count=created, skipped_count=skipped)


def _finish(job: HotlineImport, **fields: Any) -> HotlineImport:
    HotlineImport.objects.filter(pk=job.pk).update(
        finished_at=clock.now(), processed_rows=job.total_rows, **fields
    )
    job.refresh_from_db()
    return job


def calendar_rows_from_xlsx(upload: Any) -> tuple[list[tuple[dt.date, str]], list[tuple[dt.date, str]]]:
    """A year's schedule from an Excel sheet: date, 休 (holiday) or 班 (makeup working day), name."""
    from openpyxl import load_workbook

    if (getattr(upload, "size", 0) or 0) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    try:
        upload.seek(0)
        spreadsheets.check_archive(upload)
        upload.seek(0)
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    holidays: list[tuple[dt.date, str]] = []
    workdays: list[tuple[dt.date, str]] = []
    errors: list[str] = []
    for number, values in enumerate(wb.worksheets[0].iter_rows(min_row=2, values_only=True), start=2):
        if not values or not any(v not in (None, "") for v in values):
            continue
        cells = list(values) + [None, None, None]
        try:
            day = _date(cells[0])
        except ValueError as exc:
            errors.append(_("Row %(n)d, column A: %(m)s") % {"n": number, "m": exc})
            continue
        kind, name = _text(cells[1]), _text(cells[2])
        if kind == "休":
            holidays.append((day, name))
        elif kind == "班":
            workdays.append((day, name))
        else:
            errors.append(_("Row %(n)d, column B: write 休 or 班.") % {"n": number})
    wb.close()
    if errors:
        raise ValidationError(errors[:20])
    return holidays, workdays
