"""How long an upload of the ledger holds the request: the checks ``imports.import_start`` runs before it queues
the background task (``ledger_io.check_file`` and ``ledger_io.count_rows``), on hostile and on honest files.

Files (built in memory):

- *stretched, 5 MB*: the template's header row, then 1,048,575 blank rows that carry only formatting and a
  recorded dimension of A1:XFD1048576 — the file of issue 9 (refused after 571 s before);
- *stretched, under the part limit*: the same with shorter row tags, so the sheet's XML stays under the 64 MB a part
  may expand to and the row survey has to refuse it; and once more without a recorded dimension (openpyxl would
  parse the whole sheet merely to open the workbook);
- *honest*: 20,000 rows of the template (the import's limit), as ``bench_import.py`` builds them.

The old check counted such a sheet row by row with openpyxl, each row padded to the recorded 16,384 columns; it is
timed on the first 4,096 rows of the stretched sheet and extrapolated (it grows linearly).
No database is needed.

    .venv/bin/python bench/bench_upload.py
"""

from __future__ import annotations

import io
import os
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiliu.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from shiliu.exchanges import ledger_io  # noqa: E402

LAST_ROW = 1_048_576


def stretched(row_tag: str, last_row: int = LAST_ROW, dimension: bool = True) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = ledger_io.SHEET_TITLE
    ws.append(list(ledger_io.HEADERS))
    ws.append(["1", "新源县干部赴扬州考察", "互访考察", "互嵌式发展", "2025-04-08", "2025-04-12", "扬州", "654025", "",
               "3210", "", "", "干部", "哈萨克族", "35岁以上", "男", 12])  # fmt: skip
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode().replace('<dimension ref="A1:Q2" />', '<dimension ref="A1:XFD1048576" />')
                if not dimension:  # openpyxl itself then parses the whole sheet when it opens the workbook
                    xml = xml.replace('<dimension ref="A1:XFD1048576" />', "")
                rows = "".join(
                    row_tag.format(n=n, h=12 + (n * 7919) % 97 / 4) for n in range(3, last_row + 1)
                )
                data = xml.replace("</sheetData>", rows + "</sheetData>").encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def honest(rows: int = 20_000) -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_import import workbook  # type: ignore[import-not-found]

    return workbook(rows // 4)


def request_checks(content: bytes) -> tuple[float, str]:
    upload = SimpleUploadedFile("ledger.xlsx", content)
    started = time.perf_counter()
    try:
        ledger_io.check_file(upload)
        rows = ledger_io.count_rows(upload)
        outcome = f"accepted, about {rows:,} rows"
    except ledger_io.FormatError as exc:
        outcome = f"refused: {exc}"
    return time.perf_counter() - started, outcome


def old_count(content: bytes, rows: int) -> float:
    """The check before issue 9: iterate the sheet with openpyxl, rows padded to the recorded dimension."""
    ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    started = time.perf_counter()
    for seen, row in enumerate(ws.iter_rows(values_only=True), start=1):
        any(v not in (None, "") for v in row)
        if seen >= rows:
            break
    return time.perf_counter() - started


def main() -> None:
    translation.activate("zh-hans")
    files = {
        "stretched, 5 MB": stretched(
            '<row r="{n}" spans="1:16384" s="1" customFormat="1" ht="{h}" customHeight="1" thickBot="1"/>'
        ),
        "stretched, no dimension": stretched('<row r="{n}" s="1"/>', dimension=False),
        "stretched, under the part limit": stretched('<row r="{n}" s="1"/>'),
        "honest, 20,000 rows": honest(),
    }
    for name, content in files.items():
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet = archive.getinfo("xl/worksheets/sheet1.xml").file_size
        best = min(request_checks(content)[0] for _ in range(3))
        _seconds, outcome = request_checks(content)
        print(f"{name}: {len(content) / 2**20:.1f} MB, sheet XML {sheet / 2**20:.0f} MB")
        print(f"  request checks {best * 1000:.0f} ms (best of 3): {outcome}")
    sample = 4_096
    seconds = old_count(files["stretched, 5 MB"], sample)
    print(
        f"old check, first {sample:,} rows of the stretched sheet: {seconds:.1f} s "
        f"→ about {seconds * LAST_ROW / sample:,.0f} s for all {LAST_ROW:,}"
    )


if __name__ == "__main__":
    main()
