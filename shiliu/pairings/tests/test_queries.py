"""The pairings lists run a fixed number of queries: twice as many records, no more queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_unit
from shiliu.lib import clock
from shiliu.pairings import services


def _add(admin, n, start):
    """n active unit pairings (扬州 school ↔ 新源 school), each with a meeting and an action item."""
    for i in range(start, start + n):
        a = make_unit("3210", f"扬州测试学校{i}")
        b = make_unit("654025", f"新源测试学校{i}")
        p = services.pairing_propose(
            actor=admin, kind="co_building", a_region=a.region, a_unit=a, b_region=b.region, b_unit=b,
            activate=True,
        )  # fmt: skip
        meeting = services.meeting_schedule(
            actor=admin, pairing=p, title=f"会议{i}", held_at=clock.now(), place="新源县"
        )
        services.action_item_add(
            actor=admin, meeting=meeting, title=f"事项{i}", owner=b, deadline=clock.today() + dt.timedelta(2)
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/pairings/",
        "/pairings/?awaiting=1",
        "/pairings/items/",
        "/pairings/items/?due=soon",
        "/pairings/coverage/?region=654025&unit_kind=school",
        "/notifications/",
        "/",
    ],
)
def test_a_list_twice_as_long_runs_no_more_queries(client, login, admin_user, xinyuan, url):
    _add(admin_user, 3, 0)
    login(xinyuan)
    client.get(url)  # warm caches (content types, session)
    few = _queries(client, url)
    _add(admin_user, 3, 3)
    assert _queries(client, url) <= few
