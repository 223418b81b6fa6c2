"""Background work for exchanges, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import imports


@task()
def run_import(job_id: int) -> str:
    """Check an uploaded ledger row by row, then write it (all or, when chosen, the good activities)."""
    return imports.import_run(job_id).status
