"""The account-management and invitation API, scoped like the pages."""

from __future__ import annotations

import json

from shiliu.accounts.models import Invitation
from shiliu.lib import messaging


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _patch(client, path, body):
    return client.patch(path, json.dumps(body), content_type="application/json")


def test_staff_list_and_change_accounts_of_their_jurisdiction_only(
    login, xinyuan, yangzhou, xinyuan_coordinator, xy_hospital
):
    client = login(xinyuan)
    listed = client.get("/api/accounts").json()
    assert {a["username"] for a in listed["items"]} == {"xinyuan", "xinyuan-school"}  # never yangzhou
    response = _patch(
        client,
        f"/api/accounts/{xinyuan_coordinator.pk}",
        {"role": "unit_coordinator", "unit_id": xy_hospital.pk, "is_active": True},
    )
    assert response.status_code == 200 and response.json()["unit_id"] == xy_hospital.pk
    outside = _patch(client, f"/api/accounts/{yangzhou.pk}", {"role": "commission_staff", "is_active": False})
    assert outside.status_code == 404
    yangzhou.refresh_from_db()
    assert yangzhou.is_active


def test_a_second_factor_reset_through_the_api_needs_a_reason(login, xinyuan, xinyuan_coordinator):
    client = login(xinyuan)
    path = f"/api/accounts/{xinyuan_coordinator.pk}/second-factor/reset"
    assert _post(client, path, {"reason": "x"}).status_code == 422
    assert _post(client, path, {"reason": "手机丢失"}).json() == {"devices_removed": 0}


def test_staff_invite_resend_and_revoke_through_the_api(
    login, xinyuan, xy_school, django_capture_on_commit_callbacks
):
    client = login(xinyuan)
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # the message leaves once the invitation is committed
        created = _post(
            client,
            "/api/invitations",
            {
                "address": "13811112222",
                "role": "unit_coordinator",
                "unit_id": xy_school.pk,
                "display_name": "张",
            },
        )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, f"/api/invitations/{pk}/resend", {}).json()["send_count"] == 2
    assert _post(client, f"/api/invitations/{pk}/revoke", {}).json()["status"] == "revoked"
    assert _post(client, f"/api/invitations/{pk}/revoke", {}).status_code == 422
    assert len(messaging.outbox) == 2
    again = _post(
        client,
        "/api/invitations",
        {"address": "13811112222", "role": "unit_coordinator", "unit_id": xy_school.pk},
    )
    assert again.status_code == 201  # a withdrawn invitation does not block a new one


def test_an_invitation_outside_the_jurisdiction_is_refused(login, xinyuan):
    client = login(xinyuan)
    response = _post(
        client, "/api/invitations", {"address": "a@b.cn", "role": "commission_staff", "region": "3210"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_coordinators_get_403(login, xinyuan_coordinator):
    client = login(xinyuan_coordinator)
    assert client.get("/api/accounts").status_code == 403
    assert client.get("/api/invitations").status_code == 403
