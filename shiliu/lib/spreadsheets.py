"""Cheap checks of an uploaded Excel workbook, made while the upload waits, before openpyxl opens it.

An .xlsx file is a zip archive of XML parts. A small upload can expand to gigabytes (a zip bomb), claim a sheet of
1,048,576 rows × 16,384 columns made of formatting alone (openpyxl then spends minutes on empty cells), or carry
XML entity declarations. These checks read the archive's directory, the workbook's list of sheets, a sheet's first
row, and stream the sheet's bytes once at the speed of zlib — never the whole sheet through an XML parser (openpyxl
even parses a whole sheet on opening when it has no recorded dimension) — so a request can refuse such a file in a
fraction of a second with a reason the uploader can act on. The rows themselves are read by the background task.

XML is parsed with ``defusedxml`` here, and by openpyxl too (a dependency: openpyxl uses it whenever it is
installed), which refuses entity declarations and external entities.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from django.utils.translation import gettext as _

MAX_MEMBERS = 500  # an Excel workbook of a few sheets has 10 to 30 parts
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one part, expanded: 20,000 wordy ledger rows are about 50 MB
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # all parts, expanded
MAX_RATIO = 200  # expanded ÷ compressed, for parts over 1 MB: spreadsheets compress 5–40 times, bombs 1,000+
RATIO_FLOOR_BYTES = 1024 * 1024

_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>]")
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeWorkbook(ValueError):
    """The archive or its XML is not what a spreadsheet program writes; the message says why, for the uploader."""


def check_archive(source: Any) -> None:
    """Refuse an archive whose parts expand past the limits or compress suspiciously well.

    Reads the zip's central directory only. The sizes checked are those the directory declares; Python's zipfile
    never returns more bytes than a part declares, so a lying directory cannot smuggle more past these limits.
    """
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeWorkbook(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    finally:
        source.seek(0)
    if len(parts) > MAX_MEMBERS:
        raise UnsafeWorkbook(
            _("The workbook has %(n)d parts; an Excel file has far fewer. Save it again from Excel.")
            % {"n": len(parts)}
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise UnsafeWorkbook(
                _(
                    "The workbook expands to more than %(limit)d MB when opened; keep only the template's sheet "
                    "and rows, and save it again."
                )
                % {
                    "limit": (MAX_MEMBER_BYTES if part.file_size > MAX_MEMBER_BYTES else MAX_TOTAL_BYTES)
                    // 2**20
                }
            )
        if part.file_size > RATIO_FLOOR_BYTES and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UnsafeWorkbook(
                _(
                    "The workbook's part %(name)s expands %(ratio)d times when opened, which spreadsheet programs "
                    "never write; it is refused for safety."
                )
                % {"name": part.filename, "ratio": part.file_size // max(part.compress_size, 1)}
            )


@dataclass(frozen=True)
class Survey:
    rows: int  # <row> elements, blank ones (formatting only) included
    values: int  # cells holding a value
    value_rows: int = 0  # rows holding at least one value, whatever the recorded dimension claims
    formulas: int = 0  # cells holding a formula


class _Tally:
    """Counts rows, values, rows with a value and formulas over a sheet's XML streamed in blocks."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.pattern = re.compile(b"<" + p + rb"(?:(row)[\s>/]|(v|is)[\s>]|(f)[\s>/])")
        self.rows = self.values = self.value_rows = self.formulas = 0
        self.current = False

    def feed(self, block: bytes) -> None:
        for match in self.pattern.finditer(block):
            if match.group(1):
                self.rows += 1
                self.value_rows += self.current
                self.current = False
            elif match.group(2):
                self.values += 1
                self.current = True
            else:
                self.formulas += 1

    def survey(self) -> Survey:
        return Survey(self.rows, self.values, self.value_rows + self.current, self.formulas)


