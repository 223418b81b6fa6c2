# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The culture API: the library (search with facets, items, media links), lectures and their reach, courses.

Two doors, as on the pages: ``/culture/...`` for the roles that read records, scoped to the caller's jurisdiction;
``/culture/public/...`` without authentication, for items marked public only and their public fields only."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib import clock
from shiliu.lib.api_types import MAX_LIMIT, MAX_OFFSET, Date, Id, Page
from shiliu.regions.models import EthnicGroup, Region

from . import courses, lectures, selectors, services
from .models import Category, Course, HeritageLevel, Item, Kind, Lecture, Licence, Visibility

router = Router(tags=["culture"])
router.add_decorator(readers_only)
public_router = Router(tags=["culture (public)"])


class SearchIn(Schema):
    q: str = Field("", max_length=60, description="Chinese words, pinyin or initials; every word must match")
    region: str = Field("", pattern=r"^(\d{2,12})?$")
    ethnic_group: str = Field("", pattern=r"^(\d{2})?$")
    category: Category | None = None
    level: HeritageLevel | None = None
    kind: Kind | None = None
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class FacetOut(Schema):
    value: str
    label: str
    count: int


class PublicItemOut(Schema):
    id: int
    kind: Kind
    title: str
    category: str
    level: str
    heritage_number: str
    region: str = Field(alias="region_id")
    summary: str
    creators: str
    created_from: dt.date | None
    created_to: dt.date | None
    licence: Licence
    credit: str


class ItemOut(PublicItemOut):
    visibility: Visibility
    internal_note: str
    contact_name: str
    ethnic_groups: list[str] = Field(default_factory=list)

    @staticmethod
    def resolve_ethnic_groups(obj: Item) -> list[str]:
        return [g.code for g in obj.ethnic_groups.all()]


class SearchOut(Schema):
    count: int
    items: list[ItemOut]
    facets: dict[str, list[FacetOut]]


class PublicSearchOut(Schema):
    count: int
    items: list[PublicItemOut]
    facets: dict[str, list[FacetOut]]


class MediaOut(Schema):
    id: int
    kind: str
    caption: str
    url: str
    credit: str


class ItemIn(Schema):
    kind: Kind = Kind.HERITAGE
    title: str = Field(..., min_length=1, max_length=120)
    category: Category | None = None
    level: HeritageLevel | None = None
    heritage_number: str = Field("", max_length=24)
    region: str = Field(..., pattern=r"^\d{2,12}$")
    ethnic_groups: list[str] = Field(default_factory=list, max_length=10)
    summary: str = Field("", max_length=4000)
    creators: str = Field("", max_length=200)
    created_from: Date | None = None
    created_to: Date | None = None
    licence: Licence
    credit: str = Field(..., min_length=1, max_length=200)
    visibility: Visibility = Visibility.DRAFT
    internal_note: str = Field("", max_length=2000)


class LinkIn(Schema):
    kind: str = Field(..., pattern=r"^(audio|video)$")
    url: str = Field(..., max_length=500)
    caption: str = Field("", max_length=120)
    credit: str = Field("", max_length=200)


def _search(filters: SearchIn, *, user: Any = None, public: bool = False) -> dict[str, Any]:
    result = selectors.item_search(
        user=user,
        public=public,
        query=filters.q,
        region=filters.region,
        ethnic_group=filters.ethnic_group,
        category=filters.category or "",
        level=filters.level or "",
        kind=filters.kind or "",
        limit=filters.limit,
        offset=filters.offset,
    )
    return {"count": result.count, "items": result.items, "facets": result.facets}


def _region(code: str, field: str = "region") -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({field: _("Unknown division code %(code)s.") % {"code": code}})
    return region


