"""Rebuild the exchange analytics tables from the records (after a division change, or to check the refresh)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shiliu.exchanges.statistics.refresh import rebuild_all


class Command(BaseCommand):
    help = "Rebuild the exchange analytics tables; merged or renamed divisions roll up to their successors."

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = rebuild_all()
        self.stdout.write(f"Exchange statistics rebuilt in {seconds:.1f} s")
