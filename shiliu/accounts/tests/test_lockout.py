"""Login lockout that an attacker cannot turn against the account's owner.

Behind the reverse proxy every request arrives from the proxy's address; with SHILIU_TRUSTED_PROXIES set the
client's address comes from the proxy's X-Forwarded-For entry. Failures lock the account for that address
(5 in 30 minutes) and an address trying many accounts (20); failures from everywhere only slow down addresses
and browsers the account has never logged in from, and tell the owner.
"""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from shiliu.notifications.models import Notification

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def proxied(settings):
    settings.SHILIU_TRUSTED_PROXIES = 1


def login(client, username, password, address, **extra):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}",  # the left entry is whatever the client sent
        **extra,
    )


def fail(address, username="yangzhou", times=1):
    client = Client()
    for _ in range(times):
        response = login(client, username, "wrong-password-1", address)
    return response


@pytest.mark.django_db
def test_behind_the_proxy_an_attacker_locks_only_their_own_address(proxied, yangzhou):
    fail(ATTACKER, times=5)
    assert fail(ATTACKER).status_code == 429
    assert login(Client(), "yangzhou", PASSWORD, ATTACKER).status_code == 429
    owner = login(Client(), "yangzhou", PASSWORD, OWNER)
    assert owner.status_code == 302 and owner["Location"] == "/"


@pytest.mark.django_db
def test_without_a_configured_proxy_a_forged_header_does_not_give_fresh_addresses(yangzhou):
    client = Client()
    for n in range(5):
        login(client, "yangzhou", "wrong-password-1", f"192.0.2.{n}")
    assert login(client, "yangzhou", PASSWORD, "192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_an_address_trying_many_accounts_is_locked_for_all_of_them(proxied, yangzhou, xinyuan):
    colleague = Client()  # behind the same office address, logged in before
    assert login(colleague, "xinyuan", PASSWORD, ATTACKER).status_code == 302
    colleague.post("/accounts/logout/")
    for n in range(20):
        fail(ATTACKER, username=f"guess{n}")
    assert login(Client(), "yangzhou", PASSWORD, ATTACKER).status_code == 429
    assert login(Client(), "yangzhou", PASSWORD, OWNER).status_code == 302
    assert login(colleague, "xinyuan", PASSWORD, ATTACKER).status_code == 302  # a known browser


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_down_new_addresses_but_never_lock_out_the_owner(proxied, yangzhou):
    owner = Client()
    assert login(owner, "yangzhou", PASSWORD, OWNER).status_code == 302  # this browser is now known
    owner.post("/accounts/logout/")
    for n in range(10):  # ten botnet addresses, one failure each
        fail(f"203.0.113.{n}")
    slowed = fail("203.0.113.200")
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) > 0
    assert "秒后再试" in slowed.content.decode()
    # The right password from a new address waits too: the delay does not tell right from wrong.
    assert login(Client(), "yangzhou", PASSWORD, "203.0.113.201").status_code == 429
    # The owner's browser (and the owner's usual address) are not slowed down.
    assert login(owner, "yangzhou", PASSWORD, "192.0.2.50").status_code == 302
    assert login(Client(), "yangzhou", PASSWORD, OWNER).status_code == 302
    # After the delay a new address may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=6))
    assert login(Client(), "yangzhou", PASSWORD, "203.0.113.202").status_code == 302


@pytest.mark.django_db
def test_the_owner_is_told_once_when_their_account_sees_repeated_failures(proxied, yangzhou):
    for n in range(14):
        fail(f"203.0.113.{n}")
    notes = Notification.objects.filter(recipient=yangzhou)
    assert notes.count() == 1
    assert "登录失败" in notes.get().text and "10 个地址" in notes.get().text


@pytest.mark.django_db
def test_the_api_answers_a_slowed_down_token_request_with_429_and_retry_after(proxied, yangzhou):
    for n in range(10):
        fail(f"203.0.113.{n}")
    response = Client().post(
        "/api/token",
        {"username": "yangzhou", "password": PASSWORD},
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="203.0.113.250",
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "秒后再试" in response.json()["detail"]
