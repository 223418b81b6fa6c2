"""Background work of the youth exchange, run by the task worker: the daily online-class reminders."""

from __future__ import annotations

from django_tasks import task

from shiliu.exchanges.youth import services


@task()
def remind_online_classes() -> int:
    """Daily: remind both schools of tomorrow's online classes, and hosts to report yesterday's."""
    return services.online_classes_remind()
