"""Sensible bounds for what people type: dates within a window around today, lengths for free text.

They are model field validators, so every entry point that saves through a service's ``full_clean`` — pages, the
API, the historical import — refuses the same absurd input (an activity in the year 9999 or 0001, a 1 MB summary)
with the same message.

The window for the dates of the work (activities, tour groups, meetings, bookings, agreements, deadlines) runs from
2000-01-01, before which no one will enter the Three Plans' records (the historical import may go back that far),
to five years ahead of today: plans are made for the next term, not for the next century. An agreement's term may
run further (fifteen years).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from . import clock

EARLIEST = "2000-01-01"
YEARS_AHEAD = 5

# Free-text limits, in characters: a paragraph, a page, minutes of a long meeting.
NOTE_CHARS = 2_000
TEXT_CHARS = 5_000
MINUTES_CHARS = 20_000


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateWindow:
    """The date (or the local date of a date and time) lies between ``earliest`` and ``years_ahead`` years after
    today. Today is read when the value is checked, so the window moves with the calendar."""

    def __init__(self, earliest: str = EARLIEST, years_ahead: int = YEARS_AHEAD) -> None:
        self.earliest = earliest
        self.years_ahead = years_ahead

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, dt.datetime):
            day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        else:
            day = value
        earliest = dt.date.fromisoformat(self.earliest)
        if day < earliest:
            raise ValidationError(
                _("Enter a date on or after %(earliest)s."),
                code="date_too_early",
                params={"earliest": earliest.isoformat()},
            )
        latest = _years_later(clock.today(), self.years_ahead)
        if day > latest:
            raise ValidationError(
                _("Enter a date at most %(years)d years ahead (on or before %(latest)s)."),
                code="date_too_late",
                params={"years": self.years_ahead, "latest": latest.isoformat()},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, DateWindow)
            and self.earliest == other.earliest
            and self.years_ahead == other.years_ahead
        )

    def __hash__(self) -> int:
        return hash((self.earliest, self.years_ahead))


work_date = DateWindow()


def text_limit(chars: int) -> list[Any]:
    """Validators of a free-text field of at most ``chars`` characters (a TextField's ``max_length`` only sizes its
    form widget; this enforces it in ``full_clean``)."""
    return [MaxLengthValidator(chars)]


def check_fields(instance: models.Model, *names: str) -> None:
    """Run the validators of these fields only (for services that change a few fields of a saved record)."""
    instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in names])
