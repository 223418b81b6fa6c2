"""Units from Excel: the commission's existing list read from the template, checked row by row, written in one go.

While the upload waits: its size, type, archive limits and headers (``shiliu.lib.spreadsheets``). In the background
task: every row is read (name, type, division by code or name inside the uploader's jurisdiction, parent unit,
address, contact), then every unit is created through :func:`organization_create` inside one transaction, so the
platform's own rules apply. Any problem and nothing is kept, unless the uploader then chooses to import the rows
without problems. A unit already registered in its region under the same name is skipped; one whose name sounds
the same (same pinyin, other characters: 新原县一中 for 新源县一中) is reported, since it is probably the same unit
mistyped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import spreadsheets
from shiliu.regions.models import Region
from shiliu.regions.pinyin import place_pinyin
from shiliu.regions.selectors import region_search

from . import workbook
from .models import Organization, UnitImport, UnitImportStatus, UnitKind
from .services import organization_create

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_STORED_PROBLEMS = 500


class FormatError(ValueError):
    """Not the units template: the message says why, for the uploader."""


class _Rollback(Exception):
    """Leave the write transaction without keeping anything."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int
    data: dict[str, Any]
    parent_name: str = ""


def normalise_name(name: str) -> str:
    """Full-width letters and digits as half-width, no spaces: the form two names are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def check_upload(upload: Any) -> int:
    """Refuse what is not the template while the upload waits; return an estimate of its rows."""
    size = getattr(upload, "size", 0) or 0
    if size > MAX_BYTES:
        raise FormatError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise FormatError(_("Upload the Excel template as an .xlsx file; this file is not one."))
    try:
        spreadsheets.check_archive(upload)
        parts = spreadsheets.sheet_parts(upload, workbook.SHEET_TITLE)
        check_headers(spreadsheets.first_row(upload, parts))
        survey = spreadsheets.survey_sheet(upload, parts.sheet)
    except spreadsheets.UnsafeWorkbook as exc:
        raise FormatError(str(exc)) from exc
    if survey.rows <= 1:
        raise FormatError(_("The file has no rows below the headers."))
    if survey.rows > 4 * MAX_ROWS:
        raise FormatError(
            _("The file has more than %(max)d rows; import at most %(max)d at a time.") % {"max": MAX_ROWS}
        )
    return min(survey.rows - 1, MAX_ROWS)


def check_headers(found_row: list[Any]) -> None:
    problem = spreadsheets.header_problem(found_row, workbook.HEADERS)
    if problem:
        raise FormatError(problem)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Reader:
    """Reads rows into unit data; lookups of divisions are shared across the file."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.scope = scope_for(actor)
        self.kinds = workbook.kind_lookup()
        self.regions: dict[str, Region | str] = {}

    def region(self, code: str, name: str) -> Region:
        key = code or f"name:{name}"
        if key not in self.regions:
            self.regions[key] = self._find_region(code, name)
        found = self.regions[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _find_region(self, code: str, name: str) -> Region | str:
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                return _("Unknown division code %(code)s.") % {"code": code}
            if region.valid_to is not None:
                return _("Division %(code)s is no longer in force; choose its successor.") % {"code": code}
            if not self.scope.covers(region.code):
                return _("Division %(code)s is outside your jurisdiction.") % {"code": code}
            return region
        if not name:
            return _("Give the division code or the name of the region.")
        within = None if self.scope.is_everything else self.scope.prefix
        matches = [r for r in region_search(query=name, within=within, limit=None) if r.name == name][:2]
        if not matches:
            return _("No division named “%(name)s” lies in your jurisdiction.") % {"name": name}
        if len(matches) > 1:
            return _("The name “%(name)s” is not unique; give the code.") % {"name": name}
        return matches[0]

    def row(self, number: int, raw: dict[str, Any], problems: list[Problem]) -> Row | None:
        def problem(key: str, message: str) -> None:
            problems.append(Problem(number, workbook.HEADER_OF[key], message))

        before = len(problems)
        data: dict[str, Any] = {}
        name = _text(raw["name"])
        if not name:
            problem("name", _("The unit needs a name."))
        elif len(name) > 100:
            problem("name", _("At most 100 characters."))
        data["name"] = name
        kind = _text(raw["kind"])
        if kind.lower() in self.kinds:
            data["kind"] = self.kinds[kind.lower()]
        else:
            allowed = "、".join(workbook.chinese(label) for _v, label in UnitKind.choices)
            problem(
                "kind",
                _("“%(value)s” is not a unit type; write one of: %(allowed)s.")
                % {"value": kind, "allowed": allowed},
            )
        try:
            data["region"] = self.region(_text(raw["region_code"]), _text(raw["region_name"]))
        except ValueError as exc:
            problem("region_code" if _text(raw["region_code"]) else "region_name", str(exc))
        data["address"] = _text(raw["address"])[:200]
        data["contact_name"] = _text(raw["contact_name"])[:32]
        phone = _text(raw["contact_phone"])
        data["contact_phone"] = "" if "*" in phone else phone  # a masked phone from an export: not known
        if len(problems) > before:
            return None
        return Row(number, data, parent_name=_text(raw["parent"]))


def read_rows(
    source: Any, actor: Any, progress: Callable[[int], object] | None = None
) -> tuple[list[Row], list[Problem]]:
    """Every row of the template as unit data, and every problem with its row and column."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on foreign files
        raise FormatError(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    ws = wb[workbook.SHEET_TITLE] if workbook.SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    ws.reset_dimensions()
    reader = _Reader(actor)
    rows: list[Row] = []
    problems: list[Problem] = []
    keys = [key for key, _h in workbook.COLUMNS]
    values_iter = ws.iter_rows(max_col=len(keys), values_only=True)
    check_headers(list(next(values_iter, ())))
    done = 0
    for number, values in enumerate(values_iter, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        done += 1
        if done > MAX_ROWS:
            raise FormatError(
                _("The file has more than %(max)d rows; import at most %(max)d at a time.")
                % {"max": MAX_ROWS}
            )
        raw = dict(zip(keys, [*values, *([None] * len(keys))], strict=False))
        row = reader.row(number, raw, problems)
        if row is not None:
            rows.append(row)
        if progress and done % 50 == 0:
            progress(done)
    if progress:
        progress(done)
    return rows, problems


def _existing(rows: list[Row]) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """Units already registered in the rows' regions: by normalised name and by pinyin."""
    by_name: dict[tuple[str, str], str] = {}
    by_pinyin: dict[tuple[str, str], str] = {}
    codes = {row.data["region"].code for row in rows}
    for region_id, name, pinyin in Organization.objects.filter(region_id__in=codes).values_list(
        "region_id", "name", "pinyin"
    ):
        by_name[(region_id, normalise_name(name))] = name
        by_pinyin[(region_id, pinyin)] = name
    return by_name, by_pinyin


def write_rows(
    actor: Any, rows: list[Row], problems: list[Problem], progress: Callable[[int], object] | None = None
) -> tuple[list[Organization], int, int]:
    """Create the units of ``rows`` (parents first) through the units' service; returns the units created, how many
    were skipped as already registered, and how many rows were good. Problems found are added to ``problems``.
    The caller owns the transaction and decides whether to keep the result."""
    by_name, by_pinyin = _existing(rows)
    seen: dict[tuple[str, str], int] = {}
    pending: list[Row] = []
    skipped = 0
    for row in rows:
        region = row.data["region"]
        key = (region.code, normalise_name(row.data["name"]))
        if key in by_name:
            skipped += 1
            continue
        if key in seen:
            problems.append(
                Problem(
                    row.number,
                    workbook.HEADER_OF["name"],
                    _("The same unit as row %(row)d.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row.number
        pinyin, _initials = place_pinyin(row.data["name"])
        if (region.code, pinyin) in by_pinyin:
            problems.append(
                Problem(
                    row.number,
                    workbook.HEADER_OF["name"],
                    _(
                        "Sounds the same as the registered unit “%(name)s” (same pinyin): probably the same unit; correct the name or leave the row out."
                    )
                    % {"name": by_pinyin[(region.code, pinyin)]},
                )
            )
            continue
        pending.append(row)
    in_file = {normalise_name(row.data["name"]) for row in pending}
    visible = Organization.objects.visible_to(actor)
    created: dict[str, Organization] = {}
    good = 0
    done = 0
    while pending:
        waiting: list[Row] = []
        for row in pending:
            parent = None
            if row.parent_name:
                wanted = normalise_name(row.parent_name)
                if wanted in created:
                    parent = created[wanted]
                elif wanted in in_file:
                    waiting.append(row)  # its parent is further down the file
                    continue
                else:
                    parents = list(visible.filter(name=row.parent_name)[:2])
                    if len(parents) != 1:
                        problems.append(
                            Problem(
                                row.number,
                                workbook.HEADER_OF["parent"],
                                _("No unit named “%(name)s” is registered in your jurisdiction.")
                                % {"name": row.parent_name}
                                if not parents
                                else _("Several units are named “%(name)s”.") % {"name": row.parent_name},
                            )
                        )
                        continue
                    parent = parents[0]
            try:
                with transaction.atomic():
                    unit = organization_create(actor=actor, data={**row.data, "parent": parent})
            except (ValidationError, PermissionDenied) as exc:
                problems.extend(_service_problems(row, exc))
                in_file.discard(normalise_name(row.data["name"]))
                continue
            created[normalise_name(unit.name)] = unit
            good += 1
            done += 1
            if progress and done % 50 == 0:
                progress(done)
        if len(waiting) == len(pending):  # parents that never come: a cycle, or a parent with a problem
            for row in waiting:
                problems.append(
                    Problem(
                        row.number,
                        workbook.HEADER_OF["parent"],
                        _("The parent unit “%(name)s” could not be imported; correct its row first.")
                        % {"name": row.parent_name},
                    )
                )
            break
        pending = waiting
    return list(created.values()), skipped, good


FIELD_COLUMN = {"name": "name", "kind": "kind", "region": "region_code", "parent": "parent", "address": "address",
                "contact_name": "contact_name", "contact_phone": "contact_phone"}  # fmt: skip


def _service_problems(row: Row, exc: ValidationError | PermissionDenied) -> list[Problem]:
    if isinstance(exc, PermissionDenied):
        return [Problem(row.number, workbook.HEADER_OF["region_code"], str(exc))]
    out: list[Problem] = []
    for field, messages in exc.message_dict.items():
        column = workbook.HEADER_OF[FIELD_COLUMN.get(field, "name")]
        out.extend(Problem(row.number, column, message) for message in messages)
    return out


# The job ------------------------------------------------------------------------------------------------------


def unit_import_start(*, actor: Any, upload: Any) -> UnitImport:
    """Check the upload while it waits, then queue the background task (in the same transaction)."""
    scope = scope_for(actor)
    if not scope.is_staff:
        raise PermissionDenied(_("Only commission staff can add units."))
    try:
        total = check_upload(upload)
    except FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    upload.seek(0)
    with transaction.atomic():
        job = UnitImport.objects.create(
            created_by_id=actor.pk, file=upload, original_name=str(upload.name)[:200], total_rows=total
        )
        _queue(job)
    return job


def _queue(job: UnitImport) -> None:
    from .tasks import run_unit_import

    run_unit_import.enqueue(job.pk)


@transaction.atomic
def unit_import_good_rows(*, actor: Any, job: UnitImport) -> UnitImport:
    """The uploader's explicit choice: import the rows without problems, leave the rest out."""
    job = UnitImport.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    if job.status != UnitImportStatus.CHECKED or not job.good_count:
        raise ValidationError(_("This import has no checked rows waiting to be written."))
    UnitImport.objects.filter(pk=job.pk).update(
        status=UnitImportStatus.QUEUED, good_rows_only=True, processed_rows=0, checked_rows=0
    )
    _queue(job)
    job.refresh_from_db()
    return job


def unit_import_run(job_id: int) -> UnitImport:
    """Read every row, then create the units in one transaction: kept when no row had a problem, or when the
    uploader chose the good rows; otherwise rolled back and the problems listed."""
    from auditlog.context import set_actor

    job = UnitImport.objects.get(pk=job_id)
    actor = get_user_model().objects.get(pk=job.created_by_id)

    def update(**fields: Any) -> None:
        UnitImport.objects.filter(pk=job.pk).update(**fields)

    update(status=UnitImportStatus.CHECKING, processed_rows=0, checked_rows=0, message="")
    try:
        with job.file.open("rb") as handle:
            rows, problems = read_rows(handle, actor, progress=lambda n: update(processed_rows=n))
    except FormatError as exc:
        update(status=UnitImportStatus.FAILED, message=str(exc)[:300], finished_at=timezone.now())
        job.refresh_from_db()
        return job
    read = len(rows) + len({p.row for p in problems})
    update(total_rows=max(read, 1), processed_rows=read)
    outcome: dict[str, Any] = {}
    try:
        with set_actor(actor), transaction.atomic():
            created, skipped, good = write_rows(
                actor, rows, problems, progress=lambda n: update(checked_rows=n)
            )
            outcome = {"created": len(created), "skipped": skipped, "good": good}
            if problems and not job.good_rows_only:
                raise _Rollback
    except _Rollback:
        outcome["created"] = 0
    problems.sort(key=lambda p: (p.row, workbook.HEADERS.index(p.column)))
    fields = {
        "checked_rows": read,
        "created_count": outcome["created"],
        "good_count": outcome["good"],
        "skipped_count": outcome["skipped"],
        "problem_count": len(problems),
        "problems": [p.as_dict() for p in problems[:MAX_STORED_PROBLEMS]],
        "finished_at": timezone.now(),
    }
    status = UnitImportStatus.CHECKED if problems and not job.good_rows_only else UnitImportStatus.DONE
    update(status=status, **fields)
    job.refresh_from_db()
    return job
