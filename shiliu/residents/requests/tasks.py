"""Background work of the request desk, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_request_clocks() -> str:
    """The daily pass over the SLA clocks: reminders, automatic escalation, default ratings."""
    from .services import clocks_run

    run = clocks_run()
    return f"{run.reminded_before}/{run.reminded_after}/{run.escalated}/{run.rated_by_default}"


@task()
def run_hotline_import(job_id: int) -> str:
    """Check an uploaded file of a day's 12345 orders row by row, then file every new order or none."""
    from .imports import hotline_import_run

    return hotline_import_run(job_id).status
