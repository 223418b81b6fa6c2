# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The request desk's API, scoped like the pages (the same selectors and services): lists, one request with its
history, the loop's actions, the metrics. Phone numbers are masked; residents and anonymous callers get 403.

``POST /api/hotline/orders`` is the 12345 platform's intake: no user, signed instead (``X-Signature``: HMAC-SHA256
of the raw body with the shared secret), idempotent on the hotline's order number (a repeat answers 200 with the
request first filed, a new order 201).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, DateTime, Id, Page, Ref
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region

from . import config, hotline, selectors, services
from .models import (
    Channel,
    EventKind,
    Rating,
    RequestCategory,
    RequestKind,
    ServiceRequest,
    Urgency,
)
from .models import (
    Status as RequestStatus,
)

router = Router(tags=["requests"])
router.add_decorator(readers_only)
hotline_router = Router(tags=["12345 hotline"])


class RequestOut(Schema):
    id: int
    tracking_number: str
    kind: RequestKind
    category: RequestCategory
    urgency: Urgency
    channel: Channel
    hotline_order_number: str | None
    status: RequestStatus
    community_id: int
    region: str = Field(alias="region_id")
    origin_region: str | None = Field(alias="origin_region_id")
    handling_region: str | None = Field(alias="handling_region_id")
    handling_unit_id: int | None
    first_unit_id: int | None
    supervisor_region: str | None = Field(alias="supervisor_region_id")
    phone: str = Field(alias="phone_masked", description="masked: 139****5678")
    description: str
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    signed_at: dt.datetime | None
    sign_due: dt.datetime | None
    answer_due: dt.datetime
    due_estimated: bool = Field(
        description="true: a year without an official calendar was counted by weekends"
    )
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    reply: str
    rating: str
    excluded: bool
    exclusion_reason: str


class EventOut(Schema):
    kind: EventKind
    from_status: str
    to_status: str
    to_region: str | None = Field(alias="to_region_id")
    to_unit_id: int | None
    note: str
    at: dt.datetime


class RequestFilter(Schema):
    status: RequestStatus | None = None
    stage: str = Field("", pattern=r"^(|open|overdue)$")
    q: str = Field("", max_length=60)
    mine: bool = False
    metric: str = Field("", max_length=20, description="a metrics bucket: the requests behind one figure")
    start: Date | None = None
    end: Date | None = None


class RequestIn(Schema):
    kind: RequestKind
    category: RequestCategory
    urgency: Urgency = Urgency.NORMAL
    community_id: Ref
    description: str = Field(..., max_length=2000)
    phone: str = Field("", max_length=20)
    contact_name: str = Field("", max_length=32)
    origin_region: str = Field("", pattern=r"^(|\d{6}|\d{9}|\d{12})$")


class ActionIn(Schema):
    unit_id: Ref | None = None
    to_origin: bool = False
    note: str = Field("", max_length=500)
    reason: str = Field("", max_length=500)
    reply: str = Field("", max_length=2000)
    days: int | None = Field(None, ge=1, le=20)
    approve: bool | None = None
    uphold: bool | None = None
    reached: bool = False
    rating: Rating | None = None
    into: str = Field("", max_length=20)


class FiguresOut(Schema):
    key: str
    label: str
    counts: dict[str, int]
    response_rate: float | None
    on_time_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    score: float | None


class HotlineOrderIn(Schema):
    order_number: str = Field(..., min_length=1, max_length=40)
    received_at: DateTime
    kind: RequestKind
    category: RequestCategory
    urgency: Urgency = Urgency.NORMAL
    community_region: str = Field(..., pattern=r"^\d{12}$", description="the community's division code")
    description: str = Field(..., max_length=2000)
    phone: str = Field("", max_length=20)


class HotlineOrderOut(Schema):
    tracking_number: str
    status: RequestStatus
    created: bool


def _unit(unit_id: int | None) -> Organization | None:
    if unit_id is None:
        return None
    unit = Organization.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit_id": _("Unknown unit.")})
    return unit


