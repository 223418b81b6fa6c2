"""The menu's API: offers (list, read) and bookings (list, create, read, answer), scoped like the pages."""

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
from pydantic import StrictInt

from shiliu.exchanges.menu import selectors, services
from shiliu.exchanges.menu.models import Booking, BookingStatus, Offer, Package
from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.orgs.models import Organization

router = Router(tags=["exchanges"])
router.add_decorator(readers_only)  # residents: 403, as on the pages

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
    return selectors.offers_visible(user=request.user, query=q[:40], plan=plan)


@router.get("/offers/{offer_id}", response=OfferOut, tags=["exchange menu"])
def offer(request: HttpRequest, offer_id: Id) -> Offer:
    return get_object_or_404(selectors.offers_visible(user=request.user), pk=offer_id)


@router.get("/bookings", response=list[BookingOut], tags=["exchange menu"])
@paginate(Page, limit=50)
def bookings(
    request: HttpRequest, direction: str = Query("both", pattern=r"^(incoming|outgoing|both)$")
) -> Any:
    """Bookings of the caller's offers (incoming) and bookings the caller's units made (outgoing)."""
    incoming, outgoing = selectors.bookings_for(user=request.user)
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
        item = get_object_or_404(selectors.offers_visible(user=request.user), pk=payload.offer_id)
    else:
        item = get_object_or_404(selectors.packages_visible(user=request.user), pk=payload.package_id)
    guest = get_object_or_404(Organization.objects.visible_to(request.user), pk=payload.guest_unit_id)
    booking = services.booking_request(
        actor=request.user, item=item, guest=guest, start=payload.start_date, end=payload.end_date,
        group_size=payload.group_size, composition=payload.composition,
    )  # fmt: skip
    return Status(201, booking)


def _booking(request: HttpRequest, booking_id: Id) -> Booking:
    incoming, outgoing = selectors.bookings_for(user=request.user)
    return get_object_or_404((incoming | outgoing).distinct(), pk=booking_id)


@router.get("/bookings/{booking_id}", response=BookingOut, tags=["exchange menu"])
def booking(request: HttpRequest, booking_id: Id) -> Booking:
    return _booking(request, booking_id)


@router.post("/bookings/{booking_id}/answer", response=BookingOut, tags=["exchange menu"])
def booking_answer(request: HttpRequest, booking_id: Id, payload: BookingAnswerIn) -> Booking:
    """The host accepts (a planned activity is created), declines, or proposes other dates."""
    return services.booking_answer(
        actor=request.user, booking=_booking(request, booking_id), decision=payload.decision, note=payload.note,
        start=payload.start_date, end=payload.end_date,
    )  # fmt: skip
