"""The culture API: scoped reads, public endpoints for public items only, bad input refused."""

from __future__ import annotations

from typing import Any

import pytest

from shiliu.culture.models import Item, Lecture, Media

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(xinyuan: Any, make_item: Any) -> dict[str, Any]:
    return {
        "public": make_item(
            xinyuan,
            "哈萨克族阿依特斯",
            "654025",
            groups=["17"],
            internal_note="机密备注",
            contact_name="张三",
        ),
        "draft": make_item(xinyuan, "草稿项目", "654025", visibility="draft"),
    }


def test_public_search_needs_no_login_and_shows_public_fields_only(client: Any, items: Any) -> None:
    response = client.get("/api/culture/public/items", {"q": "ayitesi"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == "哈萨克族阿依特斯"
    assert "internal_note" not in body["items"][0] and "contact_name" not in body["items"][0]
    assert "机密" not in response.content.decode() and "张三" not in response.content.decode()
    assert client.get("/api/culture/public/items", {"q": "草稿"}).json()["count"] == 0


def test_a_draft_is_404_on_the_public_api(client: Any, items: Any) -> None:
    assert client.get(f"/api/culture/public/items/{items['draft'].pk}").status_code == 404
    assert client.get(f"/api/culture/public/items/{items['draft'].pk}/media").status_code == 404
    assert client.get(f"/api/culture/public/items/{items['public'].pk}").status_code == 200


def test_the_working_api_is_scoped(
    login: Any, items: Any, outsider: Any, xinyuan: Any, resident: Any, client: Any
) -> None:
    assert client.get("/api/culture/items").status_code == 401
    assert login(outsider).get("/api/culture/items").json()["count"] == 0
    assert login(outsider).get(f"/api/culture/items/{items['draft'].pk}").status_code == 404
    assert login(resident).get("/api/culture/items").status_code == 403
    body = login(xinyuan).get("/api/culture/items", {"ethnic_group": "17"}).json()
    assert body["count"] == 1 and body["items"][0]["internal_note"] == "机密备注"
    assert body["facets"]["ethnic_group"][0]["label"] == "哈萨克族"


def test_creating_an_item_checks_dates_and_scope(login: Any, xinyuan: Any, yangzhou: Any) -> None:
    payload = {
        "title": "黑走马",
        "category": "dance",
        "level": "provincial",
        "region": "654025",
        "licence": "cc-by-4.0",
        "credit": "新源县文化馆",
        "created_from": "2020-05-01",
        "created_to": "2019-01-01",
    }
    response = login(xinyuan).post("/api/culture/items", payload, content_type="application/json")
    assert response.status_code == 422 and "created_to" in response.json()["errors"]
    assert (
        login(yangzhou)
        .post("/api/culture/items", {**payload, "created_to": None}, content_type="application/json")
        .status_code
        == 403
    )
    created = login(xinyuan).post(
        "/api/culture/items", {**payload, "created_to": None}, content_type="application/json"
    )
    assert created.status_code == 201
    assert Item.objects.count() == 1


def test_a_script_link_is_refused(login: Any, xinyuan: Any, items: Any) -> None:
    url = f"/api/culture/items/{items['public'].pk}/links"
    bad = login(xinyuan).post(
        url, {"kind": "video", "url": "javascript:alert(1)"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "url" in bad.json()["errors"]
    assert not Media.objects.exists()


def test_a_negative_audience_is_refused(login: Any, xinyuan: Any) -> None:
    from shiliu.culture import lectures
    from shiliu.regions.models import Region

    series = lectures.series_save(
        actor=xinyuan, data={"title": "视频大宣讲", "region": Region.objects.get(code="654025")}
    )
    payload = {
        "series_id": series.pk,
        "topic": "t",
        "speaker": "s",
        "held_on": "2026-03-01",
        "region": "654025",
        "venue": "v",
        "attendance": -1,
    }
    assert (
        login(xinyuan).post("/api/culture/lectures", payload, content_type="application/json").status_code
        == 422
    )
    ok = login(xinyuan).post(
        "/api/culture/lectures", {**payload, "attendance": 50, "views": 10}, content_type="application/json"
    )
    assert ok.status_code == 201
    reach = login(xinyuan).get("/api/culture/lectures/reach", {"year": 2026}).json()
    assert reach["total"]["sessions"] == 1 and reach["total"]["people"] == 60
    assert Lecture.objects.count() == 1
