"""Reading an uploaded ledger: cheap checks while the upload waits, then every row by the task.

Reading never writes: :func:`read_ledger` returns the activities it understood and every problem as
(row, column, reason); :mod:`shiliu.exchanges.imports.services` decides what to write."""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    ActivityType,
    AgeBand,
    Category,
    Gender,
    Plan,
)
from shiliu.exchanges.ledger.workbook import (
    ACTIVITY_KEYS,
    AGE_ALIASES,
    CELL_KEYS,
    COLUMNS,
    GENDER_ALIASES,
    HEADER_OF,
    HEADERS,
    PLAN_ALIASES,
    PLAN_SEPARATORS,
    SHEET_TITLE,
    _chinese,
    _labels,
    normalized,
)
from shiliu.jurisdiction.scope import under
from shiliu.lib import spreadsheets
from shiliu.lib.forms import no_control_characters
from shiliu.orgs.models import Organization
from shiliu.regions.models import EthnicGroup, Region

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
# Rows a sheet may hold, blank ones (formatting only) included, as a multiple of the limit: reading 80,000 rows takes
# seconds; a million formatted rows would take minutes.
SHEET_ROWS_FACTOR = 4
READ_SECONDS = 300  # the background task gives up reading a file after this long, with a message


class FormatError(ValueError):
    """The file is not a ledger workbook (not xlsx, too large, renamed or missing columns)."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedActivity:
    ref: str
    first_row: int
    data: dict[str, Any]
    cells: list[dict[str, Any]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def check_file(upload: Any) -> None:
    """Size, real type and the archive's limits, before anything reads the workbook."""
    size = getattr(upload, "size", 0) or 0
    if size > MAX_IMPORT_BYTES:
        raise FormatError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": MAX_IMPORT_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise FormatError(_("Upload the Excel template as an .xlsx file; this file is not one."))
    try:
        spreadsheets.check_archive(upload)
        spreadsheets.check_declarations(upload)
    except spreadsheets.UnsafeWorkbook as exc:
        raise FormatError(str(exc)) from exc


# What openpyxl (through defusedxml) raises on XML it will not read.
_XML_ERRORS: tuple[type[Exception], ...] = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError)


