# No "from __future__ import annotations": django-ninja reads these annotations at import time.
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shiliu.lib.api_types import Page

from .models import EthnicGroup, Level, Region
from .ranking import preferred_codes
from .selectors import ethnic_groups, region_search

router = Router(tags=["reference data"])


class RegionOut(Schema):
    code: str
    name: str
    level: Level
    parent_code: str | None = Field(None, alias="parent_id")
    parent_name: str | None = Field(None, alias="parent.name")
    is_dev_zone: bool


class RegionFilter(Schema):
    q: str = Field("", max_length=40, description="pinyin, initials, hanzi or a code prefix")
    level: Level | None = None
    within: str | None = Field(None, pattern=r"^\d{2,12}$", description="only divisions under this code")


class EthnicGroupOut(Schema):
    code: str
    name: str
    romanized: str
    letter_code: str


@router.get("/regions", response=list[RegionOut])
@paginate(Page, limit=20)
def regions(request: HttpRequest, filters: Query[RegionFilter]) -> QuerySet[Region]:
    """Search divisions: ``q=xinyuan`` or ``q=xyx`` finds 新源县 (654025). Reference data, not scoped.

    ``count`` is the number of all matches; page through them with ``limit`` and ``offset``. The caller's own
    division and the divisions they are paired with come first."""
    return region_search(
        query=filters.q,
        level=filters.level,
        within=filters.within,
        limit=None,
        prefer=preferred_codes(request.user),
    )


@router.get("/ethnic-groups", response=list[EthnicGroupOut])
def groups(request: HttpRequest) -> QuerySet[EthnicGroup]:
    """The 56 ethnic groups with GB 3304 codes, plus 97 and 98."""
    return ethnic_groups()
