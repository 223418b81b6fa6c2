"""The task worker as a real process: killed mid-import it is started again, the job says what happened, a retry
finishes it; with the database gone it logs and backs off instead of dying."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from conftest import make_user
from shiliu.exchanges.imports import services as imports_services
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.exchanges.models import Activity, ImportJob, ImportStatus
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from shiliu.runtime.models import WorkerBeat
from shiliu.runtime.tests.concurrency import seed_reference_data

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _shared_database() -> bool:
    db = settings.DATABASES["default"]
    return db["ENGINE"] != "django.db.backends.sqlite3" or bool(db.get("TEST", {}).get("NAME"))


needs_shared_database = pytest.mark.skipif(
    not _shared_database(),
    reason="the worker is another process: it cannot open the in-memory SQLite test database "
    "(run on PostgreSQL, or on a SQLite file with SHILIU_TEST_DB_FILE=1)",
)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _wait(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _ledger(n: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = ledger_workbook.SHEET_TITLE
    ws.append(list(ledger_workbook.HEADERS))
    for i in range(1, n + 1):
        ws.append([str(i), f"新源县干部赴扬州考察第{i}批", "互访考察", "各族群众互嵌式发展计划", "2025-04-08",
                   "2025-04-12", "扬州", "654025", "", "3210", "", "", "干部", "哈萨克族", "35岁以上", "男", 12])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def worker_env(settings: Any) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SHILIU_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SHILIU_WORKER_BEAT_SECONDS": "1",
        "SHILIU_WORKER_STALE_SECONDS": "3",
        "SHILIU_WORKER_RECOVER_SECONDS": "1",
    }


@pytest.fixture
def supervised(worker_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, MANAGE, "worker", "--supervise", "--interval", "0.2", "--no-startup-delay"],
        env=worker_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield process
    # The supervisor's own children (their parent is the supervisor), to be sure none outlives the test.
    children = [
        pid for pid in WorkerBeat.objects.values_list("pid", flat=True) if _parent(pid) == process.pid
    ]
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    for pid in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    log.close()


@pytest.mark.django_db(transaction=True)
@needs_shared_database
def test_a_worker_killed_mid_import_is_restarted_and_the_job_fails_clearly_then_a_retry_finishes_it(
    settings: Any, supervised: subprocess.Popen[bytes]
) -> None:
    seed_reference_data()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yangzhou = make_user("yangzhou", "commission_staff", "3210")
    xinyuan = make_user("xinyuan", "commission_staff", "654025")
    pairing = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=xinyuan, pairing=pairing, accept=True)
    rows = 3000
    job = imports_services.import_start(
        actor=xinyuan, upload=SimpleUploadedFile("ledger.xlsx", _ledger(rows))
    )

    def reading() -> ImportJob | None:
        current = ImportJob.objects.get(pk=job.pk)
        return current if current.status == ImportStatus.CHECKING and current.processed_rows > 0 else None

    _wait(reading, 60, "the worker to start reading the file")
    first = WorkerBeat.objects.get(task_id=job.task_id)
    assert _parent(first.pid) == supervised.pid  # our supervisor's worker, nobody else's process
    os.kill(first.pid, signal.SIGKILL)

    failed = _wait(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.FAILED).first(),
        30,
        "the recovery step to fail the job",
    )
    assert "后台处理进程停止了" in failed.message and "重试" in failed.message
    assert not Activity.objects.exists()  # nothing half-written
    second = _wait(lambda: WorkerBeat.objects.exclude(pid=first.pid).first(), 30, "a new worker")
    assert supervised.poll() is None and second.pid != first.pid

    imports_services.import_retry(actor=xinyuan, job=failed)
    done = _wait(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).first(),
        120,
        "the retried import",
    )
    assert done.created_count == rows == Activity.objects.filter(imported=True).count()


def test_a_worker_without_its_database_logs_and_backs_off_instead_of_dying(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**worker_env, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere", "DEBUG": "1"}
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, MANAGE, "worker", "--no-startup-delay"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait(lambda: log_path.read_text().count("trying again in") >= 2, 30, "two retries")
            assert process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(20)
    text = log_path.read_text()
    assert (
        "The database is not reachable" in text
        and "trying again in 1 s" in text
        and "trying again in 2 s" in text
    )
