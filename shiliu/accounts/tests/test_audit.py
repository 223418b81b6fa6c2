import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from shiliu.orgs import services


def _edit(client, unit, HTTP_X_FORWARDED_FOR="", **changes):  # noqa: N803 - a header, as Django names it
    data = {"name": unit.name, "kind": unit.kind, "region": unit.region_id, **changes}
    extra = {"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}
    return client.post(f"/units/{unit.pk}/edit/", data, **extra)


@pytest.mark.django_db
def test_every_change_is_logged_with_user_time_and_old_and_new_values(client, login, yangzhou, yz_school):
    login(yangzhou)
    assert _edit(client, yz_school, address="文昌路1号").status_code == 302
    entry = LogEntry.objects.get_for_object(yz_school).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == yangzhou
    assert entry.changes_dict["address"] == ["", "文昌路1号"]
    assert abs(timezone.now() - entry.timestamp) < dt.timedelta(minutes=1)


@pytest.mark.django_db
def test_the_admin_filters_the_audit_log_by_user_model_record_and_date(
    client, login, admin_user, yangzhou, xinyuan, yz_school, xy_school
):
    login(yangzhou)
    _edit(client, yz_school, address="扬州一号")
    login(xinyuan)
    _edit(client, xy_school, address="新源一号")
    login(admin_user)
    page = client.get("/audit/", {"user": yangzhou.pk}).content.decode()
    assert "扬州一号" in page and "新源一号" not in page
    page = client.get(
        "/audit/",
        {
            "object_id": xy_school.pk,
            "model": LogEntry.objects.get_for_object(xy_school).first().content_type_id,
        },
    ).content.decode()
    assert "新源一号" in page and "扬州一号" not in page
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.get("/audit/", {"date_from": tomorrow}).content.decode()
    assert "没有符合条件的记录" in page
    bad = client.get("/audit/", {"date_from": tomorrow, "date_to": "2020-01-01"}).content.decode()
    assert "起始日期晚于截止日期" in bad


@pytest.mark.django_db
def test_only_platform_admins_read_the_audit_log(client, login, yangzhou):
    login(yangzhou)
    assert client.get("/audit/").status_code == 403


@pytest.mark.django_db
def test_a_failed_change_leaves_no_trace(yangzhou, yz_school):
    from django.core.exceptions import ValidationError

    before = LogEntry.objects.count()
    with pytest.raises(ValidationError):
        services.organization_update(actor=yangzhou, organization=yz_school, data={"contact_phone": "bad"})
    yz_school.refresh_from_db()
    assert yz_school.contact_phone == "13812345678"
    assert LogEntry.objects.count() == before


def _bearer(client, user):
    from conftest import PASSWORD

    token = client.post(
        "/api/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    client.logout()
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_an_api_write_with_a_bearer_token_is_logged_with_its_actor(client, yangzhou, yz_school):
    headers = _bearer(client, yangzhou)
    response = client.patch(
        f"/api/units/{yz_school.pk}",
        {"address": "文昌路1号"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(yz_school).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == yangzhou
    created = client.post(
        "/api/units",
        {"name": "扬州市新建小学", "kind": "school", "region": "321002"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    entry = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_pk=str(created.json()["id"])).get()
    assert entry.actor == yangzhou


@pytest.mark.django_db
def test_an_api_write_with_the_session_is_logged_with_its_actor(client, login, yangzhou, yz_school):
    login(yangzhou)
    client.patch(f"/api/units/{yz_school.pk}", {"address": "文昌路2号"}, content_type="application/json")
    entry = LogEntry.objects.get_for_object(yz_school).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == yangzhou


@pytest.mark.django_db
def test_the_logged_address_is_not_taken_from_a_header_the_client_can_forge(
    client, login, yangzhou, yz_school
):
    login(yangzhou)
    _edit(client, yz_school, address="一号", HTTP_X_FORWARDED_FOR="6.6.6.6")
    entry = LogEntry.objects.get_for_object(yz_school).get(action=LogEntry.Action.UPDATE)
    assert entry.remote_addr == "127.0.0.1"


@pytest.mark.django_db
def test_behind_a_configured_proxy_the_logged_address_is_the_one_the_proxy_saw(
    client, login, settings, yangzhou, yz_school
):
    settings.SHILIU_TRUSTED_PROXIES = 1
    login(yangzhou)
    _edit(client, yz_school, address="二号", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    entry = LogEntry.objects.get_for_object(yz_school).get(action=LogEntry.Action.UPDATE)
    assert entry.remote_addr == "203.0.113.7"


@pytest.mark.django_db
def test_the_audit_log_reads_in_chinese_with_local_times_and_only_the_records_own_fields(
    client, login, admin_user, yangzhou
):
    from shiliu.pairings import services as pairing_services
    from shiliu.regions.models import Region

    pairing = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="co_building",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    login(yangzhou)
    _edit(client, services.organization_create(actor=yangzhou, data=_unit_data()), address="文昌路1号")
    login(admin_user)
    page = client.get("/audit/").content.decode()
    assert "修改" in page and "创建" in page  # actions, not "update" / "create"
    assert ">update<" not in page and ">create<" not in page
    assert "地址" in page and "<strong>address</strong>" not in page  # field labels as on the forms
    assert "children" not in page and "exchanges.Offer.None" not in page  # no reverse relations
    entry = LogEntry.objects.get_for_object(pairing).get(action=LogEntry.Action.CREATE)
    proposed = timezone.localtime(pairing.proposed_at).strftime("%Y-%m-%d %H:%M")
    assert entry.changes_dict["proposed_at"][1].startswith(
        pairing.proposed_at.astimezone(dt.UTC).strftime("%Y-%m-%d")
    )
    assert proposed in page  # Beijing time, as the time column


def _unit_data():
    from shiliu.regions.models import Region

    return {"name": "文昌路社区", "kind": "community", "region": Region.objects.get(code="321002")}
