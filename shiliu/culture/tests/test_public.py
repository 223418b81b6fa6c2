"""Public pages: readable without login, only public items, never internal notes, contacts or drafts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from shiliu.culture import services

from .conftest import png_bytes, upload

pytestmark = pytest.mark.django_db

SECRETS = ("内部备注机密", "联系人张三", "13900001111", "草稿项目")


@pytest.fixture
def items(xinyuan: Any, make_item: Any) -> dict[str, Any]:
    public = make_item(
        xinyuan,
        "哈萨克族阿依特斯",
        "654025",
        groups=["17"],
        internal_note="内部备注机密",
        contact_name="联系人张三",
        contact_phone="13900001111",
    )
    internal = make_item(xinyuan, "内部资料", "654025", visibility="internal")
    draft = make_item(xinyuan, "草稿项目", "654025", visibility="draft")
    image = services.media_add(actor=xinyuan, item=public, kind="image", upload=upload("a.png", png_bytes()))
    hidden_image = services.media_add(
        actor=xinyuan, item=draft, kind="image", upload=upload("b.png", png_bytes())
    )
    return {
        "public": public,
        "internal": internal,
        "draft": draft,
        "image": image,
        "hidden_image": hidden_image,
    }


def _text(response: Any) -> str:
    return response.content.decode()


def test_the_gallery_is_readable_without_login_and_shows_only_public_items(client: Any, items: Any) -> None:
    response = client.get(reverse("culture:public_gallery"))
    assert response.status_code == 200
    body = _text(response)
    assert "哈萨克族阿依特斯" in body
    assert "内部资料" not in body
    for secret in SECRETS:
        assert secret not in body


def test_the_public_item_page_shows_media_and_licence_but_no_internal_fields(client: Any, items: Any) -> None:
    response = client.get(reverse("culture:public_item", args=[items["public"].pk]))
    assert response.status_code == 200
    body = _text(response)
    assert reverse("culture:media_thumb", args=[items["image"].pk]) in body
    assert "CC BY-NC 4.0" in body
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.parametrize("which", ["internal", "draft"])
def test_non_public_items_are_404_publicly(client: Any, items: Any, which: str) -> None:
    assert client.get(reverse("culture:public_item", args=[items[which].pk])).status_code == 404


def test_public_search_does_not_find_drafts_or_internal_words(client: Any, items: Any) -> None:
    for query in ("草稿", "内部", "机密", "张三"):
        body = _text(client.get(reverse("culture:public_gallery"), {"q": query}))
        assert "哈萨克族阿依特斯" not in body and "草稿项目" not in body


def test_media_of_a_public_item_is_served_to_anyone(client: Any, items: Any) -> None:
    response = client.get(reverse("culture:media_thumb", args=[items["image"].pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(
        b"\xff\xd8\xff"
    )  # an opaque PNG is stored as a JPEG


def test_media_of_a_draft_is_404_for_anonymous_and_outsiders(
    client: Any, items: Any, login: Any, outsider: Any, xinyuan: Any
) -> None:
    url = reverse("culture:media_file", args=[items["hidden_image"].pk])
    assert client.get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert login(xinyuan).get(url).status_code == 200


def test_the_map_counts_public_items_only(client: Any, items: Any) -> None:
    response = client.get(reverse("culture:public_map"))
    assert response.status_code == 200
    assert response.context["prefectures"] == [{"code": "6540", "name": "伊犁哈萨克自治州", "count": 1}]
    assert response.context["chart"]["rows"] == [{"name": "新疆", "value": 1}]


def test_working_pages_need_a_login(client: Any, items: Any) -> None:
    for url in (
        reverse("culture:home"),
        reverse("culture:item", args=[items["public"].pk]),
        reverse("culture:lectures"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_jurisdiction_gets_404_on_an_item(login: Any, outsider: Any, items: Any) -> None:
    client = login(outsider)
    for name in ("culture:item", "culture:item_edit", "culture:media_add"):
        assert client.get(reverse(name, args=[items["draft"].pk])).status_code == 404


def test_staff_see_internal_fields_on_the_working_page(login: Any, xinyuan: Any, items: Any) -> None:
    body = _text(login(xinyuan).get(reverse("culture:item", args=[items["public"].pk])))
    assert "内部备注机密" in body and "13900001111" in body


def test_exhibitions_follow_the_scope_and_visibility(
    client: Any, login: Any, xinyuan: Any, outsider: Any
) -> None:
    from shiliu.regions.models import Region

    draft = services.exhibition_save(
        actor=xinyuan,
        data={
            "title": "筹备中的巡展",
            "region": Region.objects.get(code="654025"),
            "credit": "新源县博物馆",
            "licence": "cc-by-4.0",
        },
    )
    assert client.get(reverse("culture:public_exhibition", args=[draft.pk])).status_code == 404
    assert login(outsider).get(reverse("culture:exhibition", args=[draft.pk])).status_code == 404
    assert "筹备中的巡展" not in login(outsider).get(reverse("culture:exhibitions")).content.decode()
    assert login(xinyuan).get(reverse("culture:exhibition", args=[draft.pk])).status_code == 200


def test_the_upload_form_shows_a_refused_file_next_to_the_field(login: Any, xinyuan: Any, items: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"GIF89a not really", content_type="image/png")
    response = login(xinyuan).post(
        reverse("culture:media_add", args=[items["public"].pk]), {"kind": "image", "upload": fake}
    )
    assert response.status_code == 400
    assert "PNG" in str(response.context["form"].errors["upload"])
    assert items["public"].media.count() == 1  # only the fixture's image


def test_a_page_number_too_large_for_the_database_gives_a_page_not_an_error(client: Any, items: Any) -> None:
    huge = "9" * 25
    for query in (f"?page={huge}", f"?q=ayitesi&page={huge}"):
        response = client.get(reverse("culture:public_gallery") + query)
        assert response.status_code == 200
        assert "哈萨克族阿依特斯" not in _text(response)  # past the last page, nothing listed
