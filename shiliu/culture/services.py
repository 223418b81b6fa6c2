"""Writes of the library: items, their bearers and media, exhibitions and their venues. Only commission staff
(and platform admins) whose jurisdiction covers the record's region write; every write is validated here, in one
transaction, and audited (django-auditlog, registered in apps.py)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.jurisdiction.party import staff_covers
from shiliu.lib.links import check_link
from shiliu.lib.uploads import (
    IMAGES,
    MAX_DOCUMENT_BYTES,
    MAX_PHOTO_BYTES,
    PDF,
    check_document,
    reencode_image,
)
from shiliu.regions.models import Region

from . import search
from .models import Bearer, Exhibition, Item, Kind, Media, MediaKind, Venue

ITEM_FIELDS = (
    "kind",
    "title",
    "category",
    "level",
    "heritage_number",
    "region",
    "organization",
    "summary",
    "creators",
    "created_from",
    "created_to",
    "licence",
    "credit",
    "visibility",
    "internal_note",
    "contact_name",
    "contact_phone",
)


def require_editor(actor: Any, region_code: str | None) -> None:
    if not region_code or not staff_covers(actor, region_code):
        raise PermissionDenied(_("Only commission staff of this region may change the library."))


def region_places(code: str) -> list[tuple[str, str, str]]:
    prefixes = {code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n}
    return list(
        Region.objects.filter(code__in=prefixes).order_by("code").values_list("name", "pinyin", "initials")
    )


def item_search_columns(item: Item) -> tuple[str, str]:
    """The item's search columns from its public fields only (never the internal note or the contact)."""
    others = [
        item.summary,
        item.creators,
        item.heritage_number,
        str(item.get_kind_display()),
        str(item.get_category_display()) if item.category else "",
        str(item.get_level_display()) if item.level else "",
    ]
    if item.pk:
        others.extend(b.name for b in item.bearers.all())
        others.extend(g.name for g in item.ethnic_groups.all())
    return search.index_texts(title=item.title, others=others, places=region_places(item.region_id or ""))


def item_reindex(*, item: Item) -> None:
    """Recompute the item's search columns (the databases' indexes follow: triggers, a generated column)."""
    title, text = item_search_columns(item)
    Item.objects.filter(pk=item.pk).update(search_title=title, search_text=text)
    item.search_title, item.search_text = title, text


def rebuild_index(*, batch: int = 1000) -> tuple[int, int]:
    """Recompute the search columns of every item, a batch per transaction, writing only those that changed;
    on SQLite the full-text table is then rebuilt from the columns. Returns (items seen, items changed)."""
    from django.db import connection

    places: dict[str, list[tuple[str, str, str]]] = {}
    seen = changed = 0
    last = 0
    while True:
        rows = list(
            Item.objects.filter(pk__gt=last)
            .order_by("pk")
            .prefetch_related("bearers", "ethnic_groups")[:batch]
        )
        if not rows:
            break
        dirty = []
        for item in rows:
            code = item.region_id or ""
            if code not in places:
                places[code] = region_places(code)
            others = [
                item.summary,
                item.creators,
                item.heritage_number,
                str(item.get_kind_display()),
                str(item.get_category_display()) if item.category else "",
                str(item.get_level_display()) if item.level else "",
                *(b.name for b in item.bearers.all()),
                *(g.name for g in item.ethnic_groups.all()),
            ]
            title, text = search.index_texts(title=item.title, others=others, places=places[code])
            if (title, text) != (item.search_title, item.search_text):
                item.search_title, item.search_text = title, text
                dirty.append(item)
        with transaction.atomic():
            Item.objects.bulk_update(dirty, ["search_title", "search_text"], batch_size=500)
        seen += len(rows)
        changed += len(dirty)
        last = rows[-1].pk
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO culture_item_fts(culture_item_fts) VALUES ('rebuild')")
    return seen, changed


def _check_item(item: Item) -> None:
    errors: dict[str, list[str]] = {}
    if item.created_from and item.created_to and item.created_to < item.created_from:
        errors["created_to"] = [_("The end date is before the start date.")]
    if item.kind == Kind.HERITAGE:
        if not item.category:
            errors["category"] = [_("A heritage item needs its category.")]
        if not item.level:
            errors["level"] = [_("A heritage item needs its level.")]
    if errors:
        raise ValidationError(errors)
    item.full_clean(exclude=["search_title", "search_text"])


@transaction.atomic
def item_save(
    *, actor: Any, data: dict[str, Any], ethnic_groups: Any = None, item: Item | None = None
) -> Item:
    """Create an item or change one; ``data`` holds model fields by name (region as a Region)."""
    if item is not None:
        require_editor(actor, item.region_id)
    item = item or Item(created_by=actor)
    for name, value in data.items():
        if name in ITEM_FIELDS:
            setattr(item, name, value)
    require_editor(actor, item.region_id)
    _check_item(item)
    item.save()
    if ethnic_groups is not None:
        item.ethnic_groups.set(ethnic_groups)
    item_reindex(item=item)
    return item


