# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool

from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, DateTime, Id, Page, Ref
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region

from . import selectors, services
from .models import (
    ActionItem,
    ActionStatus,
    Agreement,
    JointMeeting,
    Mechanism,
    Pairing,
    PairingKind,
    PairingStatus,
)

router = Router(tags=["pairings"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class PairingOut(Schema):
    id: int
    kind: PairingKind
    status: PairingStatus
    a_region: str = Field(alias="a_region_id")
    a_unit_id: int | None
    b_region: str = Field(alias="b_region_id")
    b_unit_id: int | None
    parent_id: int | None
    label: str
    started_on: dt.date | None
    ended_on: dt.date | None

    @staticmethod
    def resolve_label(obj: Pairing) -> str:
        return str(obj)


class PairingFilter(Schema):
    status: PairingStatus | None = None
    kind: PairingKind | None = None
    q: str = Field("", max_length=40)


class PairingIn(Schema):
    kind: PairingKind
    a_region: str = Field(..., pattern=r"^\d{2,12}$")
    b_region: str = Field(..., pattern=r"^\d{2,12}$")
    a_unit_id: Ref | None = None
    b_unit_id: Ref | None = None
    parent_id: Ref | None = None
    note: str = ""


class RespondIn(Schema):
    accept: StrictBool
    reason: str = ""


class AgreementIn(Schema):
    title: str = Field(..., min_length=2, max_length=120)
    signed_on: Date
    term_start: Date
    term_end: Date | None = None
    mechanisms: list[str] = []
    a_contact: str = ""
    b_contact: str = ""


class AgreementOut(Schema):
    id: int
    title: str
    signed_on: dt.date
    term_start: dt.date
    term_end: dt.date | None
    mechanisms: list[str]

    @staticmethod
    def resolve_mechanisms(obj: Agreement) -> list[str]:
        return [m.name for m in obj.mechanisms.all()]


class MeetingIn(Schema):
    title: str = Field(..., min_length=2, max_length=120)
    held_at: DateTime
    place: str = ""
    online_link: str = ""
    attendee_ids: list[Ref] = Field([], max_length=200)
    agenda: str = ""
    minutes: str = ""


class MeetingOut(Schema):
    id: int
    title: str
    held_at: dt.datetime
    place: str
    online_link: str


class ActionItemIn(Schema):
    title: str = Field(..., min_length=2, max_length=200)
    owner_id: Ref
    deadline: Date


class ActionItemOut(Schema):
    id: int
    pairing_id: int
    meeting_id: int
    title: str
    owner_id: int
    owner: str = Field(alias="owner.name")
    deadline: dt.date
    status: ActionStatus
    overdue: bool = Field(alias="is_overdue")


class ActionItemPatch(Schema):
    status: ActionStatus


def _unit(pk: int | None) -> Organization | None:
    if pk is None:
        return None
    unit = Organization.objects.filter(pk=pk, is_active=True).select_related("region").first()
    if unit is None:
        raise ValidationError({"unit": _("Unknown unit %(id)s.") % {"id": pk}})
    return unit


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code, valid_to__isnull=True).first()
    if region is None:
        raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": code}})
    return region


@router.get("/pairings", response=list[PairingOut])
@paginate(Page, limit=50)
def pairings(request: HttpRequest, filters: Query[PairingFilter]) -> QuerySet[Pairing]:
    """Pairings either side of which lies in the caller's jurisdiction."""
    return selectors.pairing_list(
        user=request.user, status=filters.status or "", kind=filters.kind or "", query=filters.q
    )


@router.post("/pairings", response={201: PairingOut})
def pairing_propose(request: HttpRequest, payload: PairingIn) -> Status[Pairing]:
    parent = selectors.pairing_get(user=request.user, pk=payload.parent_id) if payload.parent_id else None
    pairing = services.pairing_propose(
        actor=request.user,
        kind=payload.kind,
        a_region=_region(payload.a_region),
        b_region=_region(payload.b_region),
        a_unit=_unit(payload.a_unit_id),
        b_unit=_unit(payload.b_unit_id),
        parent=parent,
        note=payload.note,
    )
    return Status(201, pairing)


@router.get("/pairings/{pairing_id}", response=PairingOut)
def pairing(request: HttpRequest, pairing_id: Id) -> Pairing:
    return selectors.pairing_get(user=request.user, pk=pairing_id)


@router.post("/pairings/{pairing_id}/respond", response=PairingOut)
def pairing_respond(request: HttpRequest, pairing_id: Id, payload: RespondIn) -> Pairing:
    """Side B accepts or declines (a reason is required to decline)."""
    p = selectors.pairing_get(user=request.user, pk=pairing_id)
    return services.pairing_respond(
        actor=request.user, pairing=p, accept=payload.accept, reason=payload.reason
    )


@router.get("/pairings/{pairing_id}/agreements", response=list[AgreementOut])
def agreements(request: HttpRequest, pairing_id: Id) -> QuerySet[Agreement]:
    return selectors.pairing_get(user=request.user, pk=pairing_id).agreements.prefetch_related("mechanisms")


@router.post("/pairings/{pairing_id}/agreements", response={201: AgreementOut})
def agreement_create(request: HttpRequest, pairing_id: Id, payload: AgreementIn) -> Status[Agreement]:
    """Record an agreement (the signed document is uploaded through the web page)."""
    p = selectors.pairing_get(user=request.user, pk=pairing_id)
    standard = list(Mechanism.objects.filter(name__in=payload.mechanisms))
    custom = [m for m in payload.mechanisms if m not in {s.name for s in standard}]
    agreement = services.agreement_record(
        actor=request.user,
        pairing=p,
        title=payload.title,
        signed_on=payload.signed_on,
        term_start=payload.term_start,
        term_end=payload.term_end,
        mechanisms=standard,
        custom_mechanisms=custom,
        a_contact=payload.a_contact,
        b_contact=payload.b_contact,
    )
    return Status(201, agreement)


@router.get("/pairings/{pairing_id}/meetings", response=list[MeetingOut])
def meetings(request: HttpRequest, pairing_id: Id) -> QuerySet[JointMeeting]:
    return selectors.pairing_get(user=request.user, pk=pairing_id).meetings.all()


@router.post("/pairings/{pairing_id}/meetings", response={201: MeetingOut})
def meeting_create(request: HttpRequest, pairing_id: Id, payload: MeetingIn) -> Status[JointMeeting]:
    p = selectors.pairing_get(user=request.user, pk=pairing_id)
    attendees = list(Organization.objects.filter(pk__in=payload.attendee_ids))
    meeting = services.meeting_schedule(
        actor=request.user,
        pairing=p,
        title=payload.title,
        held_at=payload.held_at,
        place=payload.place,
        online_link=payload.online_link,
        attendees=attendees,
        agenda=payload.agenda,
        minutes=payload.minutes,
    )
    return Status(201, meeting)


@router.post("/meetings/{meeting_id}/action-items", response={201: ActionItemOut})
def action_item_create(request: HttpRequest, meeting_id: Id, payload: ActionItemIn) -> Status[ActionItem]:
    meeting = get_object_or_404(
        JointMeeting, pk=meeting_id, pairing__in=selectors.pairing_list(user=request.user).values("pk")
    )
    owner = _unit(payload.owner_id)
    assert owner is not None  # noqa: S101 - _unit raises for unknown ids
    item = services.action_item_add(
        actor=request.user, meeting=meeting, title=payload.title, owner=owner, deadline=payload.deadline
    )
    return Status(201, item)


@router.get("/action-items", response=list[ActionItemOut])
@paginate(Page, limit=100)
def action_items(request: HttpRequest, open: bool = False) -> QuerySet[ActionItem]:  # noqa: A002
    """Action items of the caller's pairings, overdue first; ``open=true`` leaves out done ones."""
    return selectors.action_items(user=request.user, only_open=open)


@router.patch("/action-items/{item_id}", response=ActionItemOut)
def action_item_update(request: HttpRequest, item_id: Id, payload: ActionItemPatch) -> ActionItem:
    item = get_object_or_404(
        ActionItem, pk=item_id, pairing__in=selectors.pairing_list(user=request.user).values("pk")
    )
    return services.action_item_set_status(actor=request.user, item=item, status=payload.status)
