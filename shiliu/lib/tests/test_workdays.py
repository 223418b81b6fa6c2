# ruff: noqa: DTZ001 — the arithmetic works on naive local wall-clock times by design
"""Working-time arithmetic against the official calendar (chinese-calendar) for 2025–2026, holidays and 调休 included."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiliu.lib.workdays import WorkCalendar, parse_office_hours

CALENDAR = WorkCalendar.of(
    holidays=chinese_calendar.holidays,
    workdays=chinese_calendar.workdays,
    known_years=range(2004, 2027),
)
OPEN, LUNCH_START, LUNCH_END, CLOSE = dt.time(9), dt.time(12), dt.time(13, 30), dt.time(17, 30)


def _oracle_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Office minutes between two moments, day by day on chinese_calendar's own is_workday."""
    total, day = 0, start.date()
    while day <= end.date():
        if chinese_calendar.is_workday(day):
            for a, b in ((OPEN, LUNCH_START), (LUNCH_END, CLOSE)):
                lo = max(dt.datetime.combine(day, a), start)
                hi = min(dt.datetime.combine(day, b), end)
                total += max(0, int((hi - lo).total_seconds() // 60))
        day += dt.timedelta(days=1)
    return total


starts = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 10, 15)).map(
    lambda d: d.replace(second=0, microsecond=0)
)


@settings(max_examples=40, deadline=None)
@given(start=starts, days=st.integers(min_value=1, max_value=10))
def test_it_agrees_with_the_official_calendar_on_working_day_deadlines(start: dt.datetime, days: int) -> None:
    deadline = CALENDAR.add_working_days(start, days)
    assert not deadline.estimated
    assert chinese_calendar.is_workday(deadline.at.date())
    # Exactly `days` office days of the official calendar lie between the start and the deadline.
    assert _oracle_minutes(start, deadline.at) == days * 420
    # Opening at 09:00 on an official working day, the deadline is the closing time of the days-th working day.
    if chinese_calendar.is_workday(start.date()):
        opening = dt.datetime.combine(start.date(), OPEN)
        expected_day = chinese_calendar.get_workdays(start.date(), start.date() + dt.timedelta(days=45))[
            days - 1
        ]
        assert CALENDAR.add_working_days(opening, days).at == dt.datetime.combine(expected_day, CLOSE)


def test_it_skips_the_spring_festival_and_counts_its_makeup_saturday() -> None:
    # 2026: 春节 off 15–23 Feb; Saturday 14 Feb and Saturday 28 Feb are makeup working days (调休).
    friday = dt.datetime(2026, 2, 13, 9, 0)
    assert CALENDAR.add_working_days(friday, 2).at == dt.datetime(2026, 2, 14, 17, 30)
    assert CALENDAR.add_working_days(friday, 3).at == dt.datetime(2026, 2, 24, 17, 30)


def test_it_falls_back_to_weekends_for_an_unknown_year_and_says_so() -> None:
    deadline = CALENDAR.add_working_days(dt.datetime(2026, 12, 31, 9, 0), 2)
    assert deadline.at == dt.datetime(2027, 1, 1, 17, 30)  # 1 Jan 2027 is a Friday: counted, with a warning
    assert deadline.estimated


def test_it_starts_a_clock_begun_out_of_hours_at_the_next_opening() -> None:
    evening = dt.datetime(2025, 6, 3, 20, 0)  # a Tuesday
    assert CALENDAR.add_working_minutes(evening, 120).at == dt.datetime(2025, 6, 4, 11, 0)
    assert CALENDAR.working_minutes_between(evening, dt.datetime(2025, 6, 4, 14, 0)) == 210
    assert CALENDAR.working_minutes_between(dt.datetime(2025, 6, 4, 14, 0), evening) == -210


def test_it_refuses_office_hours_out_of_order() -> None:
    with pytest.raises(ValueError):
        parse_office_hours("13:00-12:00")
    assert parse_office_hours("08:30-12:00, 14:00-18:00")[1] == (dt.time(14), dt.time(18))