@router.get("/culture/items", response=SearchOut)
def items(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    """Library items in the caller's jurisdiction, best match first, with facet counts over all matches."""
    return _search(filters, user=request.user)


@router.get("/culture/items/{item_id}", response=ItemOut)
def item(request: HttpRequest, item_id: Id) -> Item:
    return selectors.item_get(user=request.user, pk=item_id)


@router.post("/culture/items", response={201: ItemOut})
def item_create(request: HttpRequest, payload: ItemIn) -> tuple[int, Item]:
    """A new library item (commission staff of its region)."""
    data = payload.dict()
    groups = EthnicGroup.objects.filter(code__in=data.pop("ethnic_groups"))
    data["region"] = _region(data["region"])
    data["category"] = data["category"] or ""
    data["level"] = data["level"] or ""
    return 201, services.item_save(actor=request.user, data=data, ethnic_groups=groups)


@router.post("/culture/items/{item_id}/links", response={201: MediaOut})
def item_link_add(request: HttpRequest, item_id: Id, payload: LinkIn) -> tuple[int, Any]:
    """An audio or video link (http or https only). Images and documents are uploaded on the item's page."""
    record = selectors.item_get(user=request.user, pk=item_id)
    return 201, services.media_add(actor=request.user, item=record, **payload.dict())


@public_router.get("/culture/public/items", response=PublicSearchOut, auth=None)
def public_items(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    """Items marked public (no login), their public fields only."""
    return _search(filters, public=True)


@public_router.get("/culture/public/items/{item_id}", response=PublicItemOut, auth=None)
def public_item(request: HttpRequest, item_id: Id) -> Item:
    return selectors.item_public_get(pk=item_id)


@public_router.get("/culture/public/items/{item_id}/media", response=list[MediaOut], auth=None)
def public_item_media(request: HttpRequest, item_id: Id) -> Any:
    """A public item's media: links as they are, files as the URL of the view that serves them."""
    from django.urls import reverse

    record = selectors.item_public_get(pk=item_id)
    out = []
    for m in record.media.all():
        url = m.url or reverse("culture:media_file", args=[m.pk])
        out.append(
            {
                "id": m.pk,
                "kind": m.kind,
                "caption": m.caption,
                "url": url,
                "credit": m.credit or record.credit,
            }
        )
    return out


class LectureOut(Schema):
    id: int
    series_id: int
    series: str = Field(alias="series.title")
    topic: str
    speaker: str
    held_on: dt.date
    region: str = Field(alias="region_id")
    venue: str
    stream_url: str
    replay_url: str
    attendance: int
    views: int
    plan: str


class LectureIn(Schema):
    series_id: Id
    topic: str = Field(..., min_length=1, max_length=160)
    speaker: str = Field(..., min_length=1, max_length=80)
    held_on: Date
    region: str = Field(..., pattern=r"^\d{2,12}$")
    venue: str = Field("", max_length=120)
    stream_url: str = Field("", max_length=500)
    replay_url: str = Field("", max_length=500)
    attendance: int = Field(0, ge=0, le=lectures.MAX_AUDIENCE)
    views: int = Field(0, ge=0, le=lectures.MAX_AUDIENCE)
    plan: str = Field("", pattern=r"^(embedding|youth|tourism)?$")


class LectureFilter(Schema):
    since: Date | None = None
    until: Date | None = None


class ReachIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="default: this year")
    region: str = Field("", pattern=r"^(\d{2,12})?$")
    by: str = Field("region", pattern=r"^(region|month)$")


class ReachRowOut(Schema):
    code: str
    name: str
    sessions: int
    attendance: int
    views: int
    people: int


class ReachOut(Schema):
    rows: list[ReachRowOut]
    total: ReachRowOut


@router.get("/culture/lectures", response=list[LectureOut])
@paginate(Page, limit=50)
def lecture_list(request: HttpRequest, filters: Query[LectureFilter]) -> QuerySet[Lecture]:
    qs = lectures.lectures_visible(user=request.user)
    if filters.since:
        qs = qs.filter(held_on__gte=filters.since)
    if filters.until:
        qs = qs.filter(held_on__lte=filters.until)
    return qs


@router.post("/culture/lectures", response={201: LectureOut})
def lecture_create(request: HttpRequest, payload: LectureIn) -> tuple[int, Lecture]:
    """Record a session; one under a plan becomes one activity in the statistics, derived from it."""
    data = payload.dict()
    series = lectures.series_get(user=request.user, pk=data.pop("series_id"))
    data["region"] = _region(data["region"])
    return 201, lectures.lecture_save(actor=request.user, series=series, data=data)


@router.get("/culture/lectures/reach", response=ReachOut)
def lecture_reach(request: HttpRequest, filters: Query[ReachIn]) -> dict[str, Any]:
    """Sessions (场次) and person-times (人次) per region or month of a year, in the caller's jurisdiction."""
    year = filters.year or clock.today().year
    rows, total = lectures.reach(
        user=request.user,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        region=filters.region,
        by=filters.by,
    )

    def out(r: lectures.ReachRow) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": str(r.name),
            "sessions": r.sessions,
            "attendance": r.attendance,
            "views": r.views,
            "people": r.people,
        }

    return {"rows": [out(r) for r in rows], "total": out(total)}


class CourseOut(Schema):
    id: int
    title: str
    region: str = Field(alias="region_id")
    is_published: bool
    lessons: int = Field(alias="n_lessons")
    enrolled: int = Field(alias="n_enrolled")


@router.get("/culture/courses", response=list[CourseOut])
@paginate(Page, limit=50)
def course_list(request: HttpRequest) -> QuerySet[Course]:
    return courses.courses_managed(user=request.user)
