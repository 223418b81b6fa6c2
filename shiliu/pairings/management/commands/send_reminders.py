from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shiliu.exchanges.tasks import remind_online_classes
from shiliu.pairings.tasks import remind_action_items


class Command(BaseCommand):
    help = (
        "Queue today's reminders (action items, online classes). Schedule it daily (cron or a systemd timer); "
        "the task worker (manage.py worker) runs them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for task in (remind_action_items, remind_online_classes):
            result = task.enqueue()
            self.stdout.write(f"queued reminder task {result.id} ({result.status})")
