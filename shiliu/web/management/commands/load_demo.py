from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shiliu.regions.models import Region
from shiliu.web.demo import build_demo, demo_reset


class Command(BaseCommand):
    help = (
        "Reset the demo database and build the demo data set (units and one login per role and side): every record "
        "added while trying the demo is removed; divisions and reference lists are kept. Refuses to run with DEBUG "
        "off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo logins are never created in a production set-up (DEBUG is off).")
        if not Region.objects.filter(code="654025").exists():
            raise CommandError("Divisions are not loaded: run `manage.py load_regions` first.")
        with transaction.atomic():
            emptied = demo_reset()
            report = build_demo(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo database reset ({emptied} tables emptied: everything added while trying the demo is gone; "
                f"divisions and reference lists kept). Demo data: {report.units} units, {len(report.users)} logins."
            )
        )
