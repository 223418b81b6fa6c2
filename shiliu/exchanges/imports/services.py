"""The historical import: check every row of an uploaded ledger, then write all of it or, when asked, the good part.

Checking runs in the background task and reports progress row by row on the job. Writing is one transaction: a
file with problems writes nothing until its uploader explicitly chooses to import the activities without
problems. An activity already in the ledger is never written twice, even by two uploads at once; a job whose worker
died fails clearly and can be retried."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiliu.accounts.audit import acting_as
from shiliu.exchanges.imports import reader
from shiliu.exchanges.imports.models import RUNNING_IMPORTS, ImportJob, ImportStatus
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.exchanges.ledger.models import Activity
from shiliu.lib import clock
from shiliu.lib.forms import error_text

MAX_STORED_PROBLEMS = 500
WRITE_ATTEMPTS = 3


class ImportStoppedError(Exception):
    """The job was cancelled, given up as lost or started again while this task ran: the task stops where it is."""


def import_start(*, actor: Any, upload: Any) -> ImportJob:
    """Refuse a file that is not the template (type, size, columns, row count); otherwise queue the check."""
    try:
        reader.check_file(upload)
        total = reader.count_rows(upload)
    except reader.FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    upload.seek(0)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor, file=upload, original_name=str(upload.name)[:200], total_rows=total
        )
        _queue(job)
    return job


def _queue(job: ImportJob) -> None:
    """Queue the job's task inside the caller's transaction.

    With the database backend the task row commits together with the job, or neither does: no job waits for a task
    that was never queued (an enqueue after commit would leave exactly that window). The immediate backend (tests)
    runs the task here and now.
    """
    from .tasks import run_import

    ImportJob.objects.filter(pk=job.pk).update(task_id="")  # no earlier task of this job may report any more
    result = run_import.enqueue(job.pk)
    job.task_id = str(result.id)
    ImportJob.objects.filter(pk=job.pk).update(task_id=job.task_id)


def _own(actor: Any, job: ImportJob) -> ImportJob:
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can do this."))
    return ImportJob.objects.select_for_update().get(pk=job.pk)


@transaction.atomic
def import_good_rows(*, actor: Any, job: ImportJob) -> ImportJob:
    """The uploader's explicit choice: write the activities that had no problem, leave the rest out."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.CHECKED or not job.activities_good:
        raise ValidationError(_("This import has no checked activities waiting to be written."))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED, good_rows_only=True, processed_rows=0, message=""
    )
    _queue(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def import_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """Stop an import that is waiting, being checked or waiting for the uploader's choice. Nothing is written.

    Writing takes the job's lock for its whole transaction, so a cancel either comes first (nothing is written) or
    finds the import done.
    """
    job = _own(actor, job)
    if not job.can_cancel:
        refusals = {
            ImportStatus.DONE: _(
                "This import has already been written; cancel the activities in the ledger instead."
            ),
            ImportStatus.CANCELLED: _("This import has already been cancelled."),
        }
        raise ValidationError(refusals.get(job.status, _("This import has already stopped.")))  # type: ignore[call-overload]
    message = _("Cancelled at %(time)s. Nothing was imported.") % {
        "time": timezone.localtime(clock.now()).strftime("%H:%M:%S")
    }
    return _finish(job, status=ImportStatus.CANCELLED, message=message)


@transaction.atomic
def import_retry(*, actor: Any, job: ImportJob) -> ImportJob:
    """Start a failed or cancelled import again from the stored file, with a new task."""
    job = _own(actor, job)
    if not job.can_retry:
        raise ValidationError(_("Only a failed or cancelled import can be started again."))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED, processed_rows=0, checked_rows=0, activities_found=0, activities_good=0,
        created_count=0, skipped_count=0, problem_count=0, problems=[], message="", finished_at=None,
    )  # fmt: skip
    _queue(job)
    job.refresh_from_db()
    return job


def _finish(job: ImportJob, **fields: Any) -> ImportJob:
    fields.setdefault("finished_at", clock.now())
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


LOST_MESSAGE = gettext_lazy(
    "The background worker stopped while checking or writing this file (it was killed or restarted). "
    "Nothing was imported. Start it again with “Retry”."
)
ERROR_MESSAGE = gettext_lazy(
    "The import stopped on an unexpected error (the database may have been unreachable). "
    "Nothing was imported. Start it again with “Retry”."
)


