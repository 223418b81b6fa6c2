# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool, StrictInt

from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.orgs.models import Organization
from shiliu.regions.models import EthnicGroup, Region

from . import menu, selectors, services, tourism
from .models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    ActivityType,
    AgeBand,
    Booking,
    BookingStatus,
    Category,
    Gender,
    Offer,
    Package,
    RouteStop,
    StudyRoute,
    TourGroup,
)

router = Router(tags=["exchanges"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class ParticipationIO(Schema):
    category: Category
    ethnic_group: str = Field(..., pattern=r"^\d{2}$", description="GB 3304 code")
    age_band: AgeBand
    gender: Gender = Gender.UNKNOWN
    count: StrictInt = Field(..., ge=1, le=MAX_COUNT)


class ActivityOut(Schema):
    id: int
    title: str
    type: str = Field(alias="activity_type.name")
    plans: list[str]
    start_date: dt.date
    end_date: dt.date
    sending_region: str = Field(alias="sending_region_id")
    sending_unit_id: int | None
    receiving_region: str = Field(alias="receiving_region_id")
    receiving_unit_id: int | None
    pairing_id: int | None
    status: ActivityStatus
    person_times: int | None = Field(description="null when hidden from a reader outside both parties (<5)")

    @staticmethod
    def resolve_person_times(obj: Activity, context: Any) -> int | None:
        _rows, total = selectors.participation_shown(
            user=context["request"].user, activity=obj, rows=list(obj.participations.all())
        )
        return total.value


class ActivityIn(Schema):
    title: str = Field(..., min_length=2, max_length=120)
    type: str = Field(..., description="activity type name, e.g. 互访考察")
    plans: list[str] = Field(..., min_length=1, description="embedding, youth, tourism")
    start_date: Date
    end_date: Date
    place: str = ""
    sending_region: str = Field(..., pattern=r"^\d{2,12}$")
    sending_unit_id: Ref | None = None
    receiving_region: str = Field(..., pattern=r"^\d{2,12}$")
    receiving_unit_id: Ref | None = None
    summary: str = ""
    participations: list[ParticipationIO] = Field(..., min_length=1)
    submit: StrictBool = True


class ActivityFilter(Schema):
    region: str = Field("", pattern=r"^(\d{2,12})?$")
    role: str = Field("", pattern=r"^(sending|receiving)?$")
    status: ActivityStatus | None = None
    plan: str = Field("", pattern=r"^(embedding|youth|tourism)?$")


class StatsCellOut(Schema):
    key: str
    name: str
    batches: int | None = None
    person_times: int | None = Field(description="null when hidden")
    shown: str = Field(
        description="as published: the number, “<5” (1 to 4 people) or “×” (hidden so that no “<5” can be "
        "worked out from the total); the statistics page and its Excel export show the same"
    )


class StatsOut(Schema):
    batches: int
    person_times: int | None = Field(description="null when hidden")
    person_times_shown: str
    sending: list[int | None] = Field(
        ..., min_length=2, max_length=2, description="[batches, person-times (null when hidden)]"
    )
    receiving: list[int | None] = Field(
        ..., min_length=2, max_length=2, description="[batches, person-times (null when hidden)]"
    )
    suppressed: bool = Field(description="some counts of people are hidden from this reader")
    by_plan: list[StatsCellOut]
    by_type: list[StatsCellOut]
    by_category: list[StatsCellOut]
    by_ethnic_group: list[StatsCellOut]


def _cell(key: object, name: str, people: Any, batches: int | None = None) -> dict[str, Any]:
    return {
        "key": str(key),
        "name": name,
        "batches": batches,
        "person_times": people.value,
        "shown": people.text,
    }


def _data(payload: ActivityIn) -> tuple[dict, list[dict]]:
    activity_type = ActivityType.objects.filter(name=payload.type).first()
    if activity_type is None:
        raise ValidationError({"type": _("Unknown activity type %(name)s.") % {"name": payload.type}})
    regions = {
        r.code: r for r in Region.objects.filter(code__in=[payload.sending_region, payload.receiving_region])
    }
    if payload.sending_region not in regions or payload.receiving_region not in regions:
        raise ValidationError(
            {
                "region": _("Unknown division code %(code)s.")
                % {
                    "code": payload.sending_region
                    if payload.sending_region not in regions
                    else payload.receiving_region
                }
            }
        )
    units = {
        u.pk: u
        for u in Organization.objects.filter(
            pk__in=[p for p in (payload.sending_unit_id, payload.receiving_unit_id) if p]
        )
    }
    data = {
        "title": payload.title,
        "activity_type": activity_type,
        "plan_embedding": "embedding" in payload.plans,
        "plan_youth": "youth" in payload.plans,
        "plan_tourism": "tourism" in payload.plans,
        "start_date": payload.start_date,
        "end_date": payload.end_date,
        "place": payload.place,
        "sending_region": regions[payload.sending_region],
        "sending_unit": units.get(payload.sending_unit_id or 0),
        "receiving_region": regions[payload.receiving_region],
        "receiving_unit": units.get(payload.receiving_unit_id or 0),
        "summary": payload.summary,
    }
    groups = {g.code: g for g in EthnicGroup.objects.all()}
    rows = []
    for number, p in enumerate(payload.participations, start=1):
        if p.ethnic_group not in groups:
            raise ValidationError(
                {
                    "participations": _("Row %(row)d: unknown ethnic group code %(code)s.")
                    % {"row": number, "code": p.ethnic_group}
                }
            )
        rows.append({**p.dict(), "ethnic_group": groups[p.ethnic_group]})
    return data, rows


@router.get("/activities", response=list[ActivityOut])
@paginate(Page, limit=50)
def activities(request: HttpRequest, filters: Query[ActivityFilter]) -> QuerySet[Activity]:
    """Activities either party of which lies in the caller's jurisdiction."""
    return selectors.activity_list(
        user=request.user,
        region=filters.region,
        role=filters.role,
        status=filters.status or "",
        plan=filters.plan,
    ).prefetch_related("participations")


@router.get("/activities/statistics", response=StatsOut)
def statistics(
    request: HttpRequest,
    region: str = Query(..., pattern=r"^\d{2,12}$"),
    date_from: Date | None = None,
    date_to: Date | None = None,
) -> dict:
    """A region's confirmed activities in a period, with counts of people suppressed as on the statistics page."""
    s = selectors.activity_stats(user=request.user, region=region, date_from=date_from, date_to=date_to)
    return {
        "batches": s.batches,
        "person_times": s.person_times.value,
        "person_times_shown": s.person_times.text,
        "sending": (s.by_role["sending"][0], s.by_role["sending"][1].value),
        "receiving": (s.by_role["receiving"][0], s.by_role["receiving"][1].value),
        "suppressed": s.suppressed,
        "by_plan": [_cell(k, label, people, n) for k, label, n, people in s.by_plan],
        "by_type": [_cell(k, name, people, n) for k, name, n, people in s.by_type],
        "by_category": [_cell(k, label, people) for k, label, people in s.by_category],
        "by_ethnic_group": [_cell(k, name, people) for k, name, people in s.by_ethnic_group],
    }


@router.get("/activities/{activity_id}", response=ActivityOut)
def activity(request: HttpRequest, activity_id: Id) -> Activity:
    return selectors.activity_get(user=request.user, pk=activity_id)


@router.post("/activities", response={201: ActivityOut})
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    data, rows = _data(payload)
    return Status(
        201,
        services.activity_record(actor=request.user, data=data, participations=rows, submit=payload.submit),
    )


@router.post("/activities/{activity_id}/confirm", response=ActivityOut)
def activity_confirm(request: HttpRequest, activity_id: Id) -> Activity:
    """The other side confirms the activity; it then counts in the statistics."""
    return services.activity_confirm(
        actor=request.user, activity=selectors.activity_get(user=request.user, pk=activity_id)
    )


# --- exchange menu: offers and bookings --------------------------------------------------------------------------


class OfferOut(Schema):
    id: int
    title: str
    host_id: int
    host: str = Field(alias="host.name")
    host_region: str = Field(alias="host.region_id")
    type: str = Field(alias="activity_type.name")
    plans: list[str]
    capacity: int
    duration_days: int
    seasons: str
    min_age: int | None
    max_age: int | None
    cost_borne_by: str
    is_public: bool
    route_id: int | None

    @staticmethod
    def resolve_plans(obj: Offer) -> list[str]:
        return [p for p in ("embedding", "youth", "tourism") if getattr(obj, f"plan_{p}")]


class BookingIn(Schema):
    offer_id: Ref | None = None
    package_id: Ref | None = None
    guest_unit_id: Ref
    start_date: Date
    end_date: Date
    group_size: StrictInt = Field(..., ge=1, le=10_000)
    composition: str = Field("", max_length=200)


class BookingOut(Schema):
    id: int
    offer_id: int | None
    package_id: int | None
    guest_unit_id: int = Field(alias="guest_id")
    start_date: dt.date
    end_date: dt.date
    group_size: int
    status: BookingStatus
    proposed_start: dt.date | None
    proposed_end: dt.date | None
    activity_id: int | None


class BookingAnswerIn(Schema):
    decision: str = Field(..., pattern=r"^(accept|decline|counter)$")
    note: str = Field("", max_length=200)
    start_date: Date | None = None
    end_date: Date | None = None


@router.get("/offers", response=list[OfferOut], tags=["exchange menu"])
@paginate(Page, limit=50)
def offers(
    request: HttpRequest, q: str = "", plan: str = Query("", pattern=r"^(embedding|youth|tourism)?$")
) -> Any:
    """Offers the caller may browse: their own region's, paired regions', and public ones (pinyin search in q)."""
    return menu.offers_visible(user=request.user, query=q[:40], plan=plan)


@router.get("/offers/{offer_id}", response=OfferOut, tags=["exchange menu"])
def offer(request: HttpRequest, offer_id: Id) -> Offer:
    return get_object_or_404(menu.offers_visible(user=request.user), pk=offer_id)


@router.get("/bookings", response=list[BookingOut], tags=["exchange menu"])
@paginate(Page, limit=50)
def bookings(
    request: HttpRequest, direction: str = Query("both", pattern=r"^(incoming|outgoing|both)$")
) -> Any:
    """Bookings of the caller's offers (incoming) and bookings the caller's units made (outgoing)."""
    incoming, outgoing = menu.bookings_for(user=request.user)
    if direction == "incoming":
        return incoming
    if direction == "outgoing":
        return outgoing
    return (incoming | outgoing).distinct()


@router.post("/bookings", response={201: BookingOut}, tags=["exchange menu"])
def booking_create(request: HttpRequest, payload: BookingIn) -> Status[Booking]:
    if (payload.offer_id is None) == (payload.package_id is None):
        raise ValidationError({"offer_id": _("Give either an offer or a package.")})
    item: Offer | Package
    if payload.offer_id is not None:
        item = get_object_or_404(menu.offers_visible(user=request.user), pk=payload.offer_id)
    else:
        item = get_object_or_404(menu.packages_visible(user=request.user), pk=payload.package_id)
    guest = get_object_or_404(Organization.objects.visible_to(request.user), pk=payload.guest_unit_id)
    booking = menu.booking_request(
        actor=request.user, item=item, guest=guest, start=payload.start_date, end=payload.end_date,
        group_size=payload.group_size, composition=payload.composition,
    )  # fmt: skip
    return Status(201, booking)


def _booking(request: HttpRequest, booking_id: Id) -> Booking:
    incoming, outgoing = menu.bookings_for(user=request.user)
    return get_object_or_404((incoming | outgoing).distinct(), pk=booking_id)


@router.get("/bookings/{booking_id}", response=BookingOut, tags=["exchange menu"])
def booking(request: HttpRequest, booking_id: Id) -> Booking:
    return _booking(request, booking_id)


@router.post("/bookings/{booking_id}/answer", response=BookingOut, tags=["exchange menu"])
def booking_answer(request: HttpRequest, booking_id: Id, payload: BookingAnswerIn) -> Booking:
    """The host accepts (a planned activity is created), declines, or proposes other dates."""
    return menu.booking_answer(
        actor=request.user, booking=_booking(request, booking_id), decision=payload.decision, note=payload.note,
        start=payload.start_date, end=payload.end_date,
    )  # fmt: skip


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
    minors: int
    minority_members: int
    route_id: int | None
    pairing_id: int | None
    note: str


class FlowOut(Schema):
    origin: str
    origin_name: str
    destination: str
    destination_name: str
    groups: int
    visitors: int
    minors: int


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
    return tourism.routes_visible(request.user).prefetch_related("stops")


@router.get("/routes/{route_id}", response=RouteOut, tags=["tourism"])
def route(request: HttpRequest, route_id: Id) -> StudyRoute:
    return get_object_or_404(tourism.routes_visible(request.user), pk=route_id)


@router.post("/routes", response={201: RouteOut}, tags=["tourism"])
def route_create(request: HttpRequest, payload: RouteIn) -> Status[StudyRoute]:
    regions = _regions(payload.region, *(s.region for s in payload.stops))
    data = payload.dict(exclude={"stops"})
    data["region"] = regions[payload.region]
    stops = [{**s.dict(), "region": regions[s.region]} for s in payload.stops]
    return Status(201, tourism.route_create(actor=request.user, data=data, stops=stops))


@router.get("/tour-groups", response=list[TourGroupOut], tags=["tourism"])
@paginate(Page, limit=50)
def tour_groups(request: HttpRequest) -> Any:
    """Tour groups leaving from or arriving in the caller's jurisdiction."""
    return tourism.tour_groups_visible(request.user)


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
    return tourism.visitor_flows(
        user=request.user, level=level, date_from=date_from, date_to=date_to, region=region
    )


@router.get("/tour-groups/{group_id}", response=TourGroupOut, tags=["tourism"])
def tour_group(request: HttpRequest, group_id: Id) -> TourGroup:
    return get_object_or_404(tourism.tour_groups_visible(request.user), pk=group_id)


@router.post("/tour-groups", response={201: TourGroupOut}, tags=["tourism"])
def tour_group_create(request: HttpRequest, payload: TourGroupIn) -> Status[TourGroup]:
    regions = _regions(payload.origin_region, payload.destination_region)
    data = payload.dict(exclude={"origin_region", "destination_region", "route_id"})
    data["origin_region"] = regions[payload.origin_region]
    data["destination_region"] = regions[payload.destination_region]
    if payload.route_id is not None:
        data["route"] = get_object_or_404(tourism.routes_visible(request.user), pk=payload.route_id)
    return Status(201, tourism.tour_group_record(actor=request.user, data=data))
