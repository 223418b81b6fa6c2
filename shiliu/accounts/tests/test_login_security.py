import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from shiliu.accounts.services import user_create
from shiliu.regions.models import Region


@pytest.mark.django_db
def test_a_wrong_password_gets_a_chinese_message(client, yangzhou):
    response = client.post("/accounts/login/", {"username": "yangzhou", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "用户名" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_an_account_after_five_failed_logins(client, yangzhou):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "yangzhou", "password": "wrong-password-1"})
    response = client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    assert response.status_code == 429
    assert "账户已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_lands_on_the_dashboard_with_the_jurisdiction(client, yangzhou):
    response = client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "一屏全览" in page
    assert "江苏省 扬州市" in page


@pytest.mark.django_db
def test_the_session_expires_after_thirty_idle_minutes(client, yangzhou):
    client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    client.get("/")
    assert client.session.get_expiry_age() == 30 * 60
    session = client.session
    session.set_expiry(-1)  # as if the last request were more than 30 minutes ago
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["short-1", "1234567890123", "password123", "yangzhou-staff"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        user_create(
            username="yangzhou-staff",
            password=password,
            role="commission_staff",
            region=Region.objects.get(code="3210"),
        )


@pytest.mark.django_db
def test_scoped_roles_need_a_region_and_coordinators_a_unit_inside_it(xy_school):
    with pytest.raises(ValidationError):
        user_create(username="nobody", password=PASSWORD, role="commission_staff", region=None)
    with pytest.raises(ValidationError):
        user_create(
            username="coord",
            password=PASSWORD,
            role="unit_coordinator",
            region=Region.objects.get(code="3210"),
            organization=xy_school,
        )


@pytest.mark.django_db
def test_staff_can_turn_on_a_totp_second_factor_and_must_use_it(client, yangzhou):
    client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=yangzhou, confirmed=False)
    bad = client.post("/accounts/otp/setup/", {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert bad.status_code == 400 and "口令错误" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays the next try after a failure; skip the wait
    good = client.post("/accounts/otp/setup/", {"token": f"{totp(device.bin_key):06d}"})
    assert good.status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    fresh.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    blocked = fresh.get("/units/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/accounts/otp/")
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    verified = fresh.post(
        "/accounts/otp/?next=/units/", {"token": f"{totp(device.bin_key):06d}", "next": "/units/"}
    )
    assert verified.status_code == 302 and verified["Location"] == "/units/"
    assert fresh.get("/units/").status_code == 200


@pytest.mark.django_db
def test_coordinators_cannot_enrol_a_second_factor_page(client, xinyuan_coordinator, login):
    login(xinyuan_coordinator)
    assert client.get("/accounts/otp/setup/").status_code == 403


@pytest.mark.django_db
def test_forms_without_a_csrf_token_are_refused(yangzhou):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "yangzhou", "password": PASSWORD})
    assert response.status_code == 403


@pytest.mark.django_db
def test_pages_carry_security_headers_and_a_strict_content_security_policy(client, yangzhou, login):
    login(yangzhou)
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_pass_the_deployment_checklist():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "shiliu.example.org",
        "SHILIU_FIELD_KEYS": "prod1:cHJvZHVjdGlvbi1maWVsZC1rZXktZm9yLXRoZS10ZXM=",
        "SHILIU_FIELD_HASH_KEY": "a-production-hash-key-for-the-deployment-check",
    }
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_the_key_to_type_by_hand_is_the_base32_an_authenticator_app_takes(client, yangzhou):
    import base64
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(yangzhou, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/accounts/otp/setup/").content.decode()
    device = TOTPDevice.objects.get(user=yangzhou, confirmed=False)
    shown = re.search(r'<code class="user-select-all">([^<]+)</code>', page).group(1)
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", shown)
    typed = shown.replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key
    assert f"secret={typed}" in device.config_url  # the same key as the QR code
