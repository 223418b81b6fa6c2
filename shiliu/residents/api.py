# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The registry's API, scoped like the pages: the residence side manages, the origin commission reads a few fields
(the others come back null), anyone else gets 404; residents get 403. Protected numbers are masked; showing one
in full needs a reason and is logged."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region

from . import selectors, services
from .models import ConsentMethod, ConsentScope, Handover, Need, Resident, ResidentStatus

router = Router(tags=["residents"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class HouseholdMember(Schema):
    relation: str = Field(..., max_length=16)
    name: str = Field(..., max_length=32)
    birth_year: int | None = None


class ResidentOut(Schema):
    id: int
    name: str
    origin_region: str = Field(alias="origin_region_id")
    residence_region: str = Field(alias="residence_region_id")
    community_id: int | None = Field(alias="residence_unit_id")
    moved_in_on: dt.date
    status: ResidentStatus
    needs: list[Need] = Field(alias="need_list")
    managed: bool = Field(
        description="true: the caller's side manages the record; false: read-only (origin side)"
    )
    id_number: str | None = Field(None, description="masked: 6540**********1234; null for the origin side")
    phone: str | None = Field(None, description="masked: 139****5678; null for the origin side")
    ethnic_group: str | None = Field(None, description="GB 3304 code; null for the origin side")
    household_members: list[HouseholdMember] | None = None
    skills: str | None = None
    language: str | None = None

    @staticmethod
    def _managed(obj: Resident) -> bool:
        return bool(getattr(obj, "managed", False))

    @staticmethod
    def resolve_id_number(obj: Resident) -> str | None:
        return obj.id_number_masked if ResidentOut._managed(obj) else None

    @staticmethod
    def resolve_phone(obj: Resident) -> str | None:
        return obj.phone_masked if ResidentOut._managed(obj) else None

    @staticmethod
    def resolve_ethnic_group(obj: Resident) -> str | None:
        return obj.ethnic_group_id if ResidentOut._managed(obj) else None

    @staticmethod
    def resolve_household_members(obj: Resident) -> list[dict[str, Any]] | None:
        return obj.household_members if ResidentOut._managed(obj) else None

    @staticmethod
    def resolve_skills(obj: Resident) -> str | None:
        return obj.skills if ResidentOut._managed(obj) else None

    @staticmethod
    def resolve_language(obj: Resident) -> str | None:
        return obj.language if ResidentOut._managed(obj) else None


class ResidentFilter(Schema):
    q: str = Field("", max_length=32, description="a name, or a whole ID number (found by its keyed hash)")
    need: Need | None = None
    status: ResidentStatus | None = None
    side: selectors.Access | None = None


class ConsentIn(Schema):
    scopes: list[ConsentScope] = Field(..., min_length=1)
    method: ConsentMethod
    given_on: Date
    note: str = Field("", max_length=200)


class SensitiveIn(Schema):
    id_number: str = Field("", max_length=18)
    phone: str = Field("", max_length=16)
    ethnic_group: str | None = Field(None, pattern=r"^\d{2}$")
    household_members: list[HouseholdMember] = Field(default_factory=list, max_length=20)
    skills: str = Field("", max_length=200)
    language: str = Field("", max_length=100)
    needs: list[Need] = Field(default_factory=list)
    needs_note: str = Field("", max_length=2000)


class ResidentIn(SensitiveIn):
    name: str = Field(..., min_length=1, max_length=32)
    origin_region: str = Field(..., pattern=r"^\d{6,12}$")
    community_id: Ref | None = Field(None, description="the community or village unit the resident lives in")
    residence_region: str | None = Field(
        None, pattern=r"^\d{12}$", description="when no community unit is given"
    )
    moved_in_on: Date
    consent: ConsentIn | None = None


class ResidentPatch(Schema):
    """Only the fields sent change; the residence changes only through a handover."""

    name: str = Field(None, min_length=1, max_length=32)  # type: ignore[assignment]
    origin_region: str = Field(None, pattern=r"^\d{6,12}$")  # type: ignore[assignment]
    moved_in_on: Date = Field(None)  # type: ignore[assignment]
    id_number: str = Field(None, max_length=18)  # type: ignore[assignment]
    phone: str = Field(None, max_length=16)  # type: ignore[assignment]
    ethnic_group: str | None = Field(None, pattern=r"^\d{2}$")
    household_members: list[HouseholdMember] = Field(None, max_length=20)  # type: ignore[assignment,arg-type]
    skills: str = Field(None, max_length=200)  # type: ignore[assignment]
    language: str = Field(None, max_length=100)  # type: ignore[assignment]
    needs: list[Need] = Field(None)  # type: ignore[assignment,arg-type]
    needs_note: str = Field(None, max_length=2000)  # type: ignore[assignment]


class RevealIn(Schema):
    field: str = Field(..., pattern=r"^(id_number|phone)$")
    reason: str = Field(..., min_length=2, max_length=200)


class RevealOut(Schema):
    field: str
    value: str


class ConsentOut(Schema):
    id: int
    scopes: list[ConsentScope]
    method: ConsentMethod
    given_on: dt.date
    note: str
    in_force: bool
    withdrawn_on: dt.date | None
    erased: list[ConsentScope]


class WithdrawIn(Schema):
    method: ConsentMethod
    withdrawn_on: Date


class HandoverIn(Schema):
    to_region: str = Field(..., pattern=r"^\d{12}$", description="the receiving community or village")
    reason: str = Field(..., min_length=1, max_length=200)


class HandoverOut(Schema):
    id: int
    resident_id: int
    resident_name: str = Field(alias="resident.name")
    from_region: str = Field(alias="from_region_id")
    to_region: str = Field(alias="to_region_id")
    to_community_id: int | None = Field(alias="to_unit_id")
    reason: str
    status: str
    decline_reason: str


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(code=code, valid_to__isnull=True).first()
    if region is None:
        raise ValidationError({field: _("Unknown division code %(code)s.") % {"code": code}})
    return region


def _detail(request: HttpRequest, pk: int) -> Resident:
    resident, access = selectors.resident_get(user=request.user, pk=pk)
    resident.managed = access == selectors.Access.MANAGE  # type: ignore[attr-defined]
    return resident


def _sensitive(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in services.SENSITIVE_INPUT}
    if "household_members" in out and out["household_members"] is not None:
        out["household_members"] = [dict(m) for m in out["household_members"]]
    return out


@router.get("/residents", response=list[ResidentOut])
@paginate(Page, limit=50)
def residents(request: HttpRequest, filters: Query[ResidentFilter]) -> QuerySet[Resident]:
    """Residents the caller's side manages, and for a commission its own people living elsewhere (read-only)."""
    return selectors.resident_list(
        user=request.user,
        query=filters.q,
        need=filters.need or "",
        status=filters.status or "",
        side=filters.side or "",
    )


@router.get("/residents/{resident_id}", response=ResidentOut)
def resident(request: HttpRequest, resident_id: Id) -> Resident:
    """One resident; the view is logged."""
    record = _detail(request, resident_id)
    services.resident_viewed(
        actor=request.user,
        resident=record,
        access=selectors.Access.MANAGE if record.managed else selectors.Access.ORIGIN,  # type: ignore[attr-defined]
    )
    return record


@router.post("/residents", response={201: ResidentOut})
def resident_register(request: HttpRequest, payload: ResidentIn) -> Status[Resident]:
    """Register a resident with the consent that covers the sensitive fields sent (refused without it)."""
    data = payload.dict()
    unit: Organization | None = None
    if data["community_id"]:
        unit = selectors.community_choices(user=request.user).filter(pk=data["community_id"]).first()
        if unit is None:
            raise ValidationError({"community_id": _("Choose the community the resident lives in.")})
        residence = unit.region
    elif data["residence_region"]:
        residence = _region(data["residence_region"], "residence_region")
        unit = selectors.community_in_region(code=residence.code)
    else:
        raise ValidationError({"community_id": _("Choose the community the resident lives in.")})
    consent = payload.consent
    record = services.resident_register(
        actor=request.user,
        data={
            "name": data["name"],
            "origin_region": _region(data["origin_region"], "origin_region"),
            "residence_region": residence,
            "residence_unit": unit,
            "moved_in_on": data["moved_in_on"],
            **_sensitive(data),
        },
        consent=services.ConsentInput(
            scopes=[str(s) for s in consent.scopes],
            method=consent.method,
            given_on=consent.given_on,
            note=consent.note,
        )
        if consent
        else None,
    )
    record.managed = True  # type: ignore[attr-defined]
    return Status(201, record)


@router.patch("/residents/{resident_id}", response=ResidentOut)
def resident_update(request: HttpRequest, resident_id: Id, payload: ResidentPatch) -> Resident:
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    data = payload.dict(exclude_unset=True)
    if "origin_region" in data:
        data["origin_region"] = _region(data["origin_region"], "origin_region")
    record = services.resident_update(
        actor=request.user,
        resident=record,
        data={
            **{k: v for k, v in data.items() if k in ("name", "origin_region", "moved_in_on")},
            **_sensitive(data),
        },
    )
    record.managed = True  # type: ignore[attr-defined]
    return record


@router.post("/residents/{resident_id}/reveal", response=RevealOut)
def resident_reveal(request: HttpRequest, resident_id: Id, payload: RevealIn) -> dict[str, str]:
    """A protected number in full, for the residence side; the reason is logged with the view."""
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    value = services.resident_reveal(
        actor=request.user, resident=record, field=payload.field, reason=payload.reason
    )
    return {"field": payload.field, "value": value}


@router.get("/residents/{resident_id}/consents", response=list[ConsentOut])
def consents(request: HttpRequest, resident_id: Id) -> Any:
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    return list(record.consents.all())


@router.post("/residents/{resident_id}/consents", response={201: ConsentOut})
def consent_record(request: HttpRequest, resident_id: Id, payload: ConsentIn) -> Status[Any]:
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    consent = services.consent_record(
        actor=request.user,
        resident=record,
        consent=services.ConsentInput(
            scopes=[str(s) for s in payload.scopes],
            method=payload.method,
            given_on=payload.given_on,
            note=payload.note,
        ),
    )
    return Status(201, consent)


@router.post("/residents/{resident_id}/consents/{consent_id}/withdraw", response=ConsentOut)
def consent_withdraw(request: HttpRequest, resident_id: Id, consent_id: Id, payload: WithdrawIn) -> Any:
    """Withdraw a consent: what only it covered is erased at once (``erased`` says what)."""
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    consent = record.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    return services.consent_withdraw(
        actor=request.user, consent=consent, withdrawn_on=payload.withdrawn_on, method=payload.method
    )


@router.post("/residents/{resident_id}/handover", response={201: HandoverOut})
def handover_start(request: HttpRequest, resident_id: Id, payload: HandoverIn) -> Status[Handover]:
    record = selectors.resident_managed_get(user=request.user, pk=resident_id)
    region = _region(payload.to_region, "to_region")
    handover = services.handover_start(
        actor=request.user,
        resident=record,
        to_region=region,
        to_unit=selectors.community_in_region(code=region.code),
        reason=payload.reason,
    )
    return Status(201, handover)


@router.get("/handovers/incoming", response=list[HandoverOut])
def handovers_incoming(request: HttpRequest) -> Any:
    """Pending handovers to a community the caller acts for."""
    return list(selectors.handover_incoming(user=request.user)[:200])


@router.post("/handovers/{handover_id}/accept", response=HandoverOut)
def handover_accept(request: HttpRequest, handover_id: Id) -> Handover:
    return services.handover_accept(
        actor=request.user, handover=selectors.handover_get_incoming(user=request.user, pk=handover_id)
    )


@router.post("/handovers/{handover_id}/decline", response=HandoverOut)
def handover_decline(request: HttpRequest, handover_id: Id, payload: DeclineIn) -> Handover:
    return services.handover_decline(
        actor=request.user,
        handover=selectors.handover_get_incoming(user=request.user, pk=handover_id),
        reason=payload.reason,
    )
