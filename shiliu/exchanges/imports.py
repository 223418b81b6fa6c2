"""The historical import: check every row of an uploaded ledger, then write all of it or, when asked, the good part.

Checking runs in the background task and reports progress row by row on the job. Writing is one transaction: a
file with problems writes nothing until its uploader explicitly chooses to import the activities without
problems.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.accounts.audit import acting_as
from shiliu.core import clock
from shiliu.core.forms import error_text

from . import ledger_io, services
from .models import Activity, ImportJob, ImportStatus

MAX_STORED_PROBLEMS = 500


def import_start(*, actor: Any, upload: Any) -> ImportJob:
    """Refuse a file that is not the template (type, size, columns, row count); otherwise queue the check."""
    try:
        ledger_io.check_file(upload)
        total = ledger_io.count_rows(upload)
    except ledger_io.FormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    upload.seek(0)
    job = ImportJob.objects.create(
        created_by=actor, file=upload, original_name=str(upload.name)[:200], total_rows=total
    )
    from .tasks import run_import

    # The task row commits with the job (the database backend), or runs here and now (the immediate backend).
    run_import.enqueue(job.pk)
    return job


def import_good_rows(*, actor: Any, job: ImportJob) -> ImportJob:
    """The uploader's explicit choice: write the activities that had no problem, leave the rest out."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can import it."))
    if job.status != ImportStatus.CHECKED or not job.activities_good:
        raise ValidationError(_("This import has no checked activities waiting to be written."))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED, good_rows_only=True, processed_rows=0, message=""
    )
    from .tasks import run_import

    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


Prepared = tuple[Activity, list[dict[str, Any]]]


def check_activities(
    actor: Any,
    parsed: list[ledger_io.ParsedActivity],
    problems: list[ledger_io.Problem],
    progress: Callable[[int], object] | None = None,
) -> tuple[list[Prepared], int, int]:
    """Check each activity without a row problem against the ledger's rules; duplicates of the ledger are skipped.

    Returns the prepared activities, the number skipped and the rows checked; problems are added to ``problems``.
    The pairing lookups are shared across the file (a file holds few distinct pairs of parties).
    """
    bad_rows = {p.row for p in problems}
    existing = ledger_io.existing_keys(parsed)
    pairings: dict[Any, Any] = {}
    good: list[Prepared] = []
    duplicates = checked = 0
    for number, activity in enumerate(parsed, start=1):
        checked += len(activity.rows)
        if progress and number % 100 == 0:
            progress(checked)
        if bad_rows.intersection(activity.rows):
            continue
        if ledger_io.activity_key(activity.data) in existing:
            duplicates += 1
            continue
        try:
            prepared = services.activity_prepare(
                actor=actor, data=activity.data, participations=activity.cells, pairing_cache=pairings
            )
        except (ValidationError, PermissionDenied) as exc:
            problems.extend(ledger_io.service_problems(exc, activity))
            continue
        good.append((prepared, activity.cells))
    if progress:
        progress(checked)
    return good, duplicates, checked


def import_run(job_id: int) -> ImportJob:
    """Check every row, then write everything (no problems) or the good activities (when chosen). Every audit
    entry written meanwhile names the uploader: the worker has no request to name anyone."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with acting_as(job.created_by):
        return _import_run(job)


def _import_run(job: ImportJob) -> ImportJob:
    actor = job.created_by
    _set(job, status=ImportStatus.CHECKING, processed_rows=0, checked_rows=0)
    try:
        with job.file.open("rb") as handle:
            parsed, problems = ledger_io.read_ledger(handle, progress=lambda n: _set(job, processed_rows=n))
    except ledger_io.FormatError as exc:
        return _set(job, status=ImportStatus.FAILED, message=str(exc)[:300], finished_at=clock.now())
    if not parsed:  # the recorded dimension promised rows that turned out blank
        message = _("The file has no rows below the headers.")
        return _set(job, status=ImportStatus.FAILED, message=message, finished_at=clock.now())
    _set(job, total_rows=sum(len(p.rows) for p in parsed))  # the dimension's estimate, now counted
    good, duplicates, checked = check_activities(
        actor, parsed, problems, progress=lambda n: _set(job, checked_rows=n)
    )
    problems.sort(key=lambda p: (p.row, ledger_io.HEADERS.index(p.column)))
    _set(
        job,
        checked_rows=checked,
        activities_found=len(parsed),
        activities_good=len(good),
        skipped_count=duplicates,
        problem_count=len(problems),
        problems=[p.as_dict() for p in problems[:MAX_STORED_PROBLEMS]],
    )
    if problems and not job.good_rows_only:
        return _set(job, status=ImportStatus.CHECKED, finished_at=clock.now())
    _set(job, status=ImportStatus.IMPORTING)
    try:
        with transaction.atomic():
            written = services.activities_record_many(actor=actor, prepared=good, key=f"import-{job.pk}")
            # One audit entry for the import, naming every activity it created (bulk inserts send no signals).
            LogEntry.objects.log_create(
                job,
                force_log=True,
                action=LogEntry.Action.CREATE,
                actor=actor,  # the worker has no request: name the uploader
                changes={},
                additional_data={"imported_activities": [a.pk for a in written]},
            )
    except (ValidationError, PermissionDenied) as exc:  # the ledger changed between the check and the write
        return _set(
            job,
            status=ImportStatus.FAILED,
            message=(_("Nothing was imported: %(reason)s") % {"reason": error_text(exc)})[:300],
            finished_at=clock.now(),
        )
    return _set(job, status=ImportStatus.DONE, created_count=len(good), finished_at=clock.now())


def _set(job: ImportJob, **fields: Any) -> ImportJob:
    """Progress is written at once (outside any transaction) so the page polling the job sees it move."""
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    return job
