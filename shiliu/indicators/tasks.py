"""Background work of the indicators app, run by the task worker."""

from __future__ import annotations

from django_tasks import task


@task()
def run_value_import(job_id: int) -> str:
    """Check an uploaded values file row by row, then write every value or none."""
    from .imports import import_run

    return import_run(job_id).status


@task()
def run_derivation(job_id: int) -> int:
    """Refresh the derived values of a region and period from Shiliu's records."""
    from .models import DerivationJob
    from .services import derive_values

    job = DerivationJob.objects.get(pk=job_id)
    return derive_values(region_code=job.region_id, period=job.period, job=job)
