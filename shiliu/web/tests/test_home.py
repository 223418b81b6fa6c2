"""The home page is a workbench: what waits for the user, each count with a link to those records."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.tests.test_ledger import rows, visit
from shiliu.lib import clock
from shiliu.pairings import services
from shiliu.regions.models import Region


@pytest.fixture(autouse=True)
def _clock():
    yield
    clock.reset()


def _proposal(yangzhou):
    return services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )


def _count(page, key):
    start = page.index(f'data-testid="waiting-{key}"')
    marker = 'data-testid="waiting-count">'
    at = page.index(marker, start) + len(marker)
    return int(page[at : page.index("<", at)].replace(",", ""))


@pytest.mark.django_db
def test_the_home_page_lists_what_waits_for_the_staff_member_with_links(client, login, yangzhou, xinyuan):
    _proposal(yangzhou)
    login(xinyuan)
    page = client.get("/").content.decode()
    assert "待办事项" in page
    assert _count(page, "pairing-proposals") == 1
    assert 'href="/pairings/?awaiting=1"' in page
    assert (
        "will appear here" not in page and "模块" not in page
    )  # the stale "modules will appear" line is gone
    listed = client.get("/pairings/?awaiting=1").content.decode()
    assert "扬州市" in listed and 'data-testid="awaiting-filter"' in listed


@pytest.mark.django_db
def test_activities_to_confirm_count_only_those_the_user_must_confirm(client, login, yangzhou, xinyuan):
    p = services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)
    activity = ledger_services.activity_record(actor=xinyuan, data=visit(pairing=p), participations=rows())
    login(yangzhou)
    page = client.get("/").content.decode()
    assert _count(page, "activities-to-confirm") == 1
    listed = client.get("/exchanges/?awaiting=1").content.decode()
    assert activity.title in listed
    login(xinyuan)  # the recording side waits for 扬州; nothing waits for 新源
    assert _count(client.get("/").content.decode(), "activities-to-confirm") == 0


@pytest.mark.django_db
def test_overdue_action_items_show_in_red_and_link_to_those_items(
    client, login, yangzhou, xinyuan, xy_school
):
    p = services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)
    meeting = services.meeting_schedule(
        actor=yangzhou, pairing=p, title="联席会议", held_at=clock.now(), place="新源县会议中心"
    )
    services.action_item_add(
        actor=yangzhou,
        meeting=meeting,
        title="互派教师",
        owner=xy_school,
        deadline=clock.today() + dt.timedelta(2),
    )
    login(xinyuan)
    page = client.get("/").content.decode()
    assert _count(page, "action-items-soon") == 1 and _count(page, "action-items-overdue") == 0
    clock.travel(5)
    page = client.get("/").content.decode()
    assert _count(page, "action-items-overdue") == 1
    assert "text-bg-danger" in page
    overdue = client.get("/pairings/items/?due=overdue").content.decode()
    assert "互派教师" in overdue and 'name="next" value="/pairings/items/?due=overdue"' in overdue
    assert "互派教师" not in client.get("/pairings/items/?due=soon").content.decode()


@pytest.mark.django_db
def test_a_coordinator_is_not_counted_action_items_only_commissions_can_close(
    client, login, yangzhou, xinyuan, xy_school
):
    """The school's coordinator saw "已逾期的议定事项 1" and a 标记完成 button that could only answer "staff only"."""
    from conftest import make_user

    p = services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)
    meeting = services.meeting_schedule(
        actor=yangzhou, pairing=p, title="联席会议", held_at=clock.now(), place="新源县会议中心"
    )
    services.action_item_add(
        actor=yangzhou,
        meeting=meeting,
        title="互派教师",
        owner=xy_school,
        deadline=clock.today() + dt.timedelta(1),
    )
    clock.travel(5)
    login(make_user("xy-coordinator", "unit_coordinator", xy_school.region_id, unit=xy_school))
    page = client.get("/").content.decode()
    assert 'data-testid="waiting-action-items-overdue"' not in page
    items = client.get("/pairings/items/").content.decode()
    assert "互派教师" in items and "标记完成" not in items


@pytest.mark.django_db
def test_pairings_begun_this_year_link_to_exactly_those(client, login, yangzhou, xinyuan):
    services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)
    login(yangzhou)
    year = clock.today().year
    page = client.get("/").content.decode()
    assert f"/pairings/?status=active&amp;started={year}" in page
    listed = client.get("/pairings/", {"status": "active", "started": year}).content.decode()
    assert 'data-testid="started-filter"' in listed and "扬州市" in listed
    assert 'data-testid="started-filter"' not in client.get("/pairings/", {"started": "abc"}).content.decode()


@pytest.mark.django_db
def test_a_resident_sees_their_own_things_not_staff_counts(client, login, resident):
    login(resident)
    page = client.get("/").content.decode()
    assert 'data-testid="resident-home"' in page
    assert 'data-testid="workbench-card"' not in page and 'data-testid="unit-total"' not in page


@pytest.mark.django_db
def test_the_home_page_runs_no_more_queries_with_more_records(client, login, yangzhou, xinyuan, xy_school):
    p = services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)

    def add(n):
        for i in range(n):
            ledger_services.activity_record(
                actor=xinyuan, data=visit(pairing=p, title=f"交流活动{len(added)}"), participations=rows()
            )
            added.append(i)

    added: list[int] = []
    add(2)
    login(yangzhou)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    add(4)
    with CaptureQueriesContext(connection) as more:
        client.get("/")
    assert len(more) <= len(few)
