import datetime as dt

import pytest
from django.core.management import call_command

from shiliu.lib import clock
from shiliu.notifications.models import Notification
from shiliu.pairings import services
from shiliu.pairings.tasks import remind_action_items
from shiliu.regions.models import Region


@pytest.mark.django_db
def test_the_daily_task_reminds_owners_through_the_task_backend(
    yangzhou, xinyuan, xy_school, xinyuan_coordinator
):
    p = services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    p = services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    m = services.meeting_schedule(
        actor=yangzhou,
        pairing=p,
        title="联席会议",
        held_at=clock.now(),
        online_link="https://meet.example.org/1",
    )
    services.action_item_add(
        actor=yangzhou,
        meeting=m,
        title="互派医生",
        owner=xy_school,
        deadline=clock.today() + dt.timedelta(days=3),
    )
    result = remind_action_items.enqueue()
    assert result.return_value >= 1
    assert (
        Notification.objects.filter(recipient=xinyuan_coordinator, text__contains="互派医生").count() == 2
    )  # new item + 3-day reminder
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
