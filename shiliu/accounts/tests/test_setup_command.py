"""manage.py setup: the first run of a production installation, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shiliu.accounts.models import User
from shiliu.regions.models import EthnicGroup, Region


def run(monkeypatch, password: str = "pomegranate-seeds-2026", **options) -> str:  # noqa: S107
    monkeypatch.setenv("SHILIU_ADMIN_PASSWORD", password)
    out = io.StringIO()
    call_command("setup", "--no-input", "--skip-migrate", "--only", "654025", stdout=out, **options)
    return out.getvalue()


def test_it_loads_reference_data_and_creates_the_administrator_once(db, monkeypatch):
    output = run(monkeypatch, username="root")
    assert "[2/4]" in output and "root created" in output
    admin = User.objects.get(username="root")
    assert admin.is_platform_admin and admin.check_password("pomegranate-seeds-2026")
    assert Region.objects.filter(code="654025").exists() and EthnicGroup.objects.count() >= 56
    again = run(monkeypatch, password="another-password-9", username="root")
    assert "exists already" in again
    admin.refresh_from_db()
    assert admin.check_password("pomegranate-seeds-2026")  # left as it was
    assert User.objects.filter(role="platform_admin").count() == 1


def test_a_weak_password_is_refused_and_nothing_is_created(db, monkeypatch):
    with pytest.raises(CommandError, match="password"):
        run(monkeypatch, password="12345678", username="root")
    assert not User.objects.filter(username="root").exists()


def test_without_a_login_and_no_terminal_it_says_what_to_give(db, monkeypatch):
    with pytest.raises(CommandError, match="--username"):
        run(monkeypatch)
