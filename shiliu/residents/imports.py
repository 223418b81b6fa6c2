"""Excel import of the registry, under the platform's import rules (see shiliu/exchanges/imports):

- the upload is sized up while it waits (type, 5 MB, the archive's limits, the template's headers, the row count:
  ``shiliu.lib.spreadsheets``) and refused at once with a reason;
- a background task reads every row and reports progress on the job; every problem comes back as (row, column,
  reason) in Chinese;
- writing is one transaction through the same service as the page (``resident_register``), so the same rules hold:
  one bad row and nothing is written;
- the template is the export's columns, written with safe cells (``shiliu.lib.downloads``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shiliu.lib import clock, spreadsheets
from shiliu.lib.downloads import append_row, workbook_bytes
from shiliu.regions.models import EthnicGroup, Region

from . import selectors, services
from .models import ConsentMethod, ConsentScope, ImportStatus, Need, ResidentImport

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
MAX_STORED_PROBLEMS = 500
SHEET_TITLE = "流动人口"
LIST_SEPARATORS = ("、", ",", "，", ";", "；")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    example: str


COLUMNS = (
    Column("name", "姓名", "马阿依古丽"),
    Column("origin_region", "流出地区划代码", "654025"),
    Column("residence_region", "居住社区区划代码", "321002001001"),
    Column("moved_in_on", "迁入日期", "2025-03-01"),
    Column("consent_scopes", "同意范围", "身份证号码、手机号码、民族、技能、语言和需求"),
    Column("consent_method", "同意方式", "纸质签字"),
    Column("consent_given_on", "同意日期", "2025-03-01"),
    Column("id_number", "身份证号码", "654025199001011231"),
    Column("phone", "手机号码", "13912345678"),
    Column("ethnic_group", "民族", "哈萨克族"),
    Column("skills", "技能", "电焊"),
    Column("language", "语言", "哈萨克语、国家通用语言"),
    Column("needs", "需求", "就业、就学"),
)
HEADERS = tuple(c.header for c in COLUMNS)
HEADER_OF = {c.key: c.header for c in COLUMNS}


class FormatError(ValueError):
    """The file is not the registry template; the message says why."""


def template_bytes() -> bytes:
    wb = Workbook()
    ws = cast(Worksheet, wb.active)
    ws.title = SHEET_TITLE
    append_row(ws, HEADERS)
    append_row(ws, [c.example for c in COLUMNS])
    for index in range(len(COLUMNS)):
        ws.column_dimensions[chr(ord("A") + index)].width = 18
    return workbook_bytes(wb)


def check_upload(upload: Any) -> int:
    """Refuse at once a file that is not the template; otherwise an estimate of its rows for the progress bar."""
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


def import_start(*, actor: Any, upload: Any) -> ResidentImport:
    """Check the file while the upload waits, store it and queue the task that reads and writes it."""
    try:
        total = check_upload(upload)
    except FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    from .tasks import run_resident_import

    with transaction.atomic():
        job = ResidentImport.objects.create(
            created_by=actor, file=upload, original_name=str(upload.name)[:200], total_rows=total
        )
        run_resident_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


# ------------------------------------------------------------------------------------------------------ reading


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            _("“%(value)s” is not a date; write it as 2025-03-01.") % {"value": text[:20]}
        ) from exc


def _labels(value: Any, choices: list[tuple[str, Any]], what: str) -> list[str]:
    text = _text(value)
    for key, label in choices:  # a label may hold a separator itself (技能、语言和需求)
        if any(sep in str(label) for sep in LIST_SEPARATORS):
            text = text.replace(str(label), key)
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    by_label = {str(label): key for key, label in choices}
    by_label.update({key: key for key, _label in choices})
    out = []
    for part in (p.strip() for p in text.split(LIST_SEPARATORS[0])):
        if not part:
            continue
        if part not in by_label:
            raise ValueError(
                _("Unknown %(what)s “%(value)s”; use one of: %(allowed)s.")
                % {
                    "what": what,
                    "value": part[:20],
                    "allowed": "、".join(str(label) for _key, label in choices),
                }
            )
        out.append(by_label[part])
    return out


@dataclass
class Row:
    number: int
    data: dict[str, Any]
    consent: services.ConsentInput | None


def _read_row(number: int, cells: dict[str, Any], problems: list[dict[str, Any]]) -> Row | None:
    found = len(problems)

    def problem(key: str, message: str) -> None:
        problems.append({"row": number, "column": HEADER_OF.get(key, ""), "message": message})

    data: dict[str, Any] = {"name": _text(cells["name"])}
    for key in ("origin_region", "residence_region"):
        code = _text(cells[key])
        region = Region.objects.filter(code=code, valid_to__isnull=True).first() if code.isdigit() else None
        if region is None:
            problem(key, _("Unknown division code %(code)s.") % {"code": code[:20] or "—"})
        data[key] = region
    if data["residence_region"] is not None:
        data["residence_unit"] = selectors.community_in_region(code=data["residence_region"].code)
    for key in ("moved_in_on", "consent_given_on"):
        if _text(cells[key]):
            try:
                data[key] = _date(cells[key])
            except ValueError as exc:
                problem(key, str(exc))
    try:
        scopes = _labels(cells["consent_scopes"], ConsentScope.choices, _("consent scope"))
        methods = _labels(cells["consent_method"], ConsentMethod.choices, _("consent method"))
        data["needs"] = _labels(cells["needs"], Need.choices, _("need"))
    except ValueError as exc:
        problem("consent_scopes", str(exc))
        scopes, methods = [], []
    group = _text(cells["ethnic_group"])
    if group:
        match = (
            EthnicGroup.objects.filter(name=group).first()
            or EthnicGroup.objects.filter(code=group.zfill(2)).first()
        )
        if match is None:
            problem("ethnic_group", _("Unknown ethnic group “%(value)s”.") % {"value": group[:20]})
        data["ethnic_group"] = match
    for key in ("id_number", "phone", "skills", "language"):
        data[key] = _text(cells[key])
    if len(problems) > found:
        return None
    consent = None
    if scopes:
        consent = services.ConsentInput(
            scopes=scopes,
            method=methods[0] if methods else "",
            given_on=data.pop("consent_given_on", None),  # type: ignore[arg-type]
        )
    data.pop("consent_given_on", None)
    return Row(number=number, data=data, consent=consent)


def _service_problems(number: int, exc: ValidationError | PermissionDenied) -> list[dict[str, Any]]:
    columns = {
        **HEADER_OF,
        "residence_unit": HEADER_OF["residence_region"],
        "scopes": HEADER_OF["consent_scopes"],
        "method": HEADER_OF["consent_method"],
        "given_on": HEADER_OF["consent_given_on"],
    }
    if isinstance(exc, PermissionDenied):
        return [{"row": number, "column": HEADER_OF["residence_region"], "message": str(exc)}]
    if hasattr(exc, "error_dict"):
        return [
            {"row": number, "column": columns.get(field, ""), "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"row": number, "column": "", "message": message} for message in exc.messages]


class _Rollback(Exception):
    pass


def import_run(job_id: int) -> ResidentImport:
    """Read every row (progress on the job), then register them all in one transaction, or none when any row has a
    problem. Runs in the task worker."""
    from openpyxl import load_workbook

    job = ResidentImport.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job
    ResidentImport.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING)
    problems: list[dict[str, Any]] = []
    rows: list[Row] = []
    try:
        with job.file.open("rb") as handle:
            wb = load_workbook(handle, read_only=True, data_only=True)
            ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
            ws.reset_dimensions()
            for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
                if number - 1 > MAX_IMPORT_ROWS:
                    raise FormatError(
                        _("The file has more than %(max)d rows; import at most %(max)d at a time.")
                        % {"max": MAX_IMPORT_ROWS}
                    )
                if not any(v not in (None, "") for v in values):
                    continue
                cells = {c.key: (values[i] if i < len(values) else None) for i, c in enumerate(COLUMNS)}
                row = _read_row(number, cells, problems)
                if row is not None:
                    rows.append(row)
                if number % 25 == 0:
                    ResidentImport.objects.filter(pk=job.pk).update(processed_rows=number - 1)
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
            for row in rows:
                try:
                    with transaction.atomic():
                        services.resident_register(actor=job.created_by, data=row.data, consent=row.consent)
                    created += 1
                except (ValidationError, PermissionDenied) as exc:
                    problems.extend(_service_problems(row.number, exc))
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


def _finish(job: ResidentImport, **fields: Any) -> ResidentImport:
    ResidentImport.objects.filter(pk=job.pk).update(
        finished_at=clock.now(), processed_rows=job.total_rows, **fields
    )
    job.refresh_from_db()
    return job
