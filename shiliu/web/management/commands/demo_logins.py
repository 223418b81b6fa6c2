from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from shiliu.accounts.models import User


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            User.objects.filter(is_demo=True)
            .select_related("region", "organization")
            .order_by("role", "username")
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Shiliu demo — http://127.0.0.1:8000"))
        self.stdout.write(f"Password for every demo login: {settings.SHILIU_DEMO_PASSWORD}")
        self.stdout.write(f"{'login':<16} {'role':<18} jurisdiction / unit")
        for user in users:
            where = user.region.name if user.region else "全国 (all)"
            if user.organization:
                where += f" / {user.organization.name}"
            self.stdout.write(f"{user.username:<16} {user.role:<18} {where}")
        self.stdout.write("")
