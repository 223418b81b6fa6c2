# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from shiliu.orgs.models import Organization
from shiliu.regions.models import EthnicGroup, Region

from . import selectors, services
from .models import Activity, ActivityStatus, ActivityType, AgeBand, Category, Gender

router = Router(tags=["exchanges"])


class ParticipationIO(Schema):
    category: Category
    ethnic_group: str = Field(..., pattern=r"^\d{2}$", description="GB 3304 code")
    age_band: AgeBand
    gender: Gender = Gender.UNKNOWN
    count: int


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
    person_times: int

    @staticmethod
    def resolve_person_times(obj: Activity) -> int:
        return sum(p.count for p in obj.participations.all())


class ActivityIn(Schema):
    title: str = Field(..., min_length=2, max_length=120)
    type: str = Field(..., description="activity type name, e.g. 互访考察")
    plans: list[str] = Field(..., min_length=1, description="embedding, youth, tourism")
    start_date: dt.date
    end_date: dt.date
    place: str = ""
    sending_region: str = Field(..., pattern=r"^\d{2,12}$")
    sending_unit_id: int | None = None
    receiving_region: str = Field(..., pattern=r"^\d{2,12}$")
    receiving_unit_id: int | None = None
    summary: str = ""
    participations: list[ParticipationIO] = Field(..., min_length=1)
    submit: bool = True


class ActivityFilter(Schema):
    region: str = Field("", pattern=r"^(\d{2,12})?$")
    role: str = Field("", pattern=r"^(sending|receiving)?$")
    status: ActivityStatus | None = None
    plan: str = Field("", pattern=r"^(embedding|youth|tourism)?$")


class StatsOut(Schema):
    batches: int
    person_times: int
    sending: tuple[int, int]
    receiving: tuple[int, int]


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
@paginate(LimitOffsetPagination, limit=50)
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
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> dict:
    s = selectors.activity_stats(user=request.user, region=region, date_from=date_from, date_to=date_to)
    return {
        "batches": s.batches,
        "person_times": s.person_times,
        "sending": s.by_role["sending"],
        "receiving": s.by_role["receiving"],
    }


@router.get("/activities/{activity_id}", response=ActivityOut)
def activity(request: HttpRequest, activity_id: int) -> Activity:
    return selectors.activity_get(user=request.user, pk=activity_id)


@router.post("/activities", response={201: ActivityOut})
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    data, rows = _data(payload)
    return Status(
        201,
        services.activity_record(actor=request.user, data=data, participations=rows, submit=payload.submit),
    )


@router.post("/activities/{activity_id}/confirm", response=ActivityOut)
def activity_confirm(request: HttpRequest, activity_id: int) -> Activity:
    """The other side confirms the activity; it then counts in the statistics."""
    return services.activity_confirm(
        actor=request.user, activity=selectors.activity_get(user=request.user, pk=activity_id)
    )
