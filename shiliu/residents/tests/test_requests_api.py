"""The request desk's API: scoped like the pages, the loop's actions, and the signed, idempotent 12345 intake."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import make_user
from shiliu.residents.requests import hotline
from shiliu.residents.requests.models import RoutingRule, ServiceRequest


@pytest.fixture
def routed(community: Any) -> Any:
    RoutingRule.objects.create(region_id="321002001001", category="", unit=community)
    return community


def _order(number: str = "YZ-0001") -> dict[str, Any]:
    return {
        "order_number": number,
        "received_at": "2026-11-20T10:00:00+08:00",
        "kind": "complaint",
        "category": "housing",
        "community_region": "321002001001",
        "description": "出租屋漏水，房东不修",
        "phone": "13912345678",
    }


def _post_order(client: Any, body: dict[str, Any], signature: str | None = None) -> Any:
    raw = json.dumps(body).encode()
    return client.post(
        "/api/hotline/orders",
        data=raw,
        content_type="application/json",
        headers={"X-Signature": signature if signature is not None else hotline.signature_of(raw)},
    )


def test_the_hotline_intake_is_signed_and_idempotent(client: Any, routed: Any, settings: Any) -> None:
    settings.SHILIU_HOTLINE_SECRET = "test-secret"
    assert _post_order(client, _order(), signature="00" * 32).status_code == 403
    assert ServiceRequest.objects.count() == 0
    first = _post_order(client, _order())
    again = _post_order(client, _order())
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    assert ServiceRequest.objects.get().hotline_order_number == "YZ-0001"
    bad = _post_order(client, {**_order("YZ-0002"), "community_region": "510104001001"})
    assert bad.status_code == 422 and ServiceRequest.objects.count() == 1


def test_the_api_is_scoped_like_the_pages(
    client: Any, login: Any, routed: Any, community_coordinator: Any, settings: Any
) -> None:
    settings.SHILIU_HOTLINE_SECRET = "test-secret"
    _post_order(client, _order())
    filed = ServiceRequest.objects.get()
    login(community_coordinator)
    listing = client.get("/api/requests").json()
    assert listing["count"] == 1 and listing["items"][0]["phone"] == "139****5678"
    signed = client.post(f"/api/requests/{filed.pk}/sign", data="{}", content_type="application/json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    refused = client.post(
        f"/api/requests/{filed.pk}/answer", data=json.dumps({"reply": ""}), content_type="application/json"
    )
    assert refused.status_code == 422
    login(make_user("cd_staff", "commission_staff", "5101"))
    assert client.get("/api/requests").json()["count"] == 0
    assert client.get(f"/api/requests/{filed.pk}").status_code == 404
    assert (
        client.post(f"/api/requests/{filed.pk}/sign", data="{}", content_type="application/json").status_code
        == 404
    )
    login(make_user("resident1", "resident", "321002"))
    assert client.get("/api/requests").status_code == 403


def test_a_days_orders_are_imported_once_from_excel(
    client: Any, login: Any, routed: Any, yangzhou: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from shiliu.lib.downloads import append_row, workbook_bytes
    from shiliu.residents.requests.imports import HEADERS, SHEET_TITLE

    def upload(rows: list[list[str]]) -> Any:
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET_TITLE
        append_row(ws, HEADERS)
        for row in rows:
            append_row(ws, row)
        return SimpleUploadedFile("orders.xlsx", workbook_bytes(wb))

    good = ["YZ-1", "2026-11-20 09:30", "求助", "就业", "一般", "321002001001", "工地拖欠工资", "13912345678"]
    bad = ["YZ-2", "2026-11-20 09:30", "求救", "就业", "一般", "321002001001", "工地拖欠工资", "13912345678"]
    login(yangzhou)
    url = "/residents/requests/hotline/import/"
    response = client.post(url, {"file": upload([good, bad])})
    assert response.status_code == 302
    job = client.get(response["Location"]).context["job"]
    assert job.status == "checked" and job.problems[0]["row"] == 3 and job.problems[0]["column"] == "诉求类型"
    assert ServiceRequest.objects.count() == 0
    client.post(url, {"file": upload([good])})
    again = client.get(client.post(url, {"file": upload([good])})["Location"]).context["job"]
    assert again.status == "done" and again.skipped_count == 1 and ServiceRequest.objects.count() == 1


def test_public_tracking_and_rating_by_number_show_no_personal_data(
    client: Any, routed: Any, settings: Any
) -> None:
    from shiliu.lib import clock
    from shiliu.residents.requests.models import Status

    settings.SHILIU_HOTLINE_SECRET = "test-secret"
    number = _post_order(client, _order()).json()["tracking_number"]
    tracked = client.get(f"/api/tracking/{number.lower()}")
    assert tracked.status_code == 200 and tracked.json()["tracking_number"] == number
    body = tracked.content.decode()
    assert "13912345678" not in body and "漏水" not in body and "****" not in body
    assert tracked.json()["timeline"] and tracked.json()["can_rate"] is False
    assert client.get("/api/tracking/S000000ZZZZZZ").status_code == 404
    url = f"/api/tracking/{number}/rating"
    rate = {"rating": "satisfied", "phone": "13912345678"}
    early = client.post(url, rate, content_type="application/json")
    assert early.status_code == 422 and "rating" in early.json()["errors"]
    ServiceRequest.objects.filter(tracking_number=number).update(status=Status.CLOSED, closed_at=clock.now())
    wrong = client.post(url, {**rate, "phone": "13800000000"}, content_type="application/json")
    assert wrong.status_code == 422 and not ServiceRequest.objects.get().rating
    done = client.post(url, rate, content_type="application/json")
    assert done.status_code == 200 and done.json()["rated"] is True and done.json()["status"] == "rated"
    again = client.post(url, {**rate, "rating": "dissatisfied"}, content_type="application/json")
    assert again.status_code == 422 and ServiceRequest.objects.get().rating == "satisfied"
