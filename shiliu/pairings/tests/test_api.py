import datetime as dt

import pytest

from shiliu.lib import clock
from shiliu.pairings.models import Pairing


def _json(client, method, url, data=None):
    return (
        getattr(client, method)(url, data, content_type="application/json")
        if data is not None
        else getattr(client, method)(url)
    )


@pytest.mark.django_db
def test_the_whole_pairing_cycle_through_the_api(
    client, login, yangzhou, xinyuan, outsider, yz_school, xy_school
):
    login(yangzhou)
    created = _json(
        client,
        "post",
        "/api/pairings",
        {
            "kind": "co_building",
            "a_region": "321002",
            "a_unit_id": yz_school.pk,
            "b_region": "654025",
            "b_unit_id": xy_school.pk,
        },
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert (
        _json(client, "post", f"/api/pairings/{pid}/respond", {"accept": True}).status_code == 403
    )  # not side B
    login(xinyuan)
    assert (
        _json(client, "post", f"/api/pairings/{pid}/respond", {"accept": True}).json()["status"] == "active"
    )
    agreement = _json(
        client,
        "post",
        f"/api/pairings/{pid}/agreements",
        {
            "title": "结对协议",
            "signed_on": str(clock.today()),
            "term_start": str(clock.today()),
            "mechanisms": ["联席会议", "干部互派"],
        },
    )
    assert agreement.status_code == 201 and set(agreement.json()["mechanisms"]) == {"联席会议", "干部互派"}
    meeting = _json(
        client,
        "post",
        f"/api/pairings/{pid}/meetings",
        {
            "title": "联席会议",
            "held_at": clock.now().isoformat(),
            "place": "新源",
            "attendee_ids": [yz_school.pk, xy_school.pk],
        },
    )
    assert meeting.status_code == 201
    item = _json(
        client,
        "post",
        f"/api/meetings/{meeting.json()['id']}/action-items",
        {"title": "互访", "owner_id": yz_school.pk, "deadline": str(clock.today() + dt.timedelta(days=10))},
    )
    assert item.status_code == 201 and item.json()["overdue"] is False
    login(yangzhou)
    items = _json(client, "get", "/api/action-items?open=true").json()
    assert items["count"] == 1 and items["items"][0]["owner"] == yz_school.name
    assert (
        _json(client, "patch", f"/api/action-items/{item.json()['id']}", {"status": "done"}).json()["status"]
        == "done"
    )
    login(outsider)
    assert _json(client, "get", f"/api/pairings/{pid}").status_code == 404
    assert _json(client, "get", "/api/pairings").json()["count"] == 0
    assert _json(client, "get", "/api/action-items").json()["count"] == 0
    assert (
        _json(client, "patch", f"/api/action-items/{item.json()['id']}", {"status": "open"}).status_code
        == 404
    )


@pytest.mark.django_db
def test_api_errors_are_chinese_and_save_nothing(client, login, yangzhou, yz_school):
    login(yangzhou)
    same = _json(
        client,
        "post",
        "/api/pairings",
        {
            "kind": "co_building",
            "a_region": "321002",
            "a_unit_id": yz_school.pk,
            "b_region": "321002",
            "b_unit_id": yz_school.pk,
        },
    )
    assert same.status_code == 422 and "自身" in str(same.json()["errors"])
    foreign = _json(
        client, "post", "/api/pairings", {"kind": "co_building", "a_region": "654025", "b_region": "3210"}
    )
    assert foreign.status_code == 403 and "辖区" in foreign.json()["detail"]
    unknown = _json(
        client, "post", "/api/pairings", {"kind": "co_building", "a_region": "3210", "b_region": "999999"}
    )
    assert unknown.status_code == 422
    assert Pairing.objects.count() == 0
