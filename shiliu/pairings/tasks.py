"""Background work for pairings, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def remind_action_items() -> int:
    """Daily: remind owners of action items due in three days or overdue since yesterday (idempotent)."""
    return services.action_items_remind()
