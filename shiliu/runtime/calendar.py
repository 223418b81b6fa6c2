"""The official working calendar as Shiliu keeps it: the :class:`CalendarDay` table (seeded from
``chinese-calendar``, extended by administrators each year) turned into a :class:`shiliu.lib.workdays.WorkCalendar`
with the configured office hours (``SHILIU_OFFICE_HOURS``)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.lib import clock
from shiliu.lib.workdays import DEFAULT_OFFICE_HOURS, WorkCalendar, parse_office_hours

from .models import CalendarDay, CalendarYear

CACHE_SECONDS = 60
_cached: tuple[float, WorkCalendar] | None = None


def office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    text = getattr(settings, "SHILIU_OFFICE_HOURS", "")
    return parse_office_hours(text) if text else DEFAULT_OFFICE_HOURS


def working_calendar() -> WorkCalendar:
    """The calendar from the table, cached for a minute in the process (edits here clear it at once)."""
    global _cached
    if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
        return _cached[1]
    days = dict(CalendarDay.objects.values_list("day", "is_workday"))
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    calendar = WorkCalendar(days=days, known_years=years, office_hours=office_hours())
    _cached = (time.monotonic(), calendar)
    return calendar


def calendar_clear_cache() -> None:
    global _cached
    _cached = None


def calendar_year_enter(
    *,
    actor: Any,
    year: int,
    holidays: Iterable[tuple[dt.date, str]],
    workdays: Iterable[tuple[dt.date, str]],
) -> CalendarYear:
    """Enter (or replace) a year's official schedule: its holidays and its makeup working days. All or nothing."""
    holidays, workdays = list(holidays), list(workdays)
    errors: list[str] = []
    if not 2000 <= year <= 2100:
        errors.append(_("Enter a year between 2000 and 2100."))
    seen: set[dt.date] = set()
    for day, _name in holidays + workdays:
        if day.year != year:
            errors.append(_("%(day)s is not in %(year)d.") % {"day": day.isoformat(), "year": year})
        if day in seen:
            errors.append(_("%(day)s is listed twice.") % {"day": day.isoformat()})
        seen.add(day)
    for day, _name in workdays:
        if day.weekday() < 5:
            errors.append(
                _("%(day)s is a weekday: only a Saturday or Sunday can be a makeup working day.")
                % {"day": day.isoformat()}
            )
    if not holidays:
        errors.append(_("List at least one holiday of the year."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        CalendarDay.objects.filter(day__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(day=d, is_workday=False, name=n[:40]) for d, n in holidays]
            + [CalendarDay(day=d, is_workday=True, name=n[:40]) for d, n in workdays]
        )
        entry, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults={
                "source": _("entered by an administrator"),
                "entered_by": actor,
                "entered_at": clock.now(),
            },
        )
    calendar_clear_cache()
    return entry
