"""Historical import at the template's limit: 20,000 rows (5,000 activities × 4 participation rows).

Needs a database with the divisions and the demo loaded (``make demo-data``; point DATABASE_URL elsewhere to keep
your own). Everything it writes is rolled back at the end. It times the three phases of
:func:`shiliu.exchanges.imports.services.import_run` (read the rows, check each activity against the ledger's rules, write in
one transaction) and, as the baseline, openpyxl alone reading the same file: the floor any importer pays.

    .venv/bin/python bench/bench_import.py [activities]
"""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiliu.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from shiliu.accounts.models import User  # noqa: E402
from shiliu.exchanges.imports import reader as imports_reader  # noqa: E402
from shiliu.exchanges.imports import services as imports_services  # noqa: E402
from shiliu.exchanges.ledger import services  # noqa: E402
from shiliu.exchanges.ledger import workbook as ledger_workbook  # noqa: E402


def workbook(activities: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(ledger_workbook.SHEET_TITLE)
    ws.append(list(ledger_workbook.HEADERS))
    cells = [("学生", "哈萨克族", "18岁以下", "女"), ("学生", "汉族", "18岁以下", "男"),
             ("教师", "汉族", "35岁以上", "女"), ("干部", "回族", "18–35", "男")]  # fmt: skip
    start = dt.date(2024, 1, 1)
    for n in range(activities):
        day = start + dt.timedelta(days=n % 600)
        head = [f"H{n}", f"历史交流活动 {n}", "互访考察", "互嵌式发展", day, day + dt.timedelta(days=2), "扬州",
                "654025", "", "3210", "", ""]  # fmt: skip
        for category, group, age, gender in cells:
            ws.append([*head, category, group, age, gender, 5 + n % 17])
            head = [f"H{n}", *[None] * 11]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    activities = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    actor = User.objects.get(username="xinyuan")
    content = workbook(activities)
    rows = activities * 4
    print(f"file: {rows:,} rows, {activities:,} activities, {len(content) / 1024 / 1024:.1f} MB")

    t = time.perf_counter()
    ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True)[ledger_workbook.SHEET_TITLE]
    for _row in ws.iter_rows(values_only=True):
        pass
    baseline = time.perf_counter() - t
    print(f"baseline, openpyxl reading every row: {baseline:.2f} s")

    t = time.perf_counter()
    parsed, problems = imports_reader.read_ledger(io.BytesIO(content))
    read = time.perf_counter() - t
    assert not problems, problems[:3]  # noqa: S101
    t = time.perf_counter()
    prepared, skipped, _rows = imports_services.check_activities(actor, parsed, problems)
    check = time.perf_counter() - t
    assert not problems and not skipped and len(prepared) == activities, "run it on a fresh demo database"  # noqa: S101
    t = time.perf_counter()
    with transaction.atomic():
        services.activities_record_many(actor=actor, prepared=prepared, key="bench")
        write = time.perf_counter() - t
        transaction.set_rollback(True)
    total = read + check + write
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"read {read:.2f} s · check {check:.2f} s · write {write:.2f} s · total {total:.2f} s")
    print(f"{rows / total:,.0f} rows/s; {total / baseline:.1f}× the openpyxl floor; peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
