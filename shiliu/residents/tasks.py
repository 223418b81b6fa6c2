"""Background work of the registry, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_resident_import(job_id: int) -> str:
    """Check an uploaded registry file row by row, then register every row or none."""
    from .imports import import_run

    return import_run(job_id).status
