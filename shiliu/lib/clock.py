"""The one place that says what day it is, so tests (and the browser tests' live server) can travel in time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return timezone.now() + _offset


def today() -> dt.date:
    return timezone.localdate(now())


def travel(days: int) -> None:
    """Move the clock (tests only)."""
    global _offset
    _offset = dt.timedelta(days=days)


def reset() -> None:
    travel(0)
