import datetime as dt

import pytest

from shiliu.lib import clock
from shiliu.notifications.models import Notification
from shiliu.notifications.services import notify
from shiliu.pairings import services
from shiliu.pairings.models import ActionItem
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


def _item(yangzhou, xinyuan, owner, due):
    p = services.pairing_respond(actor=xinyuan, pairing=_proposal(yangzhou), accept=True)
    meeting = services.meeting_schedule(
        actor=yangzhou, pairing=p, title="联席会议", held_at=clock.now(), place="新源县会议中心"
    )
    return services.action_item_add(
        actor=yangzhou, meeting=meeting, title="互派教师", owner=owner, deadline=due
    )


@pytest.mark.django_db
def test_a_notice_shows_the_deadline_of_the_item_now_not_the_one_it_was_sent_with(
    client, login, yangzhou, xinyuan, xy_school, xinyuan_coordinator
):
    # The notice said 完成时限 2026-11-26 while the item showed 2026-11-20: it kept a copy of the first deadline.
    first = clock.today() + dt.timedelta(days=6)
    item = _item(yangzhou, xinyuan, xy_school, first)
    moved = clock.today() + dt.timedelta(days=1)
    ActionItem.objects.filter(pk=item.pk).update(deadline=moved)
    login(xinyuan_coordinator)

    page = client.get("/notifications/").content.decode()

    assert f"完成时限 {moved.isoformat()}" in page
    assert first.isoformat() not in page


@pytest.mark.django_db
def test_an_overdue_or_done_item_reads_so_in_its_notice(
    client, login, yangzhou, xinyuan, xy_school, xinyuan_coordinator
):
    item = _item(yangzhou, xinyuan, xy_school, clock.today() + dt.timedelta(days=2))
    login(xinyuan_coordinator)
    clock.travel(3)
    assert "已逾期" in client.get("/notifications/").content.decode()
    services.action_item_set_status(actor=xinyuan_coordinator, item=item, status="done")
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="notice-done"' in page
    assert not Notification.objects.filter(recipient=xinyuan_coordinator, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_proposal_notice_is_settled_once_the_proposal_is_answered(client, login, yangzhou, xinyuan):
    # The bell held 25–39 unread, mostly notices of proposals answered long ago.
    p = _proposal(yangzhou)
    notice = Notification.objects.get(recipient=xinyuan, kind="pairing_proposal")
    assert notice.read_at is None
    services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    notice.refresh_from_db()
    assert notice.read_at is not None
    login(xinyuan)
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="notice-done"' in page and "进行中" in page
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_notices_are_grouped_by_kind(client, login, yangzhou, xinyuan):
    _proposal(yangzhou)
    notify(recipients=[xinyuan], text="系统维护通知", key="other-1")
    login(xinyuan)
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="notice-group"') == 2
    assert page.index("待答复的结对提议") < page.index("其他通知")


@pytest.mark.django_db
def test_opening_a_notice_marks_it_read_and_goes_to_its_record(client, login, yangzhou, xinyuan, outsider):
    p = _proposal(yangzhou)
    notice = Notification.objects.get(recipient=xinyuan, kind="pairing_proposal")
    login(outsider)
    assert client.get(f"/notifications/{notice.pk}/").status_code == 404  # not theirs
    login(xinyuan)
    response = client.get(f"/notifications/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/pairings/{p.pk}/"
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.django_db
def test_mark_all_read_empties_the_bell(client, login, yangzhou, xinyuan):
    _proposal(yangzhou)
    notify(recipients=[xinyuan], text="系统维护通知", key="other-1")
    login(xinyuan)
    assert "全部标为已读" in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=xinyuan, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_notice_whose_link_leaves_the_site_is_not_followed(client, login, xinyuan):
    notify(recipients=[xinyuan], text="x", link="https://evil.example/", key="other-2")
    login(xinyuan)
    notice = Notification.objects.get(recipient=xinyuan)
    assert client.get(f"/notifications/{notice.pk}/")["Location"] == "/notifications/"


@pytest.mark.django_db
def test_a_reminder_about_an_item_supersedes_its_first_notice(
    client, login, yangzhou, xinyuan, xy_school, xinyuan_coordinator
):
    """Each item had two unread notices (new, then due soon) that read the same record: one line, one in the bell."""
    item = _item(yangzhou, xinyuan, xy_school, clock.today() + dt.timedelta(days=2))
    before = Notification.objects.filter(recipient=xinyuan_coordinator, read_at__isnull=True).count()
    notify(
        recipients=[xinyuan_coordinator],
        text="提醒",
        key=f"item-soon-{item.pk}",
        kind="action_item",
        target_id=item.pk,
    )
    unread = Notification.objects.filter(recipient=xinyuan_coordinator, read_at__isnull=True)
    assert unread.filter(kind="action_item", target_id=item.pk).count() == 1
    assert unread.count() == before
    login(xinyuan_coordinator)
    page = client.get("/notifications/").content.decode()
    assert page.count("互派教师") == 1
