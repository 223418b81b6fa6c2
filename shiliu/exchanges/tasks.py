"""Background work for exchanges, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from . import imports, youth


@task()
def run_import(job_id: int) -> str:
    """Check an uploaded ledger row by row, then write it (all or, when chosen, the good activities)."""
    return imports.import_run(job_id).status


@task()
def remind_online_classes() -> int:
    """Daily: remind both schools of tomorrow's online classes, and hosts to report yesterday's."""
    return youth.online_classes_remind()
