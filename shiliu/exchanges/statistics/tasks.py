"""Background work of the exchange statistics: the incremental refresh after each change."""

from __future__ import annotations

from django_tasks import task

from shiliu.exchanges.statistics import refresh


@task()
def refresh_exchange_statistics() -> int:
    """Refresh the analytics rows of every queued activity (idempotent: a second run finds the queue empty)."""
    return refresh.refresh_pending()


def refresh_if_pending() -> None:
    """The worker's recovery step: a queue left behind (a lost task) is drained."""
    from shiliu.exchanges.statistics.models import FactPending

    if FactPending.objects.exists():
        refresh_exchange_statistics.enqueue()