@router.get("/requests", response=list[RequestOut])
@paginate(Page, limit=50)
def requests(request: HttpRequest, filters: Query[RequestFilter]) -> QuerySet[ServiceRequest]:
    """Requests the caller's side receives, handles, first handled or supervises."""
    return selectors.request_list(
        user=request.user,
        status=filters.status or "",
        stage=filters.stage,
        query=filters.q,
        mine=filters.mine,
        metric=filters.metric,
        start=filters.start,
        end=filters.end,
    )


@router.get("/requests/metrics", response=list[FiguresOut])
def request_metrics(
    request: HttpRequest,
    by: str = Query("unit", pattern=r"^(unit|region)$"),
    start: Date | None = None,
    end: Date | None = None,
) -> list[dict[str, Any]]:
    """The metrics page's figures; open requests past their deadline count as late (see the page for formulas)."""
    desk = selectors.desk_settings()
    return [
        {
            "key": f.key,
            "label": f.label,
            "counts": f.counts,
            "response_rate": f.response_rate,
            "on_time_rate": f.on_time_rate,
            "resolution_rate": f.resolution_rate,
            "satisfaction_rate": f.satisfaction_rate,
            "score": f.score(desk),
        }
        for f in selectors.metrics(user=request.user, by=by, start=start, end=end)
    ]


@router.get("/requests/{request_id}", response=RequestOut)
def request_detail(request: HttpRequest, request_id: Id) -> ServiceRequest:
    return selectors.request_get(user=request.user, pk=request_id)


@router.get("/requests/{request_id}/events", response=list[EventOut])
def request_history(request: HttpRequest, request_id: Id) -> Any:
    return selectors.request_events(request=selectors.request_get(user=request.user, pk=request_id))


@router.post("/requests", response={201: RequestOut})
def request_take(request: HttpRequest, payload: RequestIn) -> Status[ServiceRequest]:
    """A request taken by staff (by phone or in person)."""
    community = selectors.community_choices().filter(pk=payload.community_id).first()
    origin = Region.objects.filter(code=payload.origin_region).first() if payload.origin_region else None
    filed = services.request_file(
        actor=request.user,
        data=services.RequestInput(
            kind=payload.kind,
            category=payload.category,
            urgency=payload.urgency,
            description=payload.description,
            community=community,
            phone=payload.phone,
            contact_name=payload.contact_name,
            origin_region=origin,
            channel=Channel.STAFF,
        ),
    )
    return Status(201, filed)


ACTIONS = (
    "dispatch", "sign", "start", "transfer", "return", "review", "escalate", "extend", "extension",
    "answer", "close", "review_close", "followup", "exclude", "merge",
)  # fmt: skip


@router.post("/requests/{request_id}/{action}", response=RequestOut)
def request_act(request: HttpRequest, request_id: Id, action: str, payload: ActionIn) -> ServiceRequest:
    """One step of the loop: dispatch, sign, start, transfer, return, review (of a return), escalate, extend (ask),
    extension (decide), answer, close, review_close, followup, exclude, merge — refused (403) for a side that may
    not take it, 422 with the field for bad input."""
    tracked = selectors.request_get(user=request.user, pk=request_id)
    if action not in ACTIONS:
        raise ValidationError({"action": _("Unknown action.")})
    user = request.user
    unit = _unit(payload.unit_id)
    if action == "dispatch":
        services.request_dispatch(actor=user, request=tracked, unit=unit)
    elif action == "sign":
        services.request_sign(actor=user, request=tracked)
    elif action == "start":
        services.request_start(actor=user, request=tracked, note=payload.note)
    elif action == "transfer":
        services.request_transfer(
            actor=user, request=tracked, unit=unit, to_origin=payload.to_origin, note=payload.note
        )
    elif action == "return":
        services.request_return(actor=user, request=tracked, reason=payload.reason)
    elif action == "review":
        services.request_return_review(
            actor=user, request=tracked, uphold=bool(payload.uphold), unit=unit, note=payload.note
        )
    elif action == "escalate":
        services.request_escalate(actor=user, request=tracked, reason=payload.reason or payload.note)
    elif action == "extend":
        services.extension_ask(actor=user, request=tracked, days=payload.days or 0, reason=payload.reason)
    elif action == "extension":
        pending = tracked.extensions.filter(status="pending").first()
        if pending is None:
            raise ValidationError(_("No extension is waiting for a decision."))
        services.extension_decide(actor=user, extension=pending, approve=bool(payload.approve))
    elif action == "answer":
        services.request_answer(actor=user, request=tracked, reply=payload.reply)
    elif action == "close":
        services.request_close(actor=user, request=tracked, note=payload.note)
    elif action == "review_close":
        services.request_review_close(actor=user, request=tracked, note=payload.note)
    elif action == "followup":
        services.followup_record(
            actor=user,
            request=tracked,
            reached=payload.reached,
            rating=payload.rating or "",
            note=payload.note,
        )
    elif action == "exclude":
        services.request_exclude(actor=user, request=tracked, reason=payload.reason)
    elif action == "merge":
        into = selectors.request_list(user=user).filter(tracking_number=payload.into.strip().upper()).first()
        if into is None:
            raise ValidationError({"into": _("No request you can see has this tracking number.")})
        services.request_merge(actor=user, request=tracked, into=into)
    tracked.refresh_from_db()
    return tracked