def import_task_failed(*, job_id: int, task_id: str, lost: bool) -> bool:
    """The job's task failed (or its worker was lost) while the job still ran: say so on the job."""
    message = str(LOST_MESSAGE if lost else ERROR_MESSAGE)
    return bool(
        ImportJob.objects.filter(pk=job_id, status__in=RUNNING_IMPORTS, task_id__in=[task_id, ""]).update(
            status=ImportStatus.FAILED, message=message[:300], finished_at=clock.now()
        )
    )


def import_jobs_recover() -> int:
    """Recovery hook: running jobs whose task failed, finished without them or vanished are marked failed.

    The task-finished signal does this at once; this sweep repairs what it missed (the database was down then) and
    jobs left waiting for a task that was never queued.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import run_import

    if not isinstance(run_import.get_backend(), DatabaseBackend):
        return 0
    grace = clock.now() - dt.timedelta(seconds=settings.SHILIU_WORKER_STALE_SECONDS)
    repaired = 0
    for job in ImportJob.objects.filter(status__in=RUNNING_IMPORTS).only("pk", "task_id", "created_at"):
        if not job.task_id:
            if job.created_at < grace:
                repaired += import_task_failed(job_id=job.pk, task_id="", lost=True)
            continue
        task = DBTaskResult.objects.filter(pk=job.task_id).only("status", "exception_class_path").first()
        if task is None or task.status in ("FAILED", "SUCCESSFUL"):
            lost = task is None or task.exception_class_path.endswith("WorkerLostError")
            repaired += import_task_failed(job_id=job.pk, task_id=job.task_id, lost=lost)
    return repaired


Prepared = tuple[Activity, list[dict[str, Any]]]


def check_activities(
    actor: Any,
    parsed: list[reader.ParsedActivity],
    problems: list[reader.Problem],
    progress: Callable[[int], object] | None = None,
    skipped: list[reader.Problem] | None = None,
) -> tuple[list[Prepared], int, int]:
    """Check each activity without a row problem against the ledger's rules; duplicates of the ledger are skipped.

    Returns the prepared activities, the number skipped and the rows checked; problems are added to ``problems``,
    and each skipped duplicate, with the ledger's activity it repeats, to ``skipped``.
    The pairing lookups are shared across the file (a file holds few distinct pairs of parties).
    """
    bad_rows = {p.row for p in problems}
    existing = reader.existing_keys(parsed)
    first_seen: dict[tuple[str, Any, str, str], int] = {}
    pairings: dict[Any, Any] = {}
    good: list[Prepared] = []
    duplicates = checked = 0
    for number, activity in enumerate(parsed, start=1):
        checked += len(activity.rows)
        if progress and number % 100 == 0:
            progress(checked)
        if bad_rows.intersection(activity.rows):
            continue
        key = reader.activity_key(activity.data)
        if key in existing:
            duplicates += 1
            if skipped is not None:
                skipped.append(
                    reader.Problem(
                        activity.first_row,
                        ledger_workbook.HEADER_OF["title"],
                        _("Skipped: already in the ledger as activity #%(id)d.") % {"id": existing[key]},
                    )
                )
            continue
        if key in first_seen:
            problems.append(
                reader.Problem(
                    activity.first_row,
                    ledger_workbook.HEADER_OF["title"],
                    _(
                        "The same activity as row %(row)d (title, start date and both regions): rows of one "
                        "activity share its activity number."
                    )
                    % {"row": first_seen[key]},
                )
            )
            continue
        first_seen[key] = activity.first_row
        try:
            prepared = ledger_services.activity_prepare(
                actor=actor, data=activity.data, participations=activity.cells, pairing_cache=pairings
            )
        except (ValidationError, PermissionDenied) as exc:
            problems.extend(reader.service_problems(exc, activity))
            continue
        good.append((prepared, activity.cells))
    if progress:
        progress(checked)
    return good, duplicates, checked


def import_run(job_id: int, task_id: str = "") -> ImportJob:
    """Check every row, then write everything (no problems) or the good activities (when chosen). Every audit
    entry written meanwhile names the uploader: the worker has no request to name anyone.

    ``task_id`` is the running task's: once the job belongs to another task (it was started again) or has stopped
    (cancelled, given up as lost), this one stops at its next progress report.
    """
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    run = _Run(job, task_id)
    try:
        with acting_as(job.created_by):
            return run.go()
    except ImportStoppedError:
        job.refresh_from_db()
        return job


class _Run:
    def __init__(self, job: ImportJob, task_id: str) -> None:
        self.job, self.task_id = job, task_id

    def set(self, **fields: Any) -> ImportJob:
        """Progress is written at once (outside any transaction) so the page polling the job sees it move; it is
        written only while the job still runs and belongs to this task."""
        job = self.job
        for name, value in fields.items():
            setattr(job, name, value)
        mine = ImportJob.objects.filter(pk=job.pk, status__in=RUNNING_IMPORTS)
        if self.task_id:
            mine = mine.filter(Q(task_id=self.task_id) | Q(task_id=""))
        if not mine.update(**fields):
            raise ImportStoppedError
        return job

    def go(self) -> ImportJob:
        job, actor = self.job, self.job.created_by
        self.set(status=ImportStatus.CHECKING, processed_rows=0, checked_rows=0)
        try:
            with job.file.open("rb") as handle:
                parsed, problems = reader.read_ledger(handle, progress=lambda n: self.set(processed_rows=n))
        except reader.FormatError as exc:
            return self.set(
                status=ImportStatus.FAILED, message=str(exc)[:300], finished_at=clock.now(), file_refused=True
            )
        if not parsed:  # the recorded dimension promised rows that turned out blank
            message = _("The file has no rows below the headers.")
            return self.set(
                status=ImportStatus.FAILED, message=message, finished_at=clock.now(), file_refused=True
            )
        self.set(total_rows=sum(len(p.rows) for p in parsed))  # the dimension's estimate, now counted
        skipped: list[reader.Problem] = []
        good, duplicates, checked = check_activities(
            actor, parsed, problems, progress=lambda n: self.set(checked_rows=n), skipped=skipped
        )
        # Every row left out is listed with its reason: the problems, and the activities already in the ledger (these
        # are not problems: they are skipped whatever the uploader chooses).
        listed = sorted(problems + skipped, key=lambda p: (p.row, ledger_workbook.HEADERS.index(p.column)))
        self.set(
            checked_rows=checked,
            activities_found=len(parsed),
            activities_good=len(good),
            skipped_count=duplicates,
            problem_count=len(problems),
            problems=[p.as_dict() for p in listed[:MAX_STORED_PROBLEMS]],
        )
        if problems and not job.good_rows_only:
            return self.set(status=ImportStatus.CHECKED, finished_at=clock.now())
        self.set(status=ImportStatus.IMPORTING)
        try:
            with transaction.atomic():
                # The job's lock for the whole write: a cancel waits for it, then finds the import done.
                if not ImportJob.objects.select_for_update().filter(pk=job.pk, status=ImportStatus.IMPORTING):
                    raise ImportStoppedError
                written, already = _write(actor, good, key=f"import-{job.pk}")
                # One audit entry for the import, naming every activity it created (bulk inserts send no signals).
                LogEntry.objects.log_create(
                    job,
                    force_log=True,
                    action=LogEntry.Action.CREATE,
                    actor=actor,  # the worker has no request: name the uploader
                    changes={},
                    additional_data={"imported_activities": [a.pk for a in written]},
                )
                return self.set(
                    status=ImportStatus.DONE,
                    created_count=len(written),
                    skipped_count=duplicates + already,
                    finished_at=clock.now(),
                )
        except (
            ValidationError,
            PermissionDenied,
        ) as exc:  # the ledger changed between the check and the write
            return self.set(
                status=ImportStatus.FAILED,
                message=(_("Nothing was imported: %(reason)s") % {"reason": error_text(exc)})[:300],
                finished_at=clock.now(),
            )


def _key(activity: Activity) -> tuple[str, Any, str, str]:
    return (activity.title, activity.start_date, activity.sending_region_id, activity.receiving_region_id)


def _write(actor: Any, good: list[Prepared], *, key: str) -> tuple[list[Activity], int]:
    """Write the activities not in the ledger by now; returns them and how many were found there meanwhile.

    Another import of the same activities may commit between the check and this write: the unique index on imported
    activities refuses the second copy, and the write starts again without what is now in the ledger.
    """
    for _attempt in range(WRITE_ATTEMPTS):
        present = reader.ledger_keys(a.title for a, _rows in good)
        fresh = [(a, rows) for a, rows in good if _key(a) not in present]
        for activity, _rows in fresh:
            activity.pk, activity.imported = None, True
            activity._state.adding = True
        try:
            with transaction.atomic():
                written = ledger_services.activities_record_many(actor=actor, prepared=fresh, key=key)
            return written, len(good) - len(fresh)
        except IntegrityError as exc:
            if "activity_imported_once" not in str(exc):
                raise
    raise ValidationError(_("Another import was writing the same activities at the same time; try again."))
