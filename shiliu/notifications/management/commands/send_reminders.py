from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shiliu.notifications.reminders import registered


class Command(BaseCommand):
    help = (
        "Queue today's reminders (every kind the apps register: action items, online classes …). Schedule it "
        "daily (cron or a systemd timer); the task worker (manage.py worker) runs them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, task in registered().items():
            result = task.enqueue()
            self.stdout.write(f"queued reminder task {name} {result.id} ({result.status})")
