"""Library items, their media and the upload checks."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shiliu.culture import services
from shiliu.culture.models import Item, Media
from shiliu.regions.models import Region

from .conftest import png_bytes, upload

pytestmark = pytest.mark.django_db


def test_it_saves_a_heritage_item_with_its_search_words(xinyuan: Any, make_item: Any) -> None:
    item = make_item(xinyuan, "哈萨克族阿依特斯", "654025", groups=["17"], summary="阿肯弹唱，即兴对唱")
    item.refresh_from_db()
    assert "阿依特斯" in item.search_title.split()
    assert "ayts" in item.search_title.split()  # initials
    assert "哈萨克族" in item.search_text.split()  # the ethnic group's name
    assert "xinyuanxian" in item.search_text.split()  # the region's pinyin


def test_it_never_indexes_the_internal_note_or_contact(xinyuan: Any, make_item: Any) -> None:
    item = make_item(xinyuan, "冬不拉制作技艺", "654025", internal_note="秘密备注", contact_name="努尔兰")
    item.refresh_from_db()
    assert "秘密" not in item.search_text and "努尔兰" not in item.search_text


def test_it_refuses_dates_out_of_order(xinyuan: Any, make_item: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_item(
            xinyuan, "黑走马", "654025", created_from=dt.date(2020, 5, 1), created_to=dt.date(2019, 1, 1)
        )
    assert "created_to" in exc.value.message_dict
    assert not Item.objects.exists()


def test_it_requires_category_and_level_of_heritage(xinyuan: Any, make_item: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        make_item(xinyuan, "毡绣", "654025", category="", level="")
    assert {"category", "level"} <= set(exc.value.message_dict)


def test_only_staff_of_the_region_edit(yangzhou: Any, xinyuan_coordinator: Any, make_item: Any) -> None:
    with pytest.raises(PermissionDenied):
        make_item(yangzhou, "阿依特斯", "654025")
    with pytest.raises(PermissionDenied):
        make_item(xinyuan_coordinator, "阿依特斯", "654025")


def test_images_are_reencoded_without_metadata_and_get_a_thumbnail(xinyuan: Any, make_item: Any) -> None:
    from PIL import Image

    item = make_item(xinyuan, "花毡", "654025")
    media = services.media_add(
        actor=xinyuan, item=item, kind="image", upload=upload("photo.jpg", png_bytes((800, 600), exif=True))
    )
    with media.file.open("rb") as f:
        data = f.read()
    assert b"secret description" not in data
    stored = Image.open(io.BytesIO(data))
    assert not stored.getexif()
    with media.thumbnail.open("rb") as f:
        thumb = Image.open(io.BytesIO(f.read()))
    assert max(thumb.size) <= 320


def test_it_refuses_a_file_that_is_not_what_it_claims(xinyuan: Any, make_item: Any) -> None:
    item = make_item(xinyuan, "花毡", "654025")
    with pytest.raises(ValidationError) as exc:
        services.media_add(
            actor=xinyuan, item=item, kind="image", upload=upload("photo.png", b"MZ\x90\x00 not an image")
        )
    assert "PNG" in str(exc.value.message_dict["upload"])
    with pytest.raises(ValidationError):
        services.media_add(actor=xinyuan, item=item, kind="document", upload=upload("a.pdf", png_bytes()))
    with pytest.raises(ValidationError):  # a PNG signature followed by garbage does not decode
        services.media_add(
            actor=xinyuan, item=item, kind="image", upload=upload("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
        )
    assert not Media.objects.exists()


def test_a_document_that_only_starts_like_a_pdf_is_refused_and_a_pdf_is_kept(
    xinyuan: Any, make_item: Any
) -> None:
    item = make_item(xinyuan, "花毡", "654025")
    fake = upload("a.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as exc:
        services.media_add(actor=xinyuan, item=item, kind="document", upload=fake)
    assert "PDF" in str(exc.value.message_dict["upload"])
    assert not Media.objects.exists()
    real = upload(
        "b.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    media = services.media_add(actor=xinyuan, item=item, kind="document", upload=real)
    assert media.file.read().endswith(b"%%EOF\n")


def test_it_refuses_an_oversize_image(xinyuan: Any, make_item: Any) -> None:
    item = make_item(xinyuan, "花毡", "654025")
    big = upload("big.png", png_bytes() + b"\0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        services.media_add(actor=xinyuan, item=item, kind="image", upload=big)
    assert "10 MB" in str(exc.value.message_dict["upload"])


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "vbscript:x",
        "//evil.example",
        "ftp://x.example/a",
    ],
)
def test_it_refuses_script_scheme_and_other_links(xinyuan: Any, make_item: Any, url: str) -> None:
    item = make_item(xinyuan, "花毡", "654025")
    with pytest.raises(ValidationError) as exc:
        services.media_add(actor=xinyuan, item=item, kind="video", url=url)
    assert "url" in exc.value.message_dict
    assert not Media.objects.exists()


def test_it_accepts_an_https_video_link(xinyuan: Any, make_item: Any) -> None:
    item = make_item(xinyuan, "黑走马", "654025")
    media = services.media_add(actor=xinyuan, item=item, kind="video", url="https://v.example.cn/heizouma")
    assert media.url == "https://v.example.cn/heizouma"


def test_venue_dates_and_visitors_are_checked(xinyuan: Any) -> None:
    exhibition = services.exhibition_save(
        actor=xinyuan,
        data={
            "title": "流动博物馆",
            "region": Region.objects.get(code="654025"),
            "is_touring": True,
            "credit": "新源县博物馆",
            "visibility": "public",
            "licence": "cc-by-4.0",
        },
    )
    data = {
        "name": "那拉提镇文化站",
        "region": Region.objects.get(code="654025"),
        "opens_on": dt.date(2026, 5, 2),
        "closes_on": dt.date(2026, 5, 1),
        "visitors": -3,
    }
    with pytest.raises(ValidationError) as exc:
        services.venue_add(actor=xinyuan, exhibition=exhibition, data=data)
    assert {"closes_on", "visitors"} <= set(exc.value.message_dict)
    assert not exhibition.venues.exists()


def test_staff_edit_and_delete_an_exhibition_after_confirming_and_others_get_404(
    login: Any, xinyuan: Any, yangzhou: Any
) -> None:
    from auditlog.models import LogEntry

    from shiliu.culture.models import Exhibition

    region = Region.objects.get(code="654025")
    exhibition = services.exhibition_save(
        actor=xinyuan,
        data={
            "title": "流动博物馆",
            "region": region,
            "is_exhibition": True,
            "licence": "cc-by-4.0",
            "credit": "新源县文化馆",
        },
    )
    services.venue_add(
        actor=xinyuan,
        exhibition=exhibition,
        data={
            "name": "那拉提镇",
            "region": region,
            "opens_on": dt.date(2026, 5, 1),
            "closes_on": dt.date(2026, 5, 9),
            "visitors": 300,
        },
    )
    edit = reverse("culture:exhibition_edit", args=[exhibition.pk])
    delete = reverse("culture:exhibition_delete", args=[exhibition.pk])
    client = login(yangzhou)
    assert client.get(edit).status_code == 404
    assert client.post(delete, {"confirmed": "1"}).status_code == 404
    client = login(xinyuan)
    form = {
        "title": "流动博物馆·新源站",
        "region": "654025",
        "is_exhibition": "on",
        "visibility": "public",
        "licence": "cc-by-4.0",
        "credit": "新源县文化馆",
    }
    assert client.post(edit, form).status_code == 302
    exhibition.refresh_from_db()
    assert (exhibition.title, exhibition.visibility) == ("流动博物馆·新源站", "public")
    asking = client.post(delete)  # the first post only asks
    assert asking.status_code == 200
    assert "1 个展出地点" in asking.content.decode()
    assert Exhibition.objects.filter(pk=exhibition.pk).exists()
    assert client.post(delete, {"confirmed": "1"}).status_code == 302
    assert not Exhibition.objects.filter(pk=exhibition.pk).exists()
    assert LogEntry.objects.filter(object_pk=str(exhibition.pk), action=LogEntry.Action.DELETE).exists()