@transaction.atomic
def bearer_add(
    *, actor: Any, item: Item, name: str, level: str, recognised_year: int | None = None
) -> Bearer:
    require_editor(actor, item.region_id)
    bearer = Bearer(item=item, name=name.strip(), level=level, recognised_year=recognised_year)
    bearer.full_clean()
    bearer.save()
    item_reindex(item=item)
    return bearer


def _check_pdf_end(upload: Any) -> None:
    """A PDF ends with its end-of-file marker (within the last kilobyte): a page or script that only starts with
    "%PDF-" to pass the type check is refused."""
    size = getattr(upload, "size", None) or 0
    upload.seek(max(0, size - 1024))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError({"upload": _("Upload a PDF document; this file is not one.")})


@transaction.atomic
def media_add(
    *,
    actor: Any,
    item: Item,
    kind: str,
    upload: Any = None,
    url: str = "",
    caption: str = "",
    credit: str = "",
) -> Media:
    """Add a medium to an item. Images: PNG or JPEG by content (not by name), at most 10 MB, decoded and encoded
    again without metadata, with a thumbnail. Documents: PDF by content, at most 20 MB. Audio and video: http(s)
    links only (``javascript:`` and other schemes are refused)."""
    require_editor(actor, item.region_id)
    media = Media(item=item, kind=kind, caption=caption.strip(), credit=credit.strip())
    stem = uuid.uuid4().hex
    if kind == MediaKind.IMAGE:
        if upload is None:
            raise ValidationError({"upload": _("Choose an image to upload.")})
        check_document(upload, allowed=IMAGES, field="upload", max_bytes=MAX_PHOTO_BYTES)
        full, thumb, ext = reencode_image(upload, field="upload")
        media.file.save(f"{stem}.{ext}", ContentFile(full), save=False)
        media.thumbnail.save(f"{stem}-thumb.{ext}", ContentFile(thumb), save=False)
    elif kind == MediaKind.DOCUMENT:
        if upload is None:
            raise ValidationError({"upload": _("Choose a PDF document to upload.")})
        # PDF only: images go in as images, re-encoded.
        check_document(upload, allowed=PDF, field="upload", max_bytes=MAX_DOCUMENT_BYTES)
        _check_pdf_end(upload)
        upload.seek(0)
        media.file.save(f"{stem}.pdf", ContentFile(upload.read()), save=False)
    elif kind in (MediaKind.AUDIO, MediaKind.VIDEO):
        link = check_link(url, field="url")
        if not link:
            raise ValidationError({"url": _("Enter the link (http:// or https://).")})
        media.url = link
    else:
        raise ValidationError({"kind": _("Choose the kind of medium.")})
    media.order = item.media.count() + 1
    media.full_clean(exclude=["file", "thumbnail"])
    media.save()
    return media


@transaction.atomic
def exhibition_save(
    *, actor: Any, data: dict[str, Any], items: Any = None, exhibition: Exhibition | None = None
) -> Exhibition:
    if exhibition is not None:
        require_editor(actor, exhibition.region_id)
    exhibition = exhibition or Exhibition()
    for name in (
        "title",
        "description",
        "region",
        "is_exhibition",
        "is_touring",
        "visibility",
        "licence",
        "credit",
    ):
        if name in data:
            setattr(exhibition, name, data[name])
    require_editor(actor, exhibition.region_id)
    exhibition.full_clean()
    exhibition.save()
    if items is not None:
        exhibition.items.set(items)
    return exhibition


@transaction.atomic
def exhibition_delete(*, actor: Any, exhibition: Exhibition) -> None:
    """Delete an exhibition or collection with its venues (the items stay in the library); audited."""
    require_editor(actor, exhibition.region_id)
    exhibition.delete()


@transaction.atomic
def venue_add(*, actor: Any, exhibition: Exhibition, data: dict[str, Any]) -> Venue:
    """A stop of an exhibition: its dates in order, visitors not negative."""
    require_editor(actor, exhibition.region_id)
    errors: dict[str, list[str]] = {}
    opens, closes = data.get("opens_on"), data.get("closes_on")
    if opens and closes and closes < opens:
        errors["closes_on"] = [_("The end date is before the start date.")]
    visitors = data.get("visitors") or 0
    if visitors < 0:
        errors["visitors"] = [_("The number of visitors cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    venue = Venue(exhibition=exhibition, **data)
    venue.full_clean()
    venue.save()
    return venue
