"""Pages of the request desk: the resident's form and tracking page (no personal data), the staff's queue, actions,
metrics and calendar, and isolation from another jurisdiction."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import make_user
from shiliu.residents.requests.models import RoutingRule, ServiceRequest, Status

PHONE = "13912345678"


@pytest.fixture
def routed(community: Any) -> Any:
    RoutingRule.objects.create(region_id="321002001001", category="", unit=community)
    return community


def _post_request(client: Any, unit: Any, **extra: Any) -> Any:
    data = {
        "kind": "help",
        "category": "employment",
        "community": unit.pk,
        "description": "工地拖欠工资三个月，希望帮助讨薪",
        "urgency": "normal",
        "phone": PHONE,
        "origin": "654025",
        **extra,
    }
    return client.post(reverse("residents:requests:new"), data)


def test_a_resident_files_without_an_account_and_follows_it_without_personal_data(
    client: Any, routed: Any
) -> None:
    page = client.get(reverse("residents:requests:new"))
    assert page.status_code == 200 and b"manifest" in page.content
    # The category select reads "请选择…" like the community's, not a blank line.
    assert page.content.decode().count('<option value="" selected>请选择…</option>') == 2
    # The service worker that keeps the form page for offline use is served from the form's own scope.
    worker_url = reverse("residents:requests:service_worker")
    assert f'data-service-worker="{worker_url}"' in page.content.decode()
    worker = client.get(worker_url)
    assert worker.status_code == 200 and worker["Content-Type"].startswith("text/javascript")
    assert b"caches.match" in worker.content and b"request.method !== 'GET'" in worker.content
    response = _post_request(client, routed)
    filed = ServiceRequest.objects.get()
    assert response.status_code == 302 and filed.tracking_number in response["Location"]
    public = client.get(response["Location"]).content.decode()
    assert filed.tracking_number in public
    for secret in (PHONE, "139****5678", "拖欠工资", routed.name):
        assert secret not in public


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"category": ""}, "category"),
        ({"community": ""}, "community"),
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_the_form_refuses_bad_input_and_saves_nothing(
    client: Any, routed: Any, extra: dict[str, Any], message: str
) -> None:
    response = _post_request(client, routed, **extra)
    assert response.status_code == 400
    assert message in response.context["form"].errors
    assert ServiceRequest.objects.count() == 0


def test_staff_act_on_a_request_and_an_outsider_gets_404(
    client: Any, login: Any, routed: Any, community_coordinator: Any
) -> None:
    _post_request(client, routed)
    filed = ServiceRequest.objects.get()
    login(community_coordinator)
    queue = client.get(reverse("residents:requests:queue"))
    assert filed.tracking_number in queue.content.decode() and b'data-colour="green"' in queue.content
    response = client.post(reverse("residents:requests:act", args=[filed.pk, "sign"]), {})
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.status == Status.SIGNED
    bad = client.post(reverse("residents:requests:act", args=[filed.pk, "answer"]), {"answer-reply": ""})
    assert bad.status_code == 400
    filed.refresh_from_db()
    assert filed.status == Status.SIGNED
    outsider = make_user("cd_staff", "commission_staff", "5101")
    login(outsider)
    for url in (
        reverse("residents:requests:detail", args=[filed.pk]),
        reverse("residents:requests:act", args=[filed.pk, "sign"]),
    ):
        assert client.get(url).status_code in (404, 405)
    assert client.post(reverse("residents:requests:act", args=[filed.pk, "sign"])).status_code == 404
    assert filed.tracking_number not in client.get(reverse("residents:requests:queue")).content.decode()
    metrics = client.get(reverse("residents:requests:metrics")).content.decode()
    assert "琼花观社区" not in metrics


def test_the_metrics_page_writes_its_formulas_and_exports(
    client: Any, login: Any, routed: Any, yangzhou: Any
) -> None:
    _post_request(client, routed)
    login(yangzhou)
    page = client.get(reverse("residents:requests:metrics"))
    assert page.status_code == 200 and b'data-testid="formulas"' in page.content
    assert "琼花观社区" in page.content.decode()
    export = client.get(reverse("residents:requests:metrics_export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    # A bad period is refused with the page's field message, not exported as if there were no filter.
    bad = client.get(
        reverse("residents:requests:metrics_export"), {"start": "2026-05-01", "end": "2026-04-01"}
    )
    assert bad.status_code == 400 and "结束日期早于开始日期" in bad.content.decode()
    assert not bad["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_administrator_enters_the_next_years_calendar(
    client: Any, login: Any, admin_user: Any, yangzhou: Any
) -> None:
    from shiliu.runtime.models import CalendarDay, CalendarYear

    url = reverse("residents:requests:calendar")
    login(yangzhou)
    assert client.get(url).status_code == 403
    login(admin_user)
    page = client.get(url)
    assert b'data-testid="calendar-missing"' in page.content  # 2027 is not known
    bad = client.post(url, {"year": 2027, "holidays": "2027-13-01 元旦", "workdays": ""})
    assert bad.status_code == 400 and not CalendarYear.objects.filter(year=2027).exists()
    weekday_makeup = client.post(
        url, {"year": 2027, "holidays": "2027-01-01 元旦", "workdays": "2027-01-04 元旦"}
    )
    assert weekday_makeup.status_code == 400
    ok = client.post(
        url,
        {
            "year": 2027,
            "holidays": "2027-01-01 元旦\n2027-02-06..2027-02-12 春节",
            "workdays": "2027-02-13 春节",
        },
    )
    assert ok.status_code == 302
    assert CalendarDay.objects.filter(day__year=2027, is_workday=False).count() == 8
    assert CalendarYear.objects.filter(year=2027).exists()
