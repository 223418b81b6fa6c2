"""Working-time arithmetic on an official calendar: which days are working days, and when a clock of N working
minutes started at a moment runs out.

Pure Python (no Django apps): the calendar's days come from the caller (Shiliu keeps them in a table seeded from
``chinese-calendar`` and extended by administrators, see ``shiliu.runtime.calendar``). A day is a working day when the
calendar says so (a holiday on a weekday is not, a makeup working day 调休 on a weekend is); a day of a year the
calendar does not know falls back to Monday–Friday, and every result that crossed such a day says so
(``estimated``) so the page can warn — never an exception.

All datetimes here are naive local times (the office's wall clock); callers convert aware datetimes first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# A clock never looks further than this many days ahead (a calendar with no working day at all would loop forever).
MAX_DAYS = 3660


def parse_office_hours(text: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """``"09:00-12:00,13:30-17:30"`` → the day's office-hour segments, checked to be ordered and not overlapping."""
    segments: list[tuple[dt.time, dt.time]] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        start_text, _sep, end_text = part.partition("-")
        start, end = dt.time.fromisoformat(start_text.strip()), dt.time.fromisoformat(end_text.strip())
        if end <= start or (segments and start < segments[-1][1]):
            raise ValueError(f"office hours out of order: {text!r}")
        segments.append((start, end))
    if not segments:
        raise ValueError("no office hours given")
    return tuple(segments)


DEFAULT_OFFICE_HOURS = parse_office_hours("09:00-12:00,13:30-17:30")


def _minutes(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds() // 60)


@dataclass(frozen=True)
class Deadline:
    at: dt.datetime
    estimated: bool  # a day of a year without official data was counted by weekends only


@dataclass(frozen=True)
class WorkCalendar:
    """The official calendar: ``days`` maps a date to True (working) or False (day off) where it differs from — or
    confirms — the Monday–Friday rule; ``known_years`` are the years whose official schedule is entered."""

    days: dict[dt.date, bool] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()
    office_hours: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_OFFICE_HOURS

    @classmethod
    def of(
        cls,
        *,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        known_years: Iterable[int] = (),
        office_hours: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_OFFICE_HOURS,
    ) -> WorkCalendar:
        days = dict.fromkeys(holidays, False) | dict.fromkeys(workdays, True)
        return cls(days=days, known_years=frozenset(known_years), office_hours=office_hours)

    @property
    def minutes_per_day(self) -> int:
        return sum(
            _minutes(dt.datetime.combine(dt.date.min, s), dt.datetime.combine(dt.date.min, e))
            for s, e in self.office_hours
        )

    def is_known(self, day: dt.date) -> bool:
        return day.year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        official = self.days.get(day)
        if official is not None:
            return official
        return day.weekday() < 5

    def add_working_minutes(self, start: dt.datetime, minutes: int) -> Deadline:
        """The moment ``minutes`` of office time after ``start`` (a clock started outside office hours starts at
        the next opening). A full day's worth ends at the day's closing time, not at the next morning."""
        remaining = max(0, int(minutes))
        day, moment, estimated = start.date(), start, False
        for _i in range(MAX_DAYS):
            if not self.is_known(day):
                estimated = True
            if self.is_workday(day):
                for open_, close in self.office_hours:
                    seg_start = max(dt.datetime.combine(day, open_), moment)
                    seg_end = dt.datetime.combine(day, close)
                    if seg_end <= seg_start:
                        continue
                    available = _minutes(seg_start, seg_end)
                    if remaining <= available:
                        return Deadline(seg_start + dt.timedelta(minutes=remaining), estimated)
                    remaining -= available
            day += dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time.min)
        raise ValueError(
            "no working day within ten years"
        )  # pragma: no cover — a calendar with no working days

    def add_working_days(self, start: dt.datetime, days: int) -> Deadline:
        return self.add_working_minutes(start, days * self.minutes_per_day)

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Office minutes from ``start`` to ``end``; negative when ``end`` is earlier (time overdue)."""
        if end < start:
            return -self.working_minutes_between(end, start)
        total, day = 0, start.date()
        for _i in range(MAX_DAYS):
            if day > end.date():
                break
            if self.is_workday(day):
                for open_, close in self.office_hours:
                    seg_start = max(dt.datetime.combine(day, open_), start)
                    seg_end = min(dt.datetime.combine(day, close), end)
                    if seg_end > seg_start:
                        total += _minutes(seg_start, seg_end)
            day += dt.timedelta(days=1)
        return total

    def unknown_years_between(self, start: dt.date, end: dt.date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if y not in self.known_years]