def _xml_refused(exc: BaseException) -> FormatError:
    """The uploader's reason for XML openpyxl would not read (it wraps defusedxml's refusal in a ValueError)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return FormatError(_("The workbook's XML declares entities; it is refused for safety."))
        cause = cause.__cause__ or cause.__context__
    return FormatError(_("The file could not be read as an Excel workbook (.xlsx)."))


def _open_sheet(source: Any, *, data_only: bool = True) -> Any:
    """The ledger sheet, read as it is: its recorded dimension is ignored, since it may claim 2 rows and hold 25,000
    or claim 16,384 columns of nothing."""
    from openpyxl import load_workbook

    source.seek(0)
    try:
        wb = load_workbook(source, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException … for foreign files
        raise _xml_refused(exc) from exc
    ws = wb[SHEET_TITLE] if SHEET_TITLE in wb.sheetnames else wb.worksheets[0]
    ws.reset_dimensions()
    return ws


def check_headers(header_row: Iterable[Any]) -> None:
    problem = spreadsheets.header_problem(header_row, HEADERS)
    if problem:
        raise FormatError(problem)


def count_rows(source: Any) -> int:
    """Check the headers and size up the rows while the upload waits, without reading them.

    The sheet's XML is streamed once (:func:`shiliu.lib.spreadsheets.survey_sheet`): a file with no value below the
    headers, with more values than the row limit can hold, or with more rows (formatted blank ones included) than
    the reader gets through in seconds is refused at once, with the reason. The returned count is an estimate for
    the progress bar; the background task counts exactly and refuses a file over the limit.
    """
    try:
        parts = spreadsheets.sheet_parts(source, SHEET_TITLE)
        header = spreadsheets.first_row(source, parts)
        check_headers(header)
        survey = spreadsheets.survey_sheet(source, parts.sheet)
    except spreadsheets.UnsafeWorkbook as exc:
        raise FormatError(str(exc)) from exc
    data_values = survey.values - sum(1 for v in header if v not in (None, ""))
    if data_values <= 0:
        raise FormatError(_("The file has no rows below the headers."))
    if data_values > MAX_IMPORT_ROWS * len(COLUMNS) or survey.value_rows - 1 > MAX_IMPORT_ROWS:
        raise FormatError(
            _("The file has more than %(max)d rows; import at most %(max)d at a time.")
            % {"max": MAX_IMPORT_ROWS}
        )
    if survey.rows > SHEET_ROWS_FACTOR * MAX_IMPORT_ROWS + 1:
        raise FormatError(
            _(
                "The sheet has %(rows)d rows, most of them blank rows that only carry formatting; at most %(max)d "
                "rows can be checked. Delete the blank rows below the data (or copy the data into the template) "
                "and upload again."
            )
            % {"rows": survey.rows, "max": SHEET_ROWS_FACTOR * MAX_IMPORT_ROWS}
        )
    return max(1, min(survey.rows - 1, MAX_IMPORT_ROWS))


def code_forms(code: str) -> list[str]:
    """A division code as written and its shorter stored forms: GB/T 2260 pads a city's code to six digits (扬州市
    321000, 江苏省 320000), statistical codes pad to nine or twelve (654025000000); the divisions are stored with
    2, 4, 6, 9 or 12 digits. Only trailing zeros are dropped, so 321002 never reads as 扬州市."""
    forms = [code]
    for length, shorter in ((12, 9), (9, 6), (6, 4), (4, 2)):
        if len(code) == length and code[shorter:] == "0" * (length - shorter):
            code = code[:shorter]
            forms.append(code)
    return forms


class _Vocabulary:
    def __init__(self) -> None:
        self.types = {t.name: t for t in ActivityType.objects.all()}
        self.plans = _labels(Plan.choices, PLAN_ALIASES)
        self.categories = _labels(Category.choices)
        self.ages = _labels(AgeBand.choices, AGE_ALIASES)
        self.genders = _labels(Gender.choices, GENDER_ALIASES)
        self.ethnic: dict[str, EthnicGroup] = {}
        for group in EthnicGroup.objects.all():
            self.ethnic[group.code] = group
            self.ethnic[group.name] = group
            self.ethnic[group.name.removesuffix("族")] = group
        self._regions: dict[str, Region | None] = {}
        self._units: dict[tuple[str, str], Organization | None] = {}

    def region(self, value: str) -> Region:
        value = unicodedata.normalize("NFKC", value).replace(" ", "")
        if value not in self._regions:
            if value.isdigit():
                self._regions[value] = (
                    Region.objects.filter(code__in=code_forms(value)).order_by("-code").first()
                )
            else:
                matches = list(Region.objects.filter(name=value, valid_to__isnull=True)[:2])
                if len(matches) > 1:
                    raise ValueError(_("The name “%(name)s” is not unique; give the code.") % {"name": value})
                self._regions[value] = matches[0] if matches else None
        region = self._regions[value]
        if region is None:
            raise ValueError(_("No division has the code or name “%(value)s”.") % {"value": value})
        return region

    def unit(self, region: Region, name: str) -> Organization:
        key = (region.code, name)
        if key not in self._units:
            self._units[key] = Organization.objects.filter(
                under("region", region.code), name=name, is_active=True
            ).first()
        unit = self._units[key]
        if unit is None:
            raise ValueError(
                _("No unit named “%(name)s” is registered in %(region)s.")
                % {"name": name, "region": region.name}
            )
        return unit


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
    text = unicodedata.normalize("NFKC", _text(value)).replace(" ", "")
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        raise ValueError(_("“%(value)s” is not a date; write it as 2025-07-01.") % {"value": text})
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a date of the calendar.") % {"value": text}) from exc


def _count(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Write the number of person-times."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": _text(value)})
    if value < 1 or value > MAX_COUNT:
        raise ValueError(_("The number must be between 1 and %(max)d.") % {"max": MAX_COUNT})
    return value


def _choice(lookup: dict[str, str], value: Any, allowed: Iterable[tuple[str, Any]]) -> str:
    text = normalized(_text(value))
    if text in lookup:
        return lookup[text]
    raise ValueError(
        _("“%(value)s” is not one of: %(allowed)s.")
        % {"value": _text(value), "allowed": "、".join(_chinese(label) for _v, label in allowed)}
    )


def read_ledger(
    source: Any,
    *,
    progress: Callable[[int], object] | None = None,
    every: int = 100,
    seconds: float | None = None,
) -> tuple[list[ParsedActivity], list[Problem]]:
    """Parse the workbook: the activities it describes and every problem, each with its row and column.

    Reads the template's columns only, every row that is there whatever the sheet's recorded dimension says, and
    stops with a :class:`FormatError` past the row limit or after ``seconds`` (:data:`READ_SECONDS` by default).
    """
    seconds = READ_SECONDS if seconds is None else seconds
    formula_rows = _formula_rows(source)
    ws = _open_sheet(source)
    deadline = time.monotonic() + seconds
    vocab = _Vocabulary()
    problems: list[Problem] = []
    activities: dict[str, ParsedActivity] = {}
    done = 0
    try:
        rows = ws.iter_rows(max_col=len(COLUMNS), values_only=True)
        check_headers(next(rows, ()))
        for number, values in enumerate(rows, start=2):
            if number % 500 == 0 and time.monotonic() > deadline:
                raise FormatError(
                    _("Reading the file took longer than %(seconds)d seconds; split it into smaller files.")
                    % {"seconds": seconds}
                )
            if not any(v not in (None, "") for v in values):
                continue
            done += 1
            if done > MAX_IMPORT_ROWS:
                raise FormatError(
                    _("The file has more than %(max)d rows; import at most %(max)d at a time.")
                    % {"max": MAX_IMPORT_ROWS}
                )
            raw = dict(zip((key for key, _h in COLUMNS), list(values) + [None] * len(COLUMNS), strict=False))
            _read_row(vocab, number, raw, activities, problems, formula_rows.get(number, {}))
            if progress and done % every == 0:
                progress(done)
    except (DefusedXmlException, *_XML_ERRORS) as exc:
        raise _xml_refused(exc) from exc
    if progress:
        progress(done)
    return list(activities.values()), problems


def _formula_rows(source: Any) -> dict[int, dict[str, str]]:
    """Row → column key → formula, for the cells holding a formula without a computed value (a file written by a
    program that does not calculate, or a formula Excel could not compute): reading values only, they look empty.
    The sheet is read a second time only when it holds formulas at all."""
    try:
        parts = spreadsheets.sheet_parts(source, SHEET_TITLE)
        if not spreadsheets.survey_sheet(source, parts.sheet).formulas:
            return {}
    except spreadsheets.UnsafeWorkbook:
        return {}  # the value read below gives the reason
    keys = [key for key, _h in COLUMNS]
    found: dict[int, dict[str, str]] = {}
    values = _open_sheet(source).iter_rows(max_col=len(COLUMNS), values_only=True)
    formulas = _open_sheet(source, data_only=False).iter_rows(max_col=len(COLUMNS), values_only=True)
    for number, (shown, written) in enumerate(zip(values, formulas, strict=False), start=1):
        for key, value, text in zip(keys, shown, written, strict=False):
            if value in (None, "") and isinstance(text, str) and text.startswith("="):
                found.setdefault(number, {})[key] = text
    source.seek(0)
    return found


def _read_row(
    vocab: _Vocabulary,
    number: int,
    raw: dict[str, Any],
    activities: dict[str, ParsedActivity],
    problems: list[Problem],
    formulas: dict[str, str] | None = None,
) -> None:
    formulas = formulas or {}
    for key, text in formulas.items():
        problems.append(
            Problem(
                number,
                HEADER_OF[key],
                _(
                    "This cell holds a formula (%(formula)s) but no value; paste the values instead "
                    "(Paste Special → Values)."
                )
                % {"formula": text[:60]},
            )
        )

    def problem(key: str, message: str) -> None:
        if key not in formulas:  # the formula is the reason the cell looks empty
            problems.append(Problem(number, HEADER_OF[key], message))

    ref = _text(raw["ref"]) or f"#{number}"
    parsed = activities.get(ref)
    if parsed is None:
        parsed = activities[ref] = ParsedActivity(ref=ref, first_row=number, data={}, raw=raw)
        _read_activity(vocab, raw, parsed, problem)
    else:
        for key in ACTIVITY_KEYS:
            if _text(raw[key]) and _text(raw[key]) != _text(parsed.raw[key]) and key != "summary":
                problem(
                    key,
                    _("Rows of activity %(ref)s must agree: row %(row)d says “%(value)s”.")
                    % {"ref": ref, "row": parsed.first_row, "value": _text(parsed.raw[key])},
                )
    parsed.rows.append(number)
    if all(_text(raw[key]) == "" for key in CELL_KEYS):
        return
    cell: dict[str, Any] = {}
    readers: dict[str, Callable[[Any], Any]] = {
        "category": lambda v: _choice(vocab.categories, v, Category.choices),
        "ethnic_group": lambda v: _ethnic(vocab, v),
        "age_band": lambda v: _choice(vocab.ages, v, AgeBand.choices),
        "gender": lambda v: _choice(vocab.genders, v, Gender.choices),
        "count": _count,
    }
    for key, read in readers.items():
        if key != "gender" and _text(raw[key]) == "":
            problem(key, _("This cell is required when the row has participants."))
            continue
        try:
            cell[key] = read(raw[key])
        except ValueError as exc:
            problem(key, str(exc))
    if len(cell) == len(readers):
        same = (cell["category"], cell["ethnic_group"].pk, cell["age_band"], cell["gender"])
        if any(
            (c["category"], c["ethnic_group"].pk, c["age_band"], c["gender"]) == same for c in parsed.cells
        ):
            problem(
                "count",
                _("This category, ethnic group, age and gender already has a row; add the numbers up."),
            )
        else:
            parsed.cells.append(cell)


def _ethnic(vocab: _Vocabulary, value: Any) -> EthnicGroup:
    text = _text(value)
    if text.isdigit():
        text = text.zfill(2)
    if text in vocab.ethnic:
        return vocab.ethnic[text]
    raise ValueError(_("“%(value)s” is not an ethnic group of GB 3304.") % {"value": text})


def _read_activity(
    vocab: _Vocabulary, raw: dict[str, Any], parsed: ParsedActivity, problem: Callable[[str, str], None]
) -> None:
    data = parsed.data
    title = _text(raw["title"])
    for key in ("title", "place", "summary", "sending_unit", "receiving_unit"):
        try:
            no_control_characters(_text(raw[key]))
        except ValidationError as exc:
            problem(key, " ".join(exc.messages))
    if not title:
        problem("title", _("The activity needs a title."))
    elif len(title) > 120:
        problem("title", _("At most 120 characters."))
    data["title"] = title[:120]
    type_name = _text(raw["activity_type"])
    if type_name in vocab.types:
        data["activity_type"] = vocab.types[type_name]
    else:
        problem(
            "activity_type",
            _("“%(value)s” is not in the type list; see the 填写说明 sheet.") % {"value": type_name},
        )
    plans = [p for p in PLAN_SEPARATORS.split(_text(raw["plans"])) if p]
    if not plans:
        problem("plans", _("Choose at least one of the Three Plans."))
    for plan in plans:
        try:
            data[f"plan_{_choice(vocab.plans, plan, Plan.choices)}"] = True
        except ValueError as exc:
            problem("plans", str(exc))
    for key in ("start_date", "end_date"):
        if _text(raw[key]) == "":
            problem(key, _("This cell is required."))
            continue
        try:
            data[key] = _date(raw[key])
        except ValueError as exc:
            problem(key, str(exc))
    if "start_date" in data and "end_date" in data and data["end_date"] < data["start_date"]:
        problem("end_date", _("The end date is before the start date."))
    data["place"] = _text(raw["place"])
    data["summary"] = _text(raw["summary"])
    for side in ("sending", "receiving"):
        value = _text(raw[f"{side}_region"])
        if not value:
            problem(f"{side}_region", _("This cell is required."))
            continue
        try:
            region = vocab.region(value)
        except ValueError as exc:
            problem(f"{side}_region", str(exc))
            continue
        data[f"{side}_region"] = region
        unit_name = _text(raw[f"{side}_unit"])
        if unit_name:
            try:
                data[f"{side}_unit"] = vocab.unit(region, unit_name)
            except ValueError as exc:
                problem(f"{side}_unit", str(exc))


# Which column a service-level refusal belongs to.
FIELD_COLUMN = {
    "title": "title",
    "start_date": "start_date",
    "end_date": "end_date",
    "place": "place",
    "summary": "summary",
    "receiving_region": "receiving_region",
    "sending_region": "sending_region",
    "plan_youth": "plans",
    "participations": "count",
}


def service_problems(exc: ValidationError | PermissionDenied, parsed: ParsedActivity) -> list[Problem]:
    """A refusal from the ledger's services, placed at the activity's first row."""
    if isinstance(exc, PermissionDenied):
        return [Problem(parsed.first_row, HEADER_OF["sending_region"], str(exc))]
    out: list[Problem] = []
    for name, messages in exc.message_dict.items():
        column = HEADER_OF[FIELD_COLUMN.get(name, "title")]
        out.extend(Problem(parsed.first_row, column, message) for message in messages)
    return out


def activity_key(data: dict[str, Any]) -> tuple[str, Any, str, str]:
    """What makes an imported activity the same as one in the ledger: title, start and the two regions."""
    return (data["title"], data["start_date"], data["sending_region"].code, data["receiving_region"].code)


def existing_keys(parsed: Iterable[ParsedActivity]) -> dict[tuple[str, Any, str, str], int]:
    """Keys of activities already in the ledger (not cancelled) among those of the file, with the id of the activity
    each one is, in a few queries: an export imported twice is skipped, not doubled, and each skip says where."""
    return ledger_keys({p.data["title"] for p in parsed if p.data.get("title")})


def ledger_keys(titles: Iterable[str]) -> dict[tuple[str, Any, str, str], int]:
    """Keys (:func:`activity_key`) of the activities in the ledger (not cancelled) with these titles → their ids."""
    ordered = sorted(set(titles))
    found: dict[tuple[str, Any, str, str], int] = {}
    for start in range(0, len(ordered), 500):
        for title, start_date, sending, receiving, pk in (
            Activity.objects.exclude(status=ActivityStatus.CANCELLED)
            .filter(title__in=ordered[start : start + 500])
            .values_list("title", "start_date", "sending_region_id", "receiving_region_id", "pk")
        ):
            found.setdefault((title, start_date, sending, receiving), pk)
    return found
