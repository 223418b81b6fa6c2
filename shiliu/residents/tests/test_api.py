import pytest
from auditlog.models import LogEntry

from shiliu.residents.models import Resident

from .conftest import XINYUAN_ID

pytestmark = pytest.mark.django_db


def _body(community, **extra):
    return {
        "name": "马阿依古丽",
        "origin_region": "654025",
        "community_id": community.pk,
        "moved_in_on": "2025-03-01",
        "id_number": XINYUAN_ID,
        "phone": "13912345678",
        "needs": ["employment"],
        "consent": {
            "scopes": ["identity", "contact", "profile"],
            "method": "online",
            "given_on": "2025-03-01",
        },
        **extra,
    }


def test_it_registers_and_lists_residents_masked(login, yangzhou, community):
    client = login(yangzhou)
    response = client.post("/api/residents", _body(community), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id_number"] == "6540**********1231" and body["phone"] == "139****5678" and body["managed"]
    listing = client.get("/api/residents").json()
    assert listing["count"] == 1 and listing["items"][0]["id_number"] == "6540**********1231"
    assert XINYUAN_ID not in client.get(f"/api/residents/{body['id']}").content.decode()
    assert client.get(f"/api/residents?q={XINYUAN_ID}").json()["count"] == 1


def test_it_refuses_a_bad_id_number_or_one_without_consent(login, yangzhou, community):
    client = login(yangzhou)
    response = client.post(
        "/api/residents", _body(community, id_number="654025199001011232"), content_type="application/json"
    )
    assert response.status_code == 422 and "id_number" in response.json()["errors"]
    response = client.post(
        "/api/residents", _body(community, consent=None, needs=[]), content_type="application/json"
    )
    assert response.status_code == 422 and set(response.json()["errors"]) == {"id_number", "phone"}
    assert not Resident.objects.exists()


def test_the_api_is_scoped_like_the_pages(login, yangzhou, xinyuan, outsider, resident, community, register):
    person = register(yangzhou, community, id_number=XINYUAN_ID, phone="13912345678", skills="电焊")
    seen = login(xinyuan).get(f"/api/residents/{person.pk}").json()
    assert seen["managed"] is False and seen["name"] == "马阿依古丽"
    assert seen["id_number"] is None and seen["phone"] is None and seen["skills"] is None
    assert login(xinyuan).get("/api/residents").json()["count"] == 1
    assert (
        login(xinyuan)
        .patch(f"/api/residents/{person.pk}", {"name": "改"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        login(xinyuan)
        .post(
            f"/api/residents/{person.pk}/reveal",
            {"field": "phone", "reason": "核实"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    assert login(outsider).get(f"/api/residents/{person.pk}").status_code == 404
    assert login(outsider).get("/api/residents").json()["count"] == 0
    assert login(resident).get("/api/residents").status_code == 403


def test_reveal_through_the_api_is_logged_with_its_reason(login, yangzhou, community, register):
    person = register(yangzhou, community, id_number=XINYUAN_ID)
    response = login(yangzhou).post(
        f"/api/residents/{person.pk}/reveal",
        {"field": "id_number", "reason": "就业登记"},
        content_type="application/json",
    )
    assert response.json() == {"field": "id_number", "value": XINYUAN_ID}
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(person.pk)).latest("pk")
    assert entry.additional_data["purpose"] == "就业登记"


def test_consent_withdrawal_and_handover_through_the_api(
    login, yangzhou, community, other_community, register
):
    from conftest import make_user

    person = register(yangzhou, community, id_number=XINYUAN_ID, consent=("identity",))
    client = login(yangzhou)
    consent_id = client.get(f"/api/residents/{person.pk}/consents").json()[0]["id"]
    withdrawn = client.post(
        f"/api/residents/{person.pk}/consents/{consent_id}/withdraw",
        {"method": "paper", "withdrawn_on": "2025-06-01"},
        content_type="application/json",
    ).json()
    assert withdrawn["erased"] == ["identity"] and withdrawn["in_force"] is False
    assert client.get(f"/api/residents/{person.pk}").json()["id_number"] == ""
    handover = client.post(
        f"/api/residents/{person.pk}/handover",
        {"to_region": other_community.region_id, "reason": "搬家"},
        content_type="application/json",
    ).json()
    assert handover["to_community_id"] == other_community.pk
    receiver = login(make_user("geyuan", "unit_coordinator", "321002", other_community))
    assert [h["id"] for h in receiver.get("/api/handovers/incoming").json()] == [handover["id"]]
    assert receiver.post(f"/api/handovers/{handover['id']}/accept").json()["status"] == "accepted"
