"""The desk's configuration: routing rules scoped to the jurisdiction (pages and API), national SLA rules and desk
settings for platform administrators only; bad input refused with a field message and nothing saved."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from conftest import make_unit, make_user
from shiliu.residents.requests import config
from shiliu.residents.requests.models import DeskSettings, RoutingRule, SlaRule


@pytest.fixture
def xy_rule(xy_hospital: Any) -> Any:
    return RoutingRule.objects.create(region_id="654025", category="health", unit=xy_hospital)


def test_staff_add_change_and_delete_rules_of_their_jurisdiction_with_audit(
    yangzhou: Any, community: Any, other_community: Any
) -> None:
    rule = config.routing_rule_save(actor=yangzhou, region="321002001001", category="", unit=community)
    assert LogEntry.objects.get_for_object(rule).count() == 1
    config.routing_rule_save(
        actor=yangzhou, rule=rule, region="321002", category="housing", unit=other_community
    )
    rule.refresh_from_db()
    assert (rule.region_id, rule.category, rule.unit) == ("321002", "housing", other_community)
    pk = rule.pk
    config.routing_rule_delete(actor=yangzhou, rule=rule)
    assert not RoutingRule.objects.exists()
    assert LogEntry.objects.filter(content_type__model="routingrule", object_pk=str(pk)).count() == 3


@pytest.mark.parametrize(
    ("region", "category", "unit", "field"),
    [
        ("654025", "", "community", "region"),  # region outside the jurisdiction
        ("999999", "", "community", "region"),  # unknown region
        ("321002", "nonsense", "community", "category"),
        ("321002", "", "xy_hospital", "unit"),  # unit outside the rule's region
        ("321002001002", "", "community", "unit"),  # unit in another community
        ("321002001001", "health", "community", "category"),  # duplicate of the existing rule
    ],
)
def test_bad_rules_are_refused_with_the_field_and_nothing_saved(
    yangzhou: Any,
    community: Any,
    other_community: Any,
    xy_hospital: Any,
    region: str,
    category: str,
    unit: str,
    field: str,
) -> None:
    RoutingRule.objects.create(region_id="321002001001", category="health", unit=community)
    units = {"community": community, "xy_hospital": xy_hospital}
    with pytest.raises(ValidationError) as refused:
        config.routing_rule_save(actor=yangzhou, region=region, category=category, unit=units[unit])
    assert field in refused.value.message_dict
    assert RoutingRule.objects.count() == 1


def test_outsiders_cannot_see_or_change_a_rule(
    yangzhou: Any, xy_rule: Any, community_coordinator: Any, community: Any
) -> None:
    assert list(config.routing_rules_for(yangzhou)) == []
    with pytest.raises(Http404):
        config.routing_rule_get(user=yangzhou, pk=xy_rule.pk)
    with pytest.raises(Http404):
        config.routing_rule_delete(actor=yangzhou, rule=xy_rule)
    with pytest.raises(PermissionDenied):
        config.routing_rule_save(actor=community_coordinator, region="321002", category="", unit=community)
    assert RoutingRule.objects.get() == xy_rule


def test_national_rules_are_for_platform_administrators(yangzhou: Any) -> None:
    admin = make_user("admin-w14b", "platform_admin", None)
    sla = SlaRule.objects.create(kind="help", urgency="normal", sign_minutes=120, answer_minutes=2400)
    with pytest.raises(PermissionDenied):
        config.sla_rule_save(actor=yangzhou, rule=sla, sign_minutes=60, answer_minutes=600)
    with pytest.raises(ValidationError) as refused:
        config.sla_rule_save(actor=admin, rule=sla, sign_minutes=0, answer_minutes=-5)
    assert set(refused.value.message_dict) == {"sign_minutes", "answer_minutes"}
    sla.refresh_from_db()
    assert (sla.sign_minutes, sla.answer_minutes) == (120, 2400)
    config.sla_rule_save(actor=admin, rule=sla, sign_minutes=60, answer_minutes=600)
    sla.refresh_from_db()
    assert sla.sign_minutes == 60
    with pytest.raises(PermissionDenied):
        config.desk_settings_save(actor=yangzhou, values={"amber_percent": 30})
    with pytest.raises(ValidationError) as weights:
        config.desk_settings_save(
            actor=admin, values={"weight_resolution": 0, "weight_satisfaction": 0, "weight_on_time": 0}
        )
    assert "weight_resolution" in weights.value.message_dict
    assert not DeskSettings.objects.exists()
    assert config.desk_settings_save(actor=admin, values={"amber_percent": 30}).amber_percent == 30


def test_the_rule_pages_are_scoped_and_confirm_the_delete(
    client: Any, login: Any, yangzhou: Any, xinyuan: Any, community: Any, xy_rule: Any
) -> None:
    login(yangzhou)
    assert 'href="/residents/requests/rules/"' in client.get("/residents/requests/").content.decode()
    page = client.get("/residents/requests/rules/")
    assert page.status_code == 200 and "新源县人民医院" not in page.content.decode()
    assert client.get(f"/residents/requests/rules/{xy_rule.pk}/").status_code == 404
    assert (
        client.post(f"/residents/requests/rules/{xy_rule.pk}/delete/", {"confirmed": "1"}).status_code == 404
    )
    bad = client.post(
        "/residents/requests/rules/new/", {"region": "654025", "category": "", "unit": community.pk}
    )
    assert bad.status_code == 400 and "不在您的辖区内" in bad.content.decode()
    assert RoutingRule.objects.count() == 1
    made = client.post(
        "/residents/requests/rules/new/", {"region": "321002", "category": "", "unit": community.pk}
    )
    assert made.status_code == 302
    rule = RoutingRule.objects.get(region_id="321002")
    assert "琼花观社区" in client.get("/residents/requests/rules/").content.decode()
    asked = client.post(f"/residents/requests/rules/{rule.pk}/delete/")
    assert asked.status_code == 200 and RoutingRule.objects.filter(pk=rule.pk).exists()
    done = client.post(f"/residents/requests/rules/{rule.pk}/delete/", {"confirmed": "1"})
    assert done.status_code == 302 and not RoutingRule.objects.filter(pk=rule.pk).exists()
    login(xinyuan)
    assert "新源县人民医院" in client.get("/residents/requests/rules/").content.decode()


def test_the_rule_pages_refuse_coordinators(client: Any, login: Any, community_coordinator: Any) -> None:
    login(community_coordinator)
    assert client.get("/residents/requests/rules/").status_code == 403


def test_the_rule_api_is_scoped_and_refuses_bad_input(
    client: Any, login: Any, yangzhou: Any, community: Any, xy_rule: Any, xy_hospital: Any
) -> None:
    login(yangzhou)
    assert client.get("/api/request-rules").json()["count"] == 0

    def send(method: str, url: str, body: dict[str, Any]) -> Any:
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")

    assert (
        send(
            "put", f"/api/request-rules/{xy_rule.pk}", {"region": "654025", "unit_id": xy_hospital.pk}
        ).status_code
        == 404
    )
    assert client.delete(f"/api/request-rules/{xy_rule.pk}").status_code == 404
    bad = send("post", "/api/request-rules", {"region": "321002", "unit_id": xy_hospital.pk})
    assert bad.status_code == 422 and RoutingRule.objects.count() == 1
    made = send(
        "post", "/api/request-rules", {"region": "321002", "category": "housing", "unit_id": community.pk}
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["region"], body["category"], body["unit_id"]) == ("321002", "housing", community.pk)
    assert client.get("/api/request-rules").json()["count"] == 1
    changed = send("put", f"/api/request-rules/{body['id']}", {"region": "321002", "unit_id": community.pk})
    assert changed.status_code == 200 and changed.json()["category"] == ""
    assert client.delete(f"/api/request-rules/{body['id']}").status_code == 204
    assert RoutingRule.objects.count() == 1
    other = make_unit("510104", "成都某单位")
    assert send("post", "/api/request-rules", {"region": "5101", "unit_id": other.pk}).status_code == 422


def test_platform_administrators_enter_a_calendar_year_by_the_api(
    client: Any, login: Any, yangzhou: Any
) -> None:
    from shiliu.runtime.models import CalendarDay

    body = {
        "holidays": [{"day": "2027-01-01", "name": "元旦"}],
        "workdays": [{"day": "2027-02-20", "name": "春节调休"}],
    }
    login(yangzhou)
    refused = client.post("/api/calendar/2027", data=json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and not CalendarDay.objects.filter(day__year=2027).exists()
    login(make_user("admin-cal", "platform_admin", None))
    bad = {**body, "workdays": [{"day": "2027-02-22", "name": "周一"}]}  # a Monday
    answer = client.post("/api/calendar/2027", data=json.dumps(bad), content_type="application/json")
    assert answer.status_code == 422 and not CalendarDay.objects.filter(day__year=2027).exists()
    made = client.post("/api/calendar/2027", data=json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json() == {"year": 2027, "holidays": 1, "workdays": 1}
    assert CalendarDay.objects.filter(day__year=2027).count() == 2


def test_administrators_edit_sla_rules_and_desk_settings_on_pages(
    client: Any, login: Any, yangzhou: Any
) -> None:
    sla = SlaRule.objects.create(kind="help", urgency="normal", sign_minutes=120, answer_minutes=2400)
    login(yangzhou)
    assert client.get("/residents/requests/settings/").status_code == 403
    assert client.post(f"/residents/requests/settings/sla/{sla.pk}/", {"sign_minutes": 1}).status_code == 403
    login(make_user("admin-pages", "platform_admin", None))
    page = client.get("/residents/requests/settings/")
    assert page.status_code == 200 and "时限规则" in page.content.decode()
    bad = client.post(
        f"/residents/requests/settings/sla/{sla.pk}/", {"sign_minutes": 0, "answer_minutes": 60}
    )
    assert bad.status_code == 400 and "请输入大于 0 的分钟数" in bad.content.decode()
    sla.refresh_from_db()
    assert sla.sign_minutes == 120
    ok = client.post(
        f"/residents/requests/settings/sla/{sla.pk}/", {"sign_minutes": 60, "answer_minutes": 600}
    )
    assert ok.status_code == 302
    sla.refresh_from_db()
    assert (sla.sign_minutes, sla.answer_minutes) == (60, 600)
    values = {
        "unrated_days": 7,
        "unrated_counts_as": "satisfied",
        "followup_percent": 10,
        "weight_resolution": 0,
        "weight_satisfaction": 0,
        "weight_on_time": 0,
        "amber_percent": 25,
    }
    refused = client.post("/residents/requests/settings/", values)
    assert refused.status_code == 400 and not DeskSettings.objects.exists()
    saved = client.post(
        "/residents/requests/settings/", {**values, "weight_resolution": 50, "weight_on_time": 50}
    )
    assert saved.status_code == 302 and DeskSettings.current().weight_resolution == 50
