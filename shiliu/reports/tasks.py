"""Background work of reports: generating a report run (with progress), and the scheduled summaries."""

from __future__ import annotations

from django_tasks import task

from shiliu.reports import services


@task()
def generate_report(run_id: int) -> str:
    """Generate the files of a report run, saving its progress as it goes."""
    return services.report_run_generate(run_id=run_id)


@task()
def run_schedules() -> list[int]:
    """Daily (with the reminders): start the scheduled summaries whose period has just ended (registered with the worker)."""
    return services.schedules_run()
