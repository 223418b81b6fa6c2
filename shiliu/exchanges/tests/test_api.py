import pytest

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
    assert stats == {"batches": 1, "person_times": 8, "sending": [0, 0], "receiving": [1, 8]}
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
