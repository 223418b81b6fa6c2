"""Background work of units, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_unit_import(job_id: int) -> str:
    """Check and write an uploaded units template (see ``shiliu.orgs.imports``)."""
    from .imports import unit_import_run

    return unit_import_run(job_id).status
