from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shiliu.notifications.reminders import registered


class Command(BaseCommand):
    help = (
        "Queue today's reminders (every kind the apps register: action items, online classes …) by hand. The task "
        "worker (manage.py worker) queues them itself once a day and runs them; sending twice sends nothing new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, task in registered().items():
            result = task.enqueue()
            self.stdout.write(f"queued reminder task {name} {result.id} ({result.status})")
