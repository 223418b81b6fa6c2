import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from shiliu.orgs import services


def _edit(client, unit, **changes):
    data = {"name": unit.name, "kind": unit.kind, "region": unit.region_id, **changes}
    return client.post(f"/units/{unit.pk}/edit/", data)


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
