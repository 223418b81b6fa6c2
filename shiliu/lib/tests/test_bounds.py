"""The date window and text limits shared by every entry point."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shiliu.lib import clock
from shiliu.lib.bounds import DateWindow, work_date


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.reset()


def test_the_window_runs_from_2000_to_five_years_ahead_and_moves_with_today():
    work_date(dt.date(2000, 1, 1))
    work_date(clock.today().replace(year=clock.today().year + 5) - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="2000-01-01"):
        work_date(dt.date(1999, 12, 31))
    far = clock.today().replace(year=clock.today().year + 5) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        work_date(far)
    assert caught.value.code == "date_too_late"
    clock.travel(days=3)
    work_date(far)  # three days later the same date is inside the window


def test_dates_and_times_are_checked_by_their_local_date():
    with pytest.raises(ValidationError):
        work_date(dt.datetime(9999, 1, 1, 9, tzinfo=dt.UTC))
    work_date(dt.datetime(2020, 1, 1, 9, tzinfo=dt.UTC))


def test_the_validator_is_stable_for_migrations():
    assert DateWindow() == work_date and DateWindow(years_ahead=15) != work_date
    assert work_date.deconstruct() == ("shiliu.lib.bounds.DateWindow", (), {})
