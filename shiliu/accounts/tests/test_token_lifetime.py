"""API tokens live SHILIU_API_TOKEN_DAYS and die after SHILIU_API_TOKEN_IDLE_DAYS unused; their owner lists and
revokes them on the account's token page (and may create one there, from a session that passed the second
factor)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from shiliu.accounts.models import ApiToken


def issue(client, username="yangzhou", **extra):
    response = client.post(
        "/api/token", {"username": username, "password": PASSWORD, **extra}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def works(raw):
    return Client().get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@pytest.mark.django_db
def test_a_token_tells_when_it_expires_and_stops_working_then(client, yangzhou, settings):
    settings.SHILIU_API_TOKEN_DAYS = 30
    body = issue(client, name="数据报送脚本")
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    token = ApiToken.objects.get()
    assert token.name == "数据报送脚本"
    assert works(body["token"])
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not works(body["token"])


@pytest.mark.django_db
def test_a_token_unused_for_the_idle_timeout_stops_working(client, yangzhou, settings):
    settings.SHILIU_API_TOKEN_IDLE_DAYS = 14
    raw = issue(client)["token"]
    ApiToken.objects.update(
        created_at=timezone.now() - dt.timedelta(days=20), last_used_at=timezone.now() - dt.timedelta(days=13)
    )
    assert works(raw)  # used within 14 days: still good, and now used again
    ApiToken.objects.update(last_used_at=timezone.now() - dt.timedelta(days=15))
    assert not works(raw)


@pytest.mark.django_db
def test_a_token_never_used_counts_its_idle_time_from_its_creation(client, yangzhou, settings):
    settings.SHILIU_API_TOKEN_IDLE_DAYS = 14
    raw = issue(client)["token"]
    ApiToken.objects.update(created_at=timezone.now() - dt.timedelta(days=15))
    assert not works(raw)


@pytest.mark.django_db
def test_the_owner_lists_and_revokes_their_tokens_and_no_one_elses(client, login, yangzhou, xinyuan):
    mine = issue(client, name="扬州脚本")["token"]
    theirs = issue(client, username="xinyuan", name="新源脚本")["token"]
    login(yangzhou)
    page = client.get("/accounts/tokens/")
    text = page.content.decode()
    assert page.status_code == 200 and "扬州脚本" in text and mine[:8] in text
    assert "新源脚本" not in text and theirs[:8] not in text
    assert mine not in text  # only the prefix is ever shown again
    own = ApiToken.objects.get(name="扬州脚本")
    other = ApiToken.objects.get(name="新源脚本")
    assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    assert works(theirs)
    response = client.post(f"/accounts/tokens/{own.pk}/revoke/", follow=True)
    assert response.status_code == 200 and "已吊销" in response.content.decode()
    assert not works(mine)


@pytest.mark.django_db
def test_the_owner_creates_a_token_on_the_page_and_sees_it_once(client, login, yangzhou):
    login(yangzhou)
    response = client.post("/accounts/tokens/", {"name": "报表脚本"}, follow=True)
    assert response.status_code == 200 and response.redirect_chain == [("/accounts/tokens/", 302)]
    token = ApiToken.objects.get(user=yangzhou)
    raw = response.context["new_token"]
    assert raw in response.content.decode() and raw.startswith(token.prefix) and works(raw)
    assert raw not in client.get("/accounts/tokens/").content.decode()


@pytest.mark.django_db
def test_reloading_the_page_after_creating_a_token_makes_no_second_one(client, login, yangzhou):
    login(yangzhou)
    sent = client.post("/accounts/tokens/", {"name": "报表脚本"})
    # A redirect: the page the browser shows (and reloads) is a GET, never the POST sent again.
    assert sent.status_code == 302 and sent["Location"] == "/accounts/tokens/"
    first, again = client.get("/accounts/tokens/"), client.get("/accounts/tokens/")
    assert first.context["new_token"] and again.context["new_token"] is None
    assert ApiToken.objects.filter(user=yangzhou).count() == 1


@pytest.mark.django_db
def test_logging_out_by_address_offers_the_button_instead_of_an_empty_405(client, login, yangzhou):
    login(yangzhou)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and "退出登录" in page.content.decode()
    assert client.get("/").status_code == 200  # still logged in: a GET logs nobody out
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_token_page_needs_a_login(client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
