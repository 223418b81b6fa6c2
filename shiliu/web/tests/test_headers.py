"""Responses that may carry personal data are never stored by browsers or proxies; every page has the CSP, even
the error pages in DEBUG; the API's description is for logged-in users and token holders only."""

import pytest
from django.test import Client

from conftest import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/units/",
        "/units/export.xlsx",
        "/units/{pk}/",
        "/exports/{job}/",
        "/exports/{job}/download/",
        "/api/units",
        "/accounts/login/",
    ],
)
def test_pages_exports_and_the_api_are_never_cached(client, login, yangzhou, yz_school, url):
    if "login" not in url:
        login(yangzhou)
    job = client.get("/exchanges/export.xlsx")["Location"].split("/")[2] if "{job}" in url else ""
    response = client.get(url.format(pk=yz_school.pk, job=job))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_not_found_page_has_the_content_security_policy_in_debug_too(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_and_schema_need_a_login_or_a_token(client, yangzhou):
    docs = client.get("/api/docs")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/login/")
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 401 and "登录" in schema.json()["detail"]
    token = client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    with_token = Client().get("/api/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 200 and "/api/units" in with_token.json()["paths"]


@pytest.mark.django_db
def test_the_api_docs_load_their_scripts_from_this_site(client, login, yangzhou):
    login(yangzhou)
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn." not in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