def survey_sheet(source: Any, part: str) -> Survey:
    """Count a sheet's rows and value cells by streaming its XML once, without parsing it.

    Refuses XML with a document type or entity declarations (Excel never writes them). Tags are counted with the
    namespace prefix the sheet's root element uses (``<row>``, or ``<x:row>`` from some libraries).
    """
    tail = b""
    tally: _Tally | None = None
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive, archive.open(part) as stream:
            while chunk := stream.read(1024 * 1024):
                block = tail + chunk
                if tally is None:
                    if _DOCTYPE.search(block[:4096]):
                        raise UnsafeWorkbook(
                            _("The workbook's XML declares entities; it is refused for safety.")
                        )
                    root = _ROOT.search(block)
                    if root is None:
                        tail = block[-4096:]  # the root element is near the start; keep looking a little
                        continue
                    tally = _Tally((root.group(1) + b":") if root.group(1) else b"")
                # Count only what lies before the last "<": a tag cut by the chunk's end is counted next time.
                cut = block.rfind(b"<")
                cut = len(block) if cut < 0 else cut
                tally.feed(block[:cut])
                tail = block[cut:]
            if tally is not None:
                tally.feed(tail + b" ")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnsafeWorkbook(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    finally:
        source.seek(0)
    return tally.survey() if tally is not None else Survey(rows=0, values=0)


def check_declarations(source: Any) -> None:
    """Refuse a workbook any of whose parts declares a document type or entities (Excel never writes them; they are
    how XML bombs and external entities travel), the content types and relationships included, not the sheet only.
    Streams every part once at zlib speed; the archive's sizes are checked first (:func:`check_archive`)."""
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue  # images and other binary parts are never parsed as XML
                with archive.open(info) as stream:
                    tail = b""
                    while chunk := stream.read(1024 * 1024):
                        if _DOCTYPE.search(tail + chunk):
                            raise UnsafeWorkbook(
                                _("The workbook's XML declares entities; it is refused for safety.")
                            )
                        tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        if isinstance(exc, UnsafeWorkbook):
            raise
        raise UnsafeWorkbook(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    finally:
        source.seek(0)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rel_id(element: Any) -> str | None:
    return next((v for k, v in element.attrib.items() if _local(k) == "id"), None)


def _target(base: str, target: str) -> str:
    """A relationship's target as an archive path (targets are relative to the part's folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in base.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _read_xml(archive: zipfile.ZipFile, name: str) -> Any:
    return fromstring(archive.read(name))


def _refusal(exc: BaseException) -> UnsafeWorkbook:
    if isinstance(exc, DefusedXmlException):
        return UnsafeWorkbook(_("The workbook's XML declares entities; it is refused for safety."))
    return UnsafeWorkbook(_("The file could not be read as an Excel workbook (.xlsx)."))


def header_problem(found_row: Any, expected: tuple[str, ...]) -> str | None:
    """What is wrong with a sheet's first row against the template's headers, as the message an import shows
    (None when it matches): the missing columns, the unknown ones, or the order. Trailing empty cells are ignored.
    Every import (the ledger, units, residents) raises its own format error with it."""
    found = [str(v).strip() if v is not None else "" for v in found_row]
    while found and not found[-1]:
        found.pop()
    if tuple(found) == expected:
        return None
    missing = [h for h in expected if h not in found]
    extra = [h for h in found if h and h not in expected]
    parts = []
    if missing:
        parts.append(_("missing columns: %(names)s") % {"names": "、".join(missing)})
    if extra:
        parts.append(_("unknown columns: %(names)s") % {"names": "、".join(extra)})
    if not parts:
        parts.append(_("the columns are in a different order"))
    return _(
        "The first row does not match the template (%(details)s). Download the template and keep its columns."
    ) % {"details": "；".join(parts)}


@dataclass(frozen=True)
class SheetParts:
    sheet: str  # the sheet's part in the archive
    shared_strings: str | None  # the workbook's shared strings, if any


def sheet_parts(source: Any, title: str) -> SheetParts:
    """Where the sheet called ``title`` (else the first sheet) and the shared strings lie in the archive."""
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            book = "xl/workbook.xml"
            for rel in _read_xml(archive, "_rels/.rels"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    book = _target("", rel.get("Target", book))
            folder = book.rsplit("/", 1)[0] if "/" in book else ""
            rels_name = f"{folder}/_rels/{book.rsplit('/', 1)[-1]}.rels" if folder else f"_rels/{book}.rels"
            targets: dict[str, str] = {}
            strings = None
            for rel in _read_xml(archive, rels_name):
                target = _target(folder, rel.get("Target", ""))
                targets[rel.get("Id", "")] = target
                if rel.get("Type", "").endswith("/sharedStrings"):
                    strings = target
            sheets = [
                (el.get("name"), _rel_id(el))
                for el in _read_xml(archive, book).iter()
                if _local(el.tag) == "sheet"
            ]
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _refusal(exc) from exc
    finally:
        source.seek(0)
    chosen = next((rid for name, rid in sheets if name == title), sheets[0][1] if sheets else None)
    if chosen not in targets:
        raise UnsafeWorkbook(_("The file could not be read as an Excel workbook (.xlsx)."))
    return SheetParts(sheet=targets[chosen], shared_strings=strings)


def _column(reference: str | None, fallback: int) -> int:
    letters = "".join(ch for ch in (reference or "") if ch.isalpha())
    if not letters:
        return fallback
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _text(element: Any) -> str:
    """The text of a string item (``<is>`` or ``<si>``): its ``<t>`` runs, phonetic guides (``<rPh>``) left out."""
    out: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            name = _local(child.tag)
            if name == "rPh":
                continue
            if name == "t":
                out.append(child.text or "")
            else:
                walk(child)

    walk(element)
    return "".join(out)


def first_row(source: Any, parts: SheetParts) -> list[str | None]:
    """The values of the sheet's first row (row 1), as text, read without parsing the rest of the sheet."""
    cells: dict[int, str | None] = {}
    shared: dict[int, int] = {}  # column → shared-string index
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            with archive.open(parts.sheet) as stream:
                for _event, element in iterparse(stream, events=("end",)):
                    name = _local(element.tag)
                    if name == "c":
                        column = _column(element.get("r"), len(cells) + len(shared) + 1)
                        kind = element.get("t", "n")
                        value = next((child.text for child in element if _local(child.tag) == "v"), None)
                        if kind == "s" and value is not None and value.strip().isdigit():
                            shared[column] = int(value)
                        elif kind == "inlineStr":
                            cells[column] = next(
                                (_text(child) for child in element if _local(child.tag) == "is"), None
                            )
                        else:
                            cells[column] = value
                    elif name == "row":
                        if (element.get("r") or "1") != "1":
                            cells, shared = {}, {}  # the sheet's first row is not row 1: row 1 is empty
                        break
            if shared and parts.shared_strings:
                wanted, found = set(shared.values()), {}
                with archive.open(parts.shared_strings) as stream:
                    index = 0
                    for _event, element in iterparse(stream, events=("end",)):
                        if _local(element.tag) != "si":
                            continue
                        if index in wanted:
                            found[index] = _text(element)
                        index += 1
                        element.clear()
                        if index > max(wanted):
                            break
                cells.update({column: found.get(i) for column, i in shared.items()})
    except (DefusedXmlException, ParseError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _refusal(exc) from exc
    finally:
        source.seek(0)
    width = max(cells, default=0)
    return [cells.get(column) for column in range(1, width + 1)]
