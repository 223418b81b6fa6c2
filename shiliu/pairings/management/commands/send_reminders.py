from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shiliu.pairings.tasks import remind_action_items


class Command(BaseCommand):
    help = (
        "Queue today's action-item reminders. Schedule it daily (cron or a systemd timer); db_worker runs it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = remind_action_items.enqueue()
        self.stdout.write(f"queued reminder task {result.id} ({result.status})")
