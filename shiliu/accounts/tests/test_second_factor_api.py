"""The API asks for the second factor exactly as the pages do: a token needs the TOTP code of a user who turned
it on, and a session that has not passed the code reads and writes nothing through /api/."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from shiliu.accounts.models import ApiToken


@pytest.fixture
def device(yangzhou):
    return TOTPDevice.objects.create(user=yangzhou, name="Shiliu", confirmed=True)


def code(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


def ask(client, **extra):
    return client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD, **extra}, content_type="application/json"
    )


@pytest.mark.django_db
def test_a_token_for_a_user_with_a_second_factor_needs_the_code(client, yangzhou, device):
    response = ask(client)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "此账户已开启两步验证：请在 otp 字段中提供验证器显示的 6 位动态口令。"
    }
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_wrong_code_gets_no_token(client, yangzhou, device):
    wrong = "000000" if code(device) != "000000" else "111111"
    response = ask(client, otp=wrong)
    assert response.status_code == 401 and response.json()["detail"] == "口令错误或已过期。"
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_right_code_gets_a_working_token(client, yangzhou, yz_school, device):
    response = ask(client, otp=code(device))
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    assert Client().get("/api/units", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.django_db
def test_a_wrong_password_is_refused_before_any_code_is_asked_for(client, yangzhou, device):
    response = client.post(
        "/api/token", {"username": "yangzhou", "password": "nope-nope-nope"}, content_type="application/json"
    )
    assert response.status_code == 401 and response.json()["detail"] == "用户名或密码错误。"


@pytest.mark.django_db
def test_users_without_a_second_factor_still_get_a_token_for_the_password(client, yangzhou):
    assert ask(client).status_code == 200


@pytest.mark.django_db
def test_a_session_that_has_not_passed_the_second_factor_gets_no_data_from_the_api(
    client, yangzhou, yz_school, device
):
    client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    assert client.get("/units/").status_code == 302  # the pages send it to the code first
    for response in (
        client.get("/api/units"),
        client.get("/api/me"),
        client.patch(f"/api/units/{yz_school.pk}", {"address": "x"}, content_type="application/json"),
    ):
        assert response.status_code == 401, response.content
        assert "两步验证" in response.json()["detail"]
    yz_school.refresh_from_db()
    assert yz_school.address == ""


@pytest.mark.django_db
def test_a_verified_session_reads_the_api(client, yangzhou, yz_school, device):
    client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    verified = client.post("/accounts/otp/", {"token": code(device), "next": "/"})
    assert verified.status_code == 302
    assert client.get("/api/units").json()["count"] == 1


@pytest.mark.django_db
def test_turning_the_second_factor_on_revokes_tokens_issued_for_the_password_alone(client, yangzhou):
    raw = ask(client).json()["token"]
    client.force_login(yangzhou, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=yangzhou, confirmed=False)
    assert client.post("/accounts/otp/setup/", {"token": code(device)}).status_code == 302
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


@pytest.mark.django_db
def test_a_session_without_the_code_cannot_enrol_a_second_device_to_get_past_the_first(
    client, yangzhou, device
):
    client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    response = client.get("/accounts/otp/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/?next=")
    assert not TOTPDevice.objects.filter(user=yangzhou, confirmed=False).exists()
    assert client.post("/accounts/otp/setup/", {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=yangzhou).count() == 1
    assert client.get("/units/").status_code == 302  # still not past the second factor
    assert client.get("/accounts/tokens/").status_code == 302


@pytest.mark.django_db
def test_where_staff_must_have_a_second_factor_they_reach_only_its_set_up_until_they_do(
    client, login, settings, yangzhou, xinyuan_coordinator
):
    """An invited staff member was sent to the set-up page but could leave it and work with a password alone."""
    settings.SHILIU_STAFF_SECOND_FACTOR = True
    login(yangzhou)
    for path in ("/", "/pairings/", "/exchanges/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/otp/setup/", path
    assert client.get("/accounts/otp/setup/").status_code == 200
    assert client.get("/api/me").status_code == 401  # the session does not reach the API either
    token = ask(Client())
    assert token.status_code == 401 and "两步验证" in token.json()["detail"]
    assert not ApiToken.objects.exists()
    device = TOTPDevice.objects.create(user=yangzhou, name="Shiliu", confirmed=True)
    assert ask(Client(), otp=code(device)).status_code == 200  # with a device the token is issued
    login(xinyuan_coordinator)  # coordinators are not held (the requirement is for commission staff)
    assert client.get("/").status_code == 200
    settings.SHILIU_STAFF_SECOND_FACTOR = False
    login(yangzhou)
    TOTPDevice.objects.filter(user=yangzhou).delete()
    assert client.get("/").status_code == 200