@hotline_router.post("/hotline/orders", auth=None, response={200: HotlineOrderOut, 201: HotlineOrderOut})
def hotline_order(request: HttpRequest, payload: HotlineOrderIn) -> Status[dict[str, Any]]:
    """A 12345 work order (工单). Signed with ``X-Signature`` (hex HMAC-SHA256 of the raw body); 403 otherwise."""
    if not hotline.signature_ok(request.body, request.headers.get("X-Signature", "")):
        raise PermissionDenied(_("The order's signature is missing or wrong."))
    community = (
        Organization.objects.filter(
            region_id=payload.community_region, kind__in=services.COMMUNITY_KINDS, is_active=True
        )
        .order_by("pk")
        .first()
    )
    filed, created = services.hotline_order_receive(
        data=services.RequestInput(
            kind=payload.kind,
            category=payload.category,
            urgency=payload.urgency,
            description=payload.description,
            community=community,
            phone=payload.phone,
            hotline_order_number=payload.order_number,
            received_at=payload.received_at,
        )
    )
    body = {"tracking_number": filed.tracking_number, "status": filed.status, "created": created}
    return Status(201 if created else 200, body)


# ------------------------------------------------------------------------------------------------ public tracking

# What anyone holding a tracking number may read and do, like the public page: no name, phone, community,
# description or answer text. The pages have no rate limit of their own (the number is 6 random characters of 32,
# so not guessable), and neither have these endpoints.
public_router = Router(tags=["requests (public)"])


class PublicEventOut(Schema):
    at: DateTime
    kind: str
    label: str
    status: str


class TrackedOut(Schema):
    tracking_number: str
    status: str
    status_label: str
    kind: str
    received_at: DateTime
    answer_due: DateTime
    due_estimated: bool
    rated: bool
    can_rate: bool
    timeline: list[PublicEventOut]


class RatingIn(Schema):
    rating: str = Field(description="satisfied, fairly or dissatisfied (满意 / 基本满意 / 不满意)")
    comment: str = ""
    phone: str = Field(
        "", description="the phone number given when filing (not needed when signed in as the filer)"
    )


def _tracked_out(tracked: ServiceRequest) -> dict[str, Any]:
    return {
        "tracking_number": tracked.tracking_number,
        "status": tracked.status,
        "status_label": tracked.get_status_display(),
        "kind": tracked.kind,
        "received_at": tracked.received_at,
        "answer_due": tracked.answer_due,
        "due_estimated": tracked.due_estimated,
        "rated": bool(tracked.rating),
        "can_rate": tracked.status == RequestStatus.CLOSED and not tracked.rating,
        "timeline": [
            {"at": e.at, "kind": e.kind, "label": e.get_kind_display(), "status": e.to_status}
            for e in selectors.public_timeline(request=tracked)
        ],
    }


@public_router.get("/tracking/{number}", auth=None, response=TrackedOut)
def request_tracked(request: HttpRequest, number: str) -> dict[str, Any]:
    """The public tracking of one request by its number: status and timeline only (404 for an unknown number)."""
    return _tracked_out(selectors.request_by_tracking(number=number))


