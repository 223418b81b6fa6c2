"""Daily reminders of the livelihood services, run by the task worker (registered in the app's ``ready()``)."""

from __future__ import annotations

from django_tasks import task

from . import reminders


@task()
def remind_livelihood() -> int:
    """Daily: cadre–family pairs without a visit for a quarter; retention checks that have come due."""
    return reminders.kinship_remind() + reminders.retention_remind()
