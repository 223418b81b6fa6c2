"""Meetings, agreements, deadlines and pairing dates in the year 9999 or 0001, and megabyte minutes, are refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shiliu.lib import clock
from shiliu.pairings import services
from shiliu.pairings.models import Agreement, JointMeeting
from shiliu.pairings.tests.test_pairings import _meeting, yz_xy  # noqa: F401 - the fixture

FAR = dt.date(9999, 12, 31)


@pytest.mark.django_db
def test_a_meeting_in_the_year_9999_is_refused(yangzhou, yz_xy):  # noqa: F811
    held = dt.datetime(9999, 1, 1, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as caught:
        services.meeting_schedule(actor=yangzhou, pairing=yz_xy, title="联席会议", held_at=held, place="扬州")
    assert "held_at" in caught.value.message_dict
    assert not JointMeeting.objects.exists()


@pytest.mark.django_db
def test_megabyte_minutes_are_refused_when_scheduled_and_when_updated(yangzhou, yz_xy):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        _meeting(yangzhou, yz_xy, agenda="很" * 6000)
    assert "agenda" in caught.value.message_dict
    meeting = _meeting(yangzhou, yz_xy)
    with pytest.raises(ValidationError) as caught:
        services.meeting_update_minutes(actor=yangzhou, meeting=meeting, minutes="很" * 1_000_000)
    assert "minutes" in caught.value.message_dict
    meeting.refresh_from_db()
    assert meeting.minutes == ""


@pytest.mark.django_db
def test_an_agreement_signed_in_the_year_1_is_refused(yangzhou, yz_xy):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        services.agreement_record(
            actor=yangzhou,
            pairing=yz_xy,
            title="协议",
            signed_on=dt.date(1, 1, 1),
            term_start=clock.today(),
            term_end=FAR,
        )
    assert {"signed_on", "term_end"} <= set(caught.value.message_dict)
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_a_deadline_in_the_year_9999_is_refused(yangzhou, yz_xy, xy_school):  # noqa: F811
    meeting = _meeting(yangzhou, yz_xy)
    with pytest.raises(ValidationError) as caught:
        services.action_item_add(
            actor=yangzhou, meeting=meeting, title="互派干部", owner=xy_school, deadline=FAR
        )
    assert "deadline" in caught.value.message_dict


@pytest.mark.django_db
def test_a_pairing_cannot_end_in_the_year_9999(yangzhou, yz_xy):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        services.pairing_change_status(actor=yangzhou, pairing=yz_xy, status="ended", reason="到期", on=FAR)
    assert "on" in caught.value.message_dict or "ended_on" in caught.value.message_dict
    yz_xy.refresh_from_db()
    assert yz_xy.status == "active"
