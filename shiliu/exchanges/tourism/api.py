"""The tourism API: routes (list, read, create), tour groups (list, read, create) and visitor flows."""

# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool, StrictInt

from shiliu.exchanges.tourism import selectors, services
from shiliu.exchanges.tourism.models import RouteStop, StudyRoute, TourGroup
from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.regions.models import Region

router = Router(tags=["exchanges"])
router.add_decorator(readers_only)  # residents: 403, as on the pages

# --- tourism: study routes and tour groups -----------------------------------------------------------------------


class StopOut(Schema):
    order: int
    name: str
    region: str = Field(alias="region_id")
    description: str
    has_photo: bool

    @staticmethod
    def resolve_has_photo(obj: RouteStop) -> bool:
        return bool(obj.photo)


class RouteOut(Schema):
    id: int
    title: str
    region: str = Field(alias="region_id")
    owner_id: int | None
    theme: str
    days: int
    description: str
    is_public: bool
    stops: list[StopOut]

    @staticmethod
    def resolve_stops(obj: StudyRoute) -> list[RouteStop]:
        return list(obj.stops.all())


class StopIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    region: str = Field(..., pattern=r"^\d{2,12}$")
    description: str = Field("", max_length=500)


class RouteIn(Schema):
    title: str = Field(..., min_length=2, max_length=120)
    region: str = Field(..., pattern=r"^\d{2,12}$")
    theme: str = Field("", max_length=120)
    days: StrictInt = Field(1, ge=1, le=30)
    description: str = ""
    is_public: StrictBool = True
    stops: list[StopIn] = Field(..., min_length=1)


class TourGroupIn(Schema):
    name: str = Field(..., min_length=2, max_length=120)
    origin_region: str = Field(..., pattern=r"^\d{2,12}$")
    destination_region: str = Field(..., pattern=r"^\d{2,12}$")
    start_date: Date
    end_date: Date
    agency: str = Field("", max_length=120)
    size: StrictInt = Field(..., ge=1, le=10_000)
    minors: StrictInt = Field(0, ge=0, le=10_000)
    minority_members: StrictInt = Field(0, ge=0, le=10_000)
    route_id: Ref | None = None
    note: str = Field("", max_length=200)


class TourGroupOut(Schema):
    id: int
    name: str
    origin_region: str = Field(alias="origin_region_id")
    destination_region: str = Field(alias="destination_region_id")
    start_date: dt.date
    end_date: dt.date
    agency: str
    size: int
    minors: int | None = Field(description="null for a reader outside the origin and the destination")
    minority_members: int | None = Field(
        description="null for a reader outside the origin and the destination"
    )
    route_id: int | None
    pairing_id: int | None
    note: str

    @staticmethod
    def resolve_minors(obj: TourGroup, context: Any) -> int | None:
        return obj.minors if selectors.composition_shown(context["request"].user, obj) else None

    @staticmethod
    def resolve_minority_members(obj: TourGroup, context: Any) -> int | None:
        return obj.minority_members if selectors.composition_shown(context["request"].user, obj) else None


class FlowOut(Schema):
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    groups: int
    visitors: int
    minors: int | None = Field(
        description="null unless the caller is inside every group's origin or destination"
    )


def _regions(*codes: str) -> dict[str, Region]:
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": code}})
    return found


@router.get("/routes", response=list[RouteOut], tags=["tourism"])
@paginate(Page, limit=50)
def routes(request: HttpRequest) -> Any:
    """Routes in the caller's jurisdiction and every public route."""
    return selectors.routes_visible(request.user).prefetch_related("stops")


@router.get("/routes/{route_id}", response=RouteOut, tags=["tourism"])
def route(request: HttpRequest, route_id: Id) -> StudyRoute:
    return get_object_or_404(selectors.routes_visible(request.user), pk=route_id)


@router.post("/routes", response={201: RouteOut}, tags=["tourism"])
def route_create(request: HttpRequest, payload: RouteIn) -> Status[StudyRoute]:
    regions = _regions(payload.region, *(s.region for s in payload.stops))
    data = payload.dict(exclude={"stops"})
    data["region"] = regions[payload.region]
    stops = [{**s.dict(), "region": regions[s.region]} for s in payload.stops]
    return Status(201, services.route_create(actor=request.user, data=data, stops=stops))


@router.get("/tour-groups", response=list[TourGroupOut], tags=["tourism"])
@paginate(Page, limit=50)
def tour_groups(request: HttpRequest) -> Any:
    """Tour groups leaving from or arriving in the caller's jurisdiction."""
    return selectors.tour_groups_visible(request.user)


@router.get("/tour-groups/flows", response=list[FlowOut], tags=["tourism"])
def flows(
    request: HttpRequest,
    level: int = Query(4, ge=2, le=12),
    date_from: Date | None = None,
    date_to: Date | None = None,
    region: str = Query(
        "", pattern=r"^(\d{2,12})?$", description="only groups leaving from or arriving in it"
    ),
) -> list[dict]:
    """Visitor flows origin → destination, rolled up to codes of ``level`` digits; a region outside the
    caller's jurisdiction is refused with 403."""
    return selectors.visitor_flows(
        user=request.user, level=level, date_from=date_from, date_to=date_to, region=region
    )


@router.get("/tour-groups/{group_id}", response=TourGroupOut, tags=["tourism"])
def tour_group(request: HttpRequest, group_id: Id) -> TourGroup:
    return get_object_or_404(selectors.tour_groups_visible(request.user), pk=group_id)


@router.post("/tour-groups", response={201: TourGroupOut}, tags=["tourism"])
def tour_group_create(request: HttpRequest, payload: TourGroupIn) -> Status[TourGroup]:
    regions = _regions(payload.origin_region, payload.destination_region)
    data = payload.dict(exclude={"origin_region", "destination_region", "route_id"})
    data["origin_region"] = regions[payload.origin_region]
    data["destination_region"] = regions[payload.destination_region]
    if payload.route_id is not None:
        data["route"] = get_object_or_404(selectors.routes_visible(request.user), pk=payload.route_id)
    return Status(201, services.tour_group_record(actor=request.user, data=data))
