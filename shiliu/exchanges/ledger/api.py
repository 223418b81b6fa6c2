"""The ledger's API: list, read, record and confirm activities, scoped like the pages."""

# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool, StrictInt

from shiliu.exchanges.ledger import selectors, services
from shiliu.exchanges.ledger.models import (
    MAX_COUNT,
    Activity,
    ActivityStatus,
    ActivityType,
    AgeBand,
    Category,
    Gender,
)
from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.orgs.models import Organization
from shiliu.regions.models import EthnicGroup, Region

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
