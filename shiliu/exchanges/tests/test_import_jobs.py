"""Import jobs that survive their worker: queued with their task in one transaction, cancelled, retried, recovered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from shiliu.exchanges.imports import reader as imports_reader
from shiliu.exchanges.imports import services as imports_services
from shiliu.exchanges.imports.tasks import run_import
from shiliu.exchanges.models import Activity, ImportJob, ImportStatus
from shiliu.exchanges.tests.test_import import GOOD, upload, workbook
from shiliu.runtime.models import WorkerBeat
from shiliu.runtime.worker import tasks_recover

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings: Any, client: Any, login: Any, xinyuan: Any, paired: Any) -> ImportJob:
    """An upload queued on the database backend, with no worker running."""
    settings.TASKS = DATABASE_TASKS
    login(xinyuan)
    upload(client, workbook(GOOD))
    return ImportJob.objects.get()


@pytest.mark.django_db
def test_the_job_and_its_task_are_saved_together(queued: ImportJob) -> None:
    task = DBTaskResult.objects.get()
    assert (queued.status, queued.task_id) == (ImportStatus.QUEUED, str(task.id))
    assert task.task_path == "shiliu.exchanges.imports.tasks.run_import" and task.args_kwargs["args"] == [
        queued.pk
    ]


@pytest.mark.django_db
def test_no_job_is_left_waiting_when_its_task_cannot_be_queued(
    settings: Any, client: Any, login: Any, xinyuan: Any, paired: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = DATABASE_TASKS

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("the connection was lost while queuing")

    monkeypatch.setattr(type(run_import), "enqueue", broken)
    login(xinyuan)
    with pytest.raises(OperationalError):
        imports_services.import_start(actor=xinyuan, upload=_upload(workbook(GOOD)))
    assert not ImportJob.objects.exists()


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ledger.xlsx", content)


@pytest.mark.django_db
def test_a_waiting_import_can_be_cancelled_once_then_retried(client: Any, queued: ImportJob) -> None:
    page = client.get(f"/exchanges/import/{queued.pk}/").content.decode()
    assert 'data-testid="import-cancel"' in page and 'data-testid="import-retry"' not in page

    page = client.post(f"/exchanges/import/{queued.pk}/cancel/", follow=True).content.decode()
    queued.refresh_from_db()
    assert queued.status == ImportStatus.CANCELLED and "没有导入任何活动" in queued.message
    assert (
        "导入已取消" in page
        and 'data-testid="import-retry"' in page
        and 'data-testid="import-cancel"' not in page
    )
    again = client.post(f"/exchanges/import/{queued.pk}/cancel/", follow=True).content.decode()
    assert "此次导入已经取消" in again

    first_task = queued.task_id
    client.post(f"/exchanges/import/{queued.pk}/retry/")
    queued.refresh_from_db()
    assert queued.status == ImportStatus.QUEUED and queued.task_id not in ("", first_task)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_a_cancelled_job_is_not_run_by_its_task(queued: ImportJob, xinyuan: Any) -> None:
    imports_services.import_cancel(actor=xinyuan, job=queued)
    job = imports_services.import_run(queued.pk, task_id=queued.task_id)
    assert job.status == ImportStatus.CANCELLED and not Activity.objects.exists()


@pytest.mark.django_db
def test_a_written_import_cannot_be_cancelled(client: Any, login: Any, xinyuan: Any, paired: Any) -> None:
    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="已经写入台账"):
        imports_services.import_cancel(actor=xinyuan, job=job)


@pytest.mark.django_db
def test_an_import_that_dies_on_a_database_error_fails_clearly_and_can_be_retried(
    client: Any, login: Any, xinyuan: Any, paired: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = imports_reader.read_ledger

    def outage(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(imports_reader, "read_ledger", outage)
    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED  # it stayed at "checking" for ever before
    page = client.get(f"/exchanges/import/{job.pk}/").content.decode()
    assert "意外错误" in page and 'data-testid="import-retry"' in page and "hx-trigger" not in page

    monkeypatch.setattr(imports_reader, "read_ledger", read)
    client.post(f"/exchanges/import/{job.pk}/retry/")
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 2)


def _running_task(job: ImportJob, worker: str, started: dt.datetime) -> DBTaskResult:
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.status, task.worker_ids, task.started_at = "RUNNING", [worker], started
    task.save()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, processed_rows=1)
    return task


@pytest.mark.django_db
def test_recovery_fails_the_task_of_a_silent_worker_and_its_job_says_so(
    client: Any, queued: ImportJob, settings: Any
) -> None:
    settings.SHILIU_WORKER_STALE_SECONDS = 30
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    WorkerBeat.objects.create(worker_id="gone", started_at=long_ago, beat_at=long_ago, task_id=queued.task_id)
    task = _running_task(queued, "gone", long_ago)

    assert tasks_recover() == [str(task.id)]

    task.refresh_from_db()
    queued.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLostError")
    assert queued.status == ImportStatus.FAILED and "后台处理进程" in queued.message
    page = client.get(f"/exchanges/import/{queued.pk}/").content.decode()
    assert "重试" in page and "hx-trigger" not in page
    assert tasks_recover() == []  # once


@pytest.mark.django_db
def test_recovery_leaves_live_workers_and_workers_that_do_not_beat_alone(queued: ImportJob) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="alive", started_at=now, beat_at=now, task_id=queued.task_id)
    _running_task(queued, "alive", now - dt.timedelta(minutes=5))
    assert tasks_recover() == []
    WorkerBeat.objects.all().delete()  # a plain db_worker: nothing is known about it
    assert tasks_recover() == []
    queued.refresh_from_db()
    assert queued.status == ImportStatus.CHECKING


@pytest.mark.django_db
def test_recovery_fails_a_task_its_live_worker_no_longer_runs(queued: ImportJob) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, beat_at=now, task_id="")  # it moved on
    task = _running_task(queued, "w", now - dt.timedelta(minutes=5))
    assert tasks_recover() == [str(task.id)]
    queued.refresh_from_db()
    assert queued.status == ImportStatus.FAILED


@pytest.mark.django_db
def test_the_sweep_fails_jobs_whose_task_failed_unseen_or_was_never_queued(queued: ImportJob) -> None:
    DBTaskResult.objects.filter(pk=queued.task_id).update(
        status="FAILED", exception_class_path="builtins.OSError"
    )
    orphan = ImportJob.objects.create(
        created_by=queued.created_by,
        original_name="orphan.xlsx",
        created_at=timezone.now() - dt.timedelta(hours=1),
    )

    assert imports_services.import_jobs_recover() == 2

    queued.refresh_from_db()
    orphan.refresh_from_db()
    assert queued.status == orphan.status == ImportStatus.FAILED
    assert "意外错误" in queued.message and "后台处理进程" in orphan.message


@pytest.mark.django_db
def test_an_activity_written_twice_in_one_file_is_a_problem_not_two_activities(
    client: Any, login: Any, xinyuan: Any, paired: Any
) -> None:
    rows = [list(r) for r in GOOD]
    rows.append(["9", *rows[0][1:]])  # 活动 1 again under another number
    login(xinyuan)
    upload(client, workbook(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED
    assert [(p["row"], p["column"]) for p in job.problems] == [(5, "活动名称")]
    assert "与第 2 行是同一活动" in job.problems[0]["message"]
