"""Recompute the library's search columns (after a jieba upgrade or a change of the heritage word list, ADR 0013)
and, on SQLite, rebuild the full-text table from them."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shiliu.culture.services import rebuild_index


class Command(BaseCommand):
    help = (
        "Recompute every library item's search words (Chinese words, pinyin, initials) and rebuild the index."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="items per transaction (default 1000)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        seen, changed = rebuild_index(batch=max(1, options["batch"]))
        self.stdout.write(
            f"Library search index rebuilt: {seen} items, {changed} changed, {time.monotonic() - started:.1f} s"
        )
