import pytest

from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import Activity
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region

PAYLOAD = {
    "title": "扬州教师赴新源支教交流",
    "type": "互访考察",
    "plans": ["embedding", "youth"],
    "start_date": "2026-03-01",
    "end_date": "2026-03-05",
    "sending_region": "3210",
    "receiving_region": "654025",
    "participations": [
        {"category": "teacher", "ethnic_group": "01", "age_band": "o35", "gender": "f", "count": 8}
    ],
}


@pytest.mark.django_db
def test_the_api_records_confirms_and_counts(client, login, yangzhou, xinyuan, outsider):
    p = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    login(yangzhou)
    created = client.post("/api/activities", PAYLOAD, content_type="application/json")
    assert created.status_code == 201, created.content
    aid = created.json()["id"]
    assert created.json()["person_times"] == 8 and created.json()["status"] == "submitted"
    assert client.post(f"/api/activities/{aid}/confirm").status_code == 403
    login(xinyuan)
    assert client.post(f"/api/activities/{aid}/confirm").json()["status"] == "confirmed"
    stats = client.get("/api/activities/statistics", {"region": "654025"}).json()
    headline = {k: stats[k] for k in ("batches", "person_times", "sending", "receiving", "suppressed")}
    assert headline == {
        "batches": 1,
        "person_times": 8,
        "sending": [0, 0],
        "receiving": [1, 8],
        "suppressed": False,
    }
    assert stats["by_ethnic_group"] == [
        {"key": "01", "name": "汉族", "batches": None, "person_times": 8, "shown": "8"}
    ]
    login(outsider)
    assert client.get(f"/api/activities/{aid}").status_code == 404
    assert client.get("/api/activities").json()["count"] == 0


@pytest.mark.django_db
def test_api_input_errors_name_the_row_and_save_nothing(client, login, yangzhou):
    login(yangzhou)
    bad = {**PAYLOAD, "participations": [{**PAYLOAD["participations"][0], "ethnic_group": "77"}]}
    response = client.post("/api/activities", bad, content_type="application/json")
    assert response.status_code == 422 and "第 1 行" in str(response.json())
    assert (
        client.post(
            "/api/activities", {**PAYLOAD, "type": "太空旅行"}, content_type="application/json"
        ).status_code
        == 422
    )
    assert not Activity.objects.exists()


@pytest.fixture
def offer(yangzhou, yz_school, paired):
    from shiliu.exchanges.models import ActivityType

    return menu_services.offer_publish(
        actor=yangzhou,
        host=yz_school,
        data={
            "title": "运河文化研学", "activity_type": ActivityType.objects.get(name="研学"), "plan_youth": True,
            "capacity": 40, "duration_days": 1,
        },
    )  # fmt: skip


@pytest.mark.django_db
def test_offers_and_bookings_through_the_api_scoped_to_both_parties(
    client, login, yangzhou, xinyuan_coordinator, xy_school, outsider, offer
):
    login(xinyuan_coordinator)
    listed = client.get("/api/offers").json()
    assert [o["title"] for o in listed["items"]] == ["运河文化研学"] and listed["items"][0]["plans"] == [
        "youth"
    ]
    too_big = client.post(
        "/api/bookings",
        {"offer_id": offer.pk, "guest_unit_id": xy_school.pk, "start_date": "2026-12-10", "end_date": "2026-12-11",
         "group_size": 41},
        content_type="application/json",
    )  # fmt: skip
    assert too_big.status_code == 422 and "group_size" in too_big.json()["errors"]
    made = client.post(
        "/api/bookings",
        {"offer_id": offer.pk, "guest_unit_id": xy_school.pk, "start_date": "2026-12-10", "end_date": "2026-12-11",
         "group_size": 30, "composition": "28 名学生、2 名教师"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["status"] == "requested"
    bid = made.json()["id"]
    assert (
        client.post(
            f"/api/bookings/{bid}/answer", {"decision": "accept"}, content_type="application/json"
        ).status_code
        == 403
    )
    login(yangzhou)
    assert [b["id"] for b in client.get("/api/bookings", {"direction": "incoming"}).json()["items"]] == [bid]
    accepted = client.post(
        f"/api/bookings/{bid}/answer", {"decision": "accept"}, content_type="application/json"
    )
    assert accepted.json()["status"] == "accepted" and accepted.json()["activity_id"]
    login(outsider)
    assert client.get(f"/api/bookings/{bid}").status_code == 404
    assert client.get(f"/api/offers/{offer.pk}").status_code == 404
    assert client.get("/api/offers").json()["items"] == []


@pytest.mark.django_db
def test_routes_and_tour_groups_through_the_api(client, login, yangzhou, xinyuan, outsider, paired):
    login(xinyuan)
    route = client.post(
        "/api/routes",
        {"title": "那拉提研学路线", "region": "654025", "days": 2, "is_public": False,
         "stops": [{"name": "那拉提草原", "region": "654025104"}, {"name": "教育基地", "region": "654025"}]},
        content_type="application/json",
    )  # fmt: skip
    assert route.status_code == 201, route.content
    assert [s["name"] for s in route.json()["stops"]] == ["那拉提草原", "教育基地"]
    group = {
        "name": "扬州游客团", "origin_region": "3210", "destination_region": "654025", "start_date": "2026-06-01",
        "end_date": "2026-06-05", "size": 30, "minors": 5, "route_id": route.json()["id"],
    }  # fmt: skip
    made = client.post("/api/tour-groups", group, content_type="application/json")
    assert made.status_code == 201 and made.json()["pairing_id"] == paired.pk
    assert made.json()["origin_region"] == "3210"
    bad = client.post("/api/tour-groups", {**group, "minors": 31}, content_type="application/json")
    assert bad.status_code == 422 and "minors" in bad.json()["errors"]
    login(yangzhou)
    assert [g["name"] for g in client.get("/api/tour-groups").json()["items"]] == ["扬州游客团"]
    assert client.get("/api/tour-groups/flows", {"level": 6}).json()[0]["visitors"] == 30
    assert client.get(f"/api/routes/{route.json()['id']}").status_code == 404  # not public, not 扬州's
    login(outsider)
    assert client.get("/api/tour-groups").json()["items"] == []
    assert client.get(f"/api/tour-groups/{made.json()['id']}").status_code == 404
    assert (
        client.post("/api/tour-groups", group, content_type="application/json").status_code == 404
    )  # the route
    no_route = {**group, "route_id": None}
    assert client.post("/api/tour-groups", no_route, content_type="application/json").status_code == 403