@public_router.post("/tracking/{number}/rating", auth=None, response=TrackedOut)
def request_rated(request: HttpRequest, number: str, payload: RatingIn) -> dict[str, Any]:
    """Rate a closed request, once: by its filer's account or with the phone number given when filing (422 with
    the field's message otherwise — not closed, already rated, wrong phone)."""
    tracked = selectors.request_by_tracking(number=number)
    services.request_rate(
        request=tracked,
        rating=payload.rating,
        comment=payload.comment,
        actor=request.user,
        phone=payload.phone,
    )
    tracked.refresh_from_db()
    return _tracked_out(tracked)


# ------------------------------------------------------------------------------------------------ routing rules


class RoutingRuleOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    category: str = Field(description="empty: the region's default unit")
    unit_id: int


class RoutingRuleIn(Schema):
    region: str = Field(..., pattern=r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$", description="a division code")
    category: RequestCategory | None = Field(None, description="null: the region's default unit")
    unit_id: Ref


@router.get("/request-rules", response=list[RoutingRuleOut])
@paginate(Page, limit=50)
def routing_rules(request: HttpRequest) -> Any:
    """The routing rules of the regions in the caller's jurisdiction (commission staff and administrators)."""
    return config.routing_rules_for(request.user)


@router.post("/request-rules", response={201: RoutingRuleOut})
def routing_rule_create(request: HttpRequest, payload: RoutingRuleIn) -> Status[Any]:
    """Add a routing rule; the region and the unit must lie in the caller's jurisdiction (422 with the field)."""
    rule = config.routing_rule_save(
        actor=request.user,
        region=payload.region,
        category=payload.category or "",
        unit=_rule_unit(payload.unit_id),
    )
    return Status(201, rule)


def _rule_unit(unit_id: int) -> Organization:
    unit = Organization.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit_id": _("Unknown unit.")})
    return unit


@router.put("/request-rules/{rule_id}", response=RoutingRuleOut)
def routing_rule_update(request: HttpRequest, rule_id: Id, payload: RoutingRuleIn) -> Any:
    """Change a routing rule of the caller's jurisdiction (another jurisdiction's: 404)."""
    rule = config.routing_rule_get(user=request.user, pk=rule_id)
    return config.routing_rule_save(
        actor=request.user,
        rule=rule,
        region=payload.region,
        category=payload.category or "",
        unit=_rule_unit(payload.unit_id),
    )


@router.delete("/request-rules/{rule_id}", response={204: None})
def routing_rule_remove(request: HttpRequest, rule_id: Id) -> Status[None]:
    """Delete a routing rule of the caller's jurisdiction (another jurisdiction's: 404)."""
    rule = config.routing_rule_get(user=request.user, pk=rule_id)
    config.routing_rule_delete(actor=request.user, rule=rule)
    return Status(204, None)


# ------------------------------------------------------------------------------------------------ official calendar


class CalendarDayIn(Schema):
    day: Date
    name: str = Field("", max_length=40)


class CalendarYearIn(Schema):
    holidays: list[CalendarDayIn] = Field(..., max_length=400)
    workdays: list[CalendarDayIn] = Field([], max_length=400, description="makeup working days (调休)")


class CalendarYearOut(Schema):
    year: int
    holidays: int
    workdays: int


@router.post("/calendar/{year}", response={201: CalendarYearOut})
def calendar_year(request: HttpRequest, year: int, payload: CalendarYearIn) -> Status[dict[str, int]]:
    """Enter (or replace) a year's official schedule — the calendar page's service; platform administrators only.
    422 with the reasons for a day outside the year, a day listed twice, a weekday as a makeup working day."""
    from shiliu.jurisdiction.roles import Role
    from shiliu.runtime.calendar import calendar_year_enter

    if getattr(request.user, "role", None) != Role.PLATFORM_ADMIN:
        raise PermissionDenied(_("Only platform administrators may change national rules."))
    holidays = [(d.day, d.name) for d in payload.holidays]
    workdays = [(d.day, d.name) for d in payload.workdays]
    calendar_year_enter(actor=request.user, year=year, holidays=holidays, workdays=workdays)
    return Status(201, {"year": year, "holidays": len(holidays), "workdays": len(workdays)})
