"""Spreadsheets written in the background: a list page's export never runs in the request.

An app registers each export from its ``AppConfig.ready()``::

    register_export("exchanges.activities", write_activities)

where ``write_activities(user, params, progress)`` reads the records ``user`` may see under the list's filters
``params`` (a dict of the query string), calls ``progress(done, total)`` as it goes, and returns ``(filename,
content)``; it raises :class:`ExportRefused` with a message for filters that are not valid. The page that asked
calls :func:`export_start` and sends the reader to the job's page (``runtime:export``), which shows the progress
and then the download, for the person who asked only, until it expires after ``SHILIU_EXPORT_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.db.models import F
from django.utils.translation import gettext as _
from django_tasks import TaskContext, TaskResultStatus, task

from shiliu.accounts.audit import acting_as
from shiliu.lib import clock

from .models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
Exporter = Callable[[Any, Mapping[str, Any], Progress], tuple[str, bytes]]

_EXPORTERS: dict[str, Exporter] = {}


class ExportRefused(Exception):
    """The export cannot be written as asked (a filter that is not valid); the text says why, to the reader."""


class ExportTooLong(Exception):
    pass


def counted(rows: Iterable[T], total: int, progress: Progress, every: int = 200) -> Iterator[T]:
    """``rows`` again, telling ``progress`` how far the writing is every ``every`` rows and at the end."""
    done = 0
    progress(0, total)
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            progress(done, total)
    progress(done, max(done, total))


def register_export(kind: str, exporter: Exporter) -> None:
    _EXPORTERS[kind] = exporter


def export_start(*, user: Any, kind: str, params: Mapping[str, Any]) -> ExportJob:
    """Queue the export ``kind`` of what ``user`` may see under ``params`` (the database backend stores the task in
    the same transaction as the job, so neither exists without the other)."""
    if kind not in _EXPORTERS:
        raise KeyError(kind)
    job = ExportJob.objects.create(kind=kind, params=dict(params), user=user, created_at=clock.now())
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _enqueue(job_id: int) -> None:
    result = run_export.enqueue(job_id)
    ExportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id))


def _fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]).update(
        status=ExportStatus.FAILED, message=message[:300], finished_at=clock.now()
    )


def export_run(job_id: int) -> ExportJob:
    """Write the export of ``job_id`` (called by the task). Progress is saved every few hundred rows; the writing
    stops after ``SHILIU_EXPORT_SECONDS`` with a message instead of holding a worker for ever."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportStatus.QUEUED:
        return job  # run twice (a retried task): the first run stands
    job.status = ExportStatus.RUNNING
    job.save(update_fields=["status"])
    deadline = time.monotonic() + settings.SHILIU_EXPORT_SECONDS
    last_saved = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() > deadline:
            raise ExportTooLong
        now = time.monotonic()
        if now - last_saved[0] >= 0.5 or done == total:
            last_saved[0] = now
            ExportJob.objects.filter(pk=job.pk).update(done_rows=done, total_rows=total)

    try:
        with acting_as(job.user):
            filename, content = _EXPORTERS[job.kind](job.user, job.params, progress)
    except ExportRefused as exc:
        _fail(job.pk, str(exc))
    except ExportTooLong:
        _fail(
            job.pk,
            _(
                "The export took longer than %(minutes)d minutes and was stopped; narrow the filters and try again."
            )
            % {"minutes": max(1, settings.SHILIU_EXPORT_SECONDS // 60)},
        )
    else:
        job.file.save(filename, ContentFile(content), save=False)
        job.filename = filename
        job.status, job.finished_at = ExportStatus.DONE, clock.now()
        job.save(update_fields=["file", "filename", "status", "finished_at"])
        ExportJob.objects.filter(pk=job.pk).update(done_rows=F("total_rows"))
    job.refresh_from_db()
    return job


@task(takes_context=True)
def run_export(context: TaskContext, job_id: int) -> str:
    return export_run(job_id).status


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A failed export task (an error, or its worker lost) fails its job at once, with a message."""
    if (
        task_result.task.module_path != run_export.module_path
        or task_result.status != TaskResultStatus.FAILED
    ):
        return
    try:
        _fail(task_result.args[0], _("The export stopped unexpectedly; start it again from the list."))
    except DatabaseError:
        logger.warning("Export task %s failed and its job could not be told", task_result.id)


def exports_expire() -> int:
    """Delete the files of exports older than ``SHILIU_EXPORT_HOURS`` (run daily by the worker): exported lists
    may hold personal data and must not pile up on the server."""
    cutoff = clock.now() - dt.timedelta(hours=settings.SHILIU_EXPORT_HOURS)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)
