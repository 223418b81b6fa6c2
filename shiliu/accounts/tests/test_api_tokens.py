import pytest

from conftest import PASSWORD
from shiliu.accounts.models import ApiToken


@pytest.mark.django_db
def test_a_token_is_issued_for_good_credentials_and_works_as_bearer(client, yangzhou, yz_school, xy_school):
    response = client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=yangzhou).key_hash != token  # only the hash is stored
    units = client.get("/api/units", headers={"Authorization": f"Bearer {token}"}).json()
    assert [u["name"] for u in units["items"]] == ["扬州市育才小学"]
    assert units["count"] == 1
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["region_code"] == "3210" and me["role"] == "commission_staff"


@pytest.mark.django_db
def test_wrong_credentials_get_401_with_a_chinese_message(client, yangzhou):
    response = client.post(
        "/api/token", {"username": "yangzhou", "password": "nope-nope-nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误。"}


@pytest.mark.django_db
def test_token_failures_count_towards_the_lockout(client, yangzhou):
    for _ in range(5):
        client.post(
            "/api/token",
            {"username": "yangzhou", "password": "nope-nope-nope"},
            content_type="application/json",
        )
    response = client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]


@pytest.mark.django_db
def test_a_bad_or_revoked_token_is_refused(client, yangzhou):
    assert client.get("/api/units", headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    token = client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    from shiliu.accounts.services import token_revoke_all

    token_revoke_all(user=yangzhou)
    assert client.get("/api/units", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.django_db
def test_malformed_token_requests_get_422_not_500(client):
    response = client.post("/api/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求数据不合法。"
    assert client.post("/api/token", "{not json", content_type="application/json").status_code in (400, 422)


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_are_served(client, login, yangzhou):
    login(yangzhou)
    schema = client.get("/api/openapi.json").json()
    assert {"/api/token", "/api/regions", "/api/units", "/api/units/{unit_id}"} <= set(schema["paths"])
    assert client.get("/api/docs").status_code == 200
