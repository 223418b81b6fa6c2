# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The livelihood services' API, scoped like the pages (the same selectors and services): residents browse posts,
apply, enrol, sign in with a session's code, log volunteer hours; employers, sites, leaders and staff answer,
record and count. A record the caller may not see is a 404; an act their role does not allow a 403."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import StrictBool, StrictInt

from shiliu.lib.api_types import Date, Id, Page, Ref
from shiliu.regions.models import Region

from . import matching, occupations, selectors, services
from .models import (
    Application,
    Enrolment,
    Job,
    JobFair,
    KinshipPairing,
    KinshipVisit,
    Placement,
    SeekerNeed,
    TrainingClass,
    VolunteerHours,
    VolunteerTeam,
)

router = Router(tags=["livelihood"])
# Operations residents use on their phones (the other livelihood operations, like every other app's, are for staff).
RESIDENT_SERVICES = ["livelihood", "resident services"]


def _readers_only(request: HttpRequest) -> None:
    if selectors.is_resident(request.user) or not selectors.scope_for(request.user).reads_records:
        raise PermissionDenied(_("Your role does not give access to these records."))


def _residents_only(request: HttpRequest) -> None:
    if not selectors.is_resident(request.user):
        raise PermissionDenied(_("Residents apply for posts."))


def _region(code: str, field: str) -> Region:
    region = Region.objects.filter(code=code, valid_to__isnull=True).first()
    if region is None:
        raise ValidationError({field: _("Unknown division code %(code)s.") % {"code": code}})
    return region


# ---------------------------------------------------------------------------------------------------------- jobs
class LivelihoodJobOut(Schema):
    id: int
    title: str
    employer_id: int
    employer: str = Field(alias="employer.name")
    region: str = Field(alias="region_id")
    occupation: str
    occupation_name: str
    place: str
    wage_min: int
    wage_max: int
    hours: str
    housing: bool
    meals: bool
    languages: str
    requirements: str
    openings: int
    recruit_from: list[str]
    closes_on: dt.date
    status: str
    accepts_applications: bool

    @staticmethod
    def resolve_recruit_from(obj: Job) -> list[str]:
        return [r.code for r in obj.recruit_from.all()]


class LivelihoodJobIn(Schema):
    employer_id: Ref
    title: str = Field(..., min_length=1, max_length=60)
    occupation: str = Field(..., pattern=r"^[1-8]$", description="职业分类大典 (2022) major group")
    place: str = Field(..., min_length=1, max_length=100)
    wage_min: StrictInt = Field(..., ge=0, le=1_000_000)
    wage_max: StrictInt = Field(..., ge=0, le=1_000_000)
    hours: str = Field(..., min_length=1, max_length=60)
    housing: StrictBool = False
    meals: StrictBool = False
    languages: str = Field("", max_length=60)
    requirements: str = Field("", max_length=2000)
    openings: StrictInt = Field(1, ge=1, le=10_000)
    recruit_from: list[str] = Field(default_factory=list, max_length=20)
    closes_on: Date


class LivelihoodJobFilter(Schema):
    q: str = Field("", max_length=40)
    occupation: str = Field("", pattern=r"^[1-8]?$")


@router.get("/livelihood/jobs", response=list[LivelihoodJobOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_jobs(request: HttpRequest, filters: Query[LivelihoodJobFilter]) -> QuerySet[Job]:
    """Posts: residents see every open post; staff and employers those they manage or that recruit from their area."""
    return selectors.job_list(user=request.user, query=filters.q, occupation=filters.occupation)


@router.get("/livelihood/jobs/{job_id}", response=LivelihoodJobOut, tags=RESIDENT_SERVICES)
def livelihood_job(request: HttpRequest, job_id: Id) -> Job:
    return selectors.job_get(user=request.user, pk=job_id)


@router.post("/livelihood/jobs", response={201: LivelihoodJobOut})
def livelihood_job_create(request: HttpRequest, payload: LivelihoodJobIn) -> Status[Job]:
    _readers_only(request)
    data = payload.dict()
    employer = selectors.employer_choices(user=request.user).filter(pk=data.pop("employer_id")).first()
    if employer is None:
        raise ValidationError({"employer_id": _("Only enterprises post jobs.")})
    recruit = [_region(code, "recruit_from") for code in data.pop("recruit_from")]
    job = services.job_create(actor=request.user, data={**data, "employer": employer}, recruit_from=recruit)
    return Status(201, job)


class LivelihoodApplicationOut(Schema):
    id: int
    job_id: int
    job: str = Field(alias="job.title")
    origin_region: str = Field(alias="origin_region_id")
    note: str
    status: str
    answer: str
    created_at: dt.datetime
    started_on: dt.date | None = None
    retained_3m: bool | None = None
    retained_6m: bool | None = None

    @staticmethod
    def _placement(obj: Application) -> Placement | None:
        return getattr(obj, "placement", None) if hasattr(obj, "placement") else None

    @staticmethod
    def resolve_started_on(obj: Application) -> dt.date | None:
        p = LivelihoodApplicationOut._placement(obj)
        return p.started_on if p else None

    @staticmethod
    def resolve_retained_3m(obj: Application) -> bool | None:
        p = LivelihoodApplicationOut._placement(obj)
        return p.retained_3m if p else None

    @staticmethod
    def resolve_retained_6m(obj: Application) -> bool | None:
        p = LivelihoodApplicationOut._placement(obj)
        return p.retained_6m if p else None


class LivelihoodApplyIn(Schema):
    note: str = Field("", max_length=200)


class LivelihoodAnswerIn(Schema):
    accept: StrictBool
    answer: str = Field("", max_length=200)


class LivelihoodPlacementIn(Schema):
    started_on: Date
    wage: StrictInt | None = Field(None, ge=0, le=1_000_000)


class LivelihoodRetentionIn(Schema):
    months: StrictInt = Field(..., description="3 or 6")
    retained: bool


@router.post(
    "/livelihood/jobs/{job_id}/applications", response={201: LivelihoodApplicationOut}, tags=RESIDENT_SERVICES
)
def livelihood_apply(request: HttpRequest, job_id: Id, payload: LivelihoodApplyIn) -> Status[Application]:
    """A resident applies for a post (once; not to a closed post)."""
    _residents_only(request)
    job = selectors.job_get(user=request.user, pk=job_id)
    return Status(201, services.application_submit(actor=request.user, job=job, note=payload.note))


@router.get("/livelihood/applications", response=list[LivelihoodApplicationOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_applications(request: HttpRequest) -> QuerySet[Application]:
    """A resident's own applications; for employers and staff, the applications to the posts they manage."""
    return selectors.application_list(user=request.user)


@router.post("/livelihood/applications/{application_id}/answer", response=LivelihoodApplicationOut)
def livelihood_answer(request: HttpRequest, application_id: Id, payload: LivelihoodAnswerIn) -> Application:
    _readers_only(request)
    application = selectors.application_get(user=request.user, pk=application_id)
    return services.application_answer(
        actor=request.user, application=application, accept=payload.accept, answer=payload.answer
    )


@router.post("/livelihood/applications/{application_id}/placement", response={201: LivelihoodApplicationOut})
def livelihood_placement(
    request: HttpRequest, application_id: Id, payload: LivelihoodPlacementIn
) -> Status[Application]:
    _readers_only(request)
    application = selectors.application_get(user=request.user, pk=application_id)
    services.placement_record(
        actor=request.user, application=application, started_on=payload.started_on, wage=payload.wage
    )
    return Status(201, selectors.application_get(user=request.user, pk=application_id))


@router.post("/livelihood/applications/{application_id}/retention", response=LivelihoodApplicationOut)
def livelihood_retention(
    request: HttpRequest, application_id: Id, payload: LivelihoodRetentionIn
) -> Application:
    _readers_only(request)
    application = selectors.application_get(user=request.user, pk=application_id)
    placement = Placement.objects.filter(application=application).first()
    if placement is None:
        raise ValidationError({"months": _("Only an accepted application becomes a placement.")})
    services.placement_retention(
        actor=request.user, placement=placement, months=payload.months, retained=payload.retained
    )
    return selectors.application_get(user=request.user, pk=application_id)


class LivelihoodFairOut(Schema):
    id: int
    title: str
    region: str = Field(alias="region_id")
    origin_region: str | None = Field(alias="origin_region_id")
    held_on: dt.date
    place: str
    job_ids: list[int]

    @staticmethod
    def resolve_job_ids(obj: JobFair) -> list[int]:
        return [j.pk for j in obj.jobs.all()]


@router.get("/livelihood/fairs", response=list[LivelihoodFairOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_fairs(request: HttpRequest) -> QuerySet[JobFair]:
    return selectors.fair_list(user=request.user).prefetch_related("jobs")


class LivelihoodSeekerNeedIn(Schema):
    origin_region: str = Field(..., pattern=r"^\d{2,12}$")
    occupation: str = Field(..., pattern=r"^[1-8]$", description="职业分类大典 (2022) major group")
    wanted: str = Field(..., min_length=1, max_length=60)
    place_region: str = Field(..., pattern=r"^\d{2,12}$")
    wage_min: StrictInt = Field(..., ge=0, le=1_000_000)
    languages: str = Field("", max_length=60)
    seekers: StrictInt = Field(..., ge=1, le=100_000)


class LivelihoodSeekerNeedOut(Schema):
    id: int
    origin_region: str
    occupation: str
    wanted: str
    place_region: str
    wage_min: int
    languages: str
    seekers: int
    fitting_job_ids: list[int] = Field(description="the open posts that fit the row")


def _need_out(need: SeekerNeed, jobs: list[Job]) -> dict[str, Any]:
    return {
        "id": need.pk,
        "origin_region": need.origin_region_id,
        "occupation": need.occupation,
        "wanted": need.wanted,
        "place_region": need.place_region_id,
        "wage_min": need.wage_min,
        "languages": need.languages,
        "seekers": need.seekers,
        "fitting_job_ids": [j.pk for j in jobs],
    }


@router.get("/livelihood/seeker-needs", response=list[LivelihoodSeekerNeedOut])
def livelihood_seeker_needs(request: HttpRequest) -> list[dict[str, Any]]:
    """The seekers' list (求职需求清单) the caller reads (at most 500 rows), each with the open posts that fit it."""
    _readers_only(request)
    needs = list(selectors.seeker_need_list(user=request.user)[:500])
    result = matching.match(needs, list(selectors.job_list(user=request.user, open_only=True)))
    return [_need_out(row.need, row.jobs) for row in result.rows]


@router.post("/livelihood/seeker-needs", response={201: LivelihoodSeekerNeedOut})
def livelihood_seeker_need_create(
    request: HttpRequest, payload: LivelihoodSeekerNeedIn
) -> Status[dict[str, Any]]:
    _readers_only(request)
    data = payload.dict()
    need = services.seeker_need_create(
        actor=request.user,
        data={
            **data,
            "origin_region": _region(data["origin_region"], "origin_region"),
            "place_region": _region(data["place_region"], "place_region"),
        },
    )
    fitting = matching.match([need], list(selectors.job_list(user=request.user, open_only=True))).rows[0].jobs
    return Status(201, _need_out(need, fitting))


# ------------------------------------------------------------------------------------------------------ training
class LivelihoodClassOut(Schema):
    id: int
    title: str
    site_id: int
    site: str = Field(alias="site.name")
    kind: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int
    enrolled: int


class LivelihoodEnrolmentOut(Schema):
    id: int
    class_id: int = Field(alias="training_class_id")
    enrolled_at: dt.datetime
    completed_on: dt.date | None
    certificate_code: str
    attended: int = 0


class LivelihoodAttendIn(Schema):
    code: str = Field(..., min_length=1, max_length=32, description="what the session's QR code carries")


class LivelihoodAttendOut(Schema):
    session_id: int
    method: str


@router.get("/livelihood/classes", response=list[LivelihoodClassOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_classes(request: HttpRequest) -> QuerySet[TrainingClass]:
    return selectors.class_list(user=request.user).order_by("-starts_on", "-pk")


@router.post(
    "/livelihood/classes/{class_id}/enrolments",
    response={201: LivelihoodEnrolmentOut},
    tags=RESIDENT_SERVICES,
)
def livelihood_enrol(request: HttpRequest, class_id: Id) -> Status[Enrolment]:
    _residents_only(request)
    klass = selectors.class_get(user=request.user, pk=class_id)
    return Status(201, services.enrol(actor=request.user, klass=klass))


@router.get("/livelihood/enrolments", response=list[LivelihoodEnrolmentOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_enrolments(request: HttpRequest) -> QuerySet[Enrolment]:
    """The caller's own enrolments (as a learner)."""
    return selectors.my_enrolments(user=request.user).order_by("-pk")


@router.post("/livelihood/attendance", response={201: LivelihoodAttendOut}, tags=RESIDENT_SERVICES)
def livelihood_attend(request: HttpRequest, payload: LivelihoodAttendIn) -> Status[dict[str, Any]]:
    """Sign in to a session with the code its QR code carries (on the session's day, while the class runs)."""
    attendance = services.attend_by_code(actor=request.user, token=payload.code)
    return Status(201, {"session_id": attendance.session_id, "method": attendance.method})


# ---------------------------------------------------------------------------------------------------- volunteers
class LivelihoodTeamOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region_id")
    unit_id: int | None
    leader_id: int
    member_count: int
    approved_hours: Decimal | None


class LivelihoodHoursIn(Schema):
    served_on: Date
    hours: Decimal = Field(..., max_digits=4, decimal_places=1)
    beneficiaries: StrictInt = Field(0, ge=0, le=100_000)
    description: str = Field(..., min_length=1, max_length=200)


class LivelihoodHoursOut(Schema):
    id: int
    team_id: int
    volunteer_id: int
    served_on: dt.date
    hours: Decimal
    beneficiaries: int
    description: str
    status: str
    return_reason: str


class LivelihoodDecisionIn(Schema):
    approve: StrictBool
    reason: str = Field("", max_length=200)


@router.get("/livelihood/teams", response=list[LivelihoodTeamOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_teams(request: HttpRequest) -> QuerySet[VolunteerTeam]:
    return selectors.team_list(user=request.user).order_by("name", "pk")


class LivelihoodHoursFilter(Schema):
    team: int | None = Field(None, ge=1, le=2**63 - 1, description="one team's hours")


@router.get("/livelihood/hours", response=list[LivelihoodHoursOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_hours(request: HttpRequest, filters: Query[LivelihoodHoursFilter]) -> QuerySet[VolunteerHours]:
    """Volunteer hours: all of a team's for its leader and managers, a member's own otherwise."""
    return selectors.hours_visible(user=request.user, team_id=filters.team)


@router.post("/livelihood/teams/{team_id}/hours", response={201: LivelihoodHoursOut}, tags=RESIDENT_SERVICES)
def livelihood_hours_log(
    request: HttpRequest, team_id: Id, payload: LivelihoodHoursIn
) -> Status[VolunteerHours]:
    """A member logs their own hours (not in the future, at most 24 a day)."""
    team = selectors.team_get(user=request.user, pk=team_id)
    return Status(201, services.hours_log(actor=request.user, team=team, **payload.dict()))


@router.post("/livelihood/hours/{hours_id}/decision", response=LivelihoodHoursOut, tags=RESIDENT_SERVICES)
def livelihood_hours_decide(
    request: HttpRequest, hours_id: Id, payload: LivelihoodDecisionIn
) -> VolunteerHours:
    entry = selectors.hours_get_for_decision(user=request.user, pk=hours_id)
    return services.hours_decide(
        actor=request.user, entry=entry, approve=payload.approve, reason=payload.reason
    )


# ------------------------------------------------------------------------------------------------------- cadres
class LivelihoodPairingOut(Schema):
    id: int
    cadre_id: int
    cadre_unit_id: int | None
    household: str
    region: str = Field(alias="region_id")
    members: int
    paired_on: dt.date
    last_visit: dt.date | None = None
    visit_count: int = 0


class LivelihoodVisitIn(Schema):
    visited_on: Date
    activities: str = Field(..., min_length=1, max_length=200)
    help_given: str = Field("", max_length=200)


class LivelihoodVisitOut(Schema):
    id: int
    pairing_id: int
    visited_on: dt.date
    activities: str
    help_given: str


@router.get("/livelihood/kinship", response=list[LivelihoodPairingOut], tags=RESIDENT_SERVICES)
@paginate(Page, limit=50)
def livelihood_pairings(request: HttpRequest) -> QuerySet[KinshipPairing]:
    return selectors.pairing_list(user=request.user).order_by("pk")


@router.post(
    "/livelihood/kinship/{pairing_id}/visits", response={201: LivelihoodVisitOut}, tags=RESIDENT_SERVICES
)
def livelihood_visit(
    request: HttpRequest, pairing_id: Id, payload: LivelihoodVisitIn
) -> Status[KinshipVisit]:
    pairing = selectors.pairing_get(user=request.user, pk=pairing_id)
    return Status(201, services.visit_log(actor=request.user, pairing=pairing, **payload.dict()))


# --------------------------------------------------------------------------------------------------- statistics
class LivelihoodCountRow(Schema):
    key: str
    name: str
    value: float


class LivelihoodStatisticsOut(Schema):
    posts: int
    applications: int
    placements: int
    retained_3m: int
    checked_3m: int
    retained_6m: int
    checked_6m: int
    posts_by_origin: list[LivelihoodCountRow]
    posts_by_occupation: list[LivelihoodCountRow]
    training: list[dict[str, Any]]
    volunteer_hours_by_team: list[LivelihoodCountRow]
    households_paired: int
    pairs_without_visit_for_a_quarter: int


@router.get("/livelihood/statistics", response=LivelihoodStatisticsOut)
def livelihood_statistics(request: HttpRequest) -> dict[str, Any]:
    """The figures of the statistics page, over the records the caller manages."""
    _readers_only(request)
    jobs = selectors.job_statistics(user=request.user)
    kin = selectors.kinship_statistics(user=request.user)
    t = jobs["totals"]
    return {
        "posts": t["posts"],
        "applications": t["applications"],
        "placements": t["placed"],
        "retained_3m": t["kept_3m"],
        "checked_3m": t["checked_3m"],
        "retained_6m": t["kept_6m"],
        "checked_6m": t["checked_6m"],
        "posts_by_origin": [
            {"key": r["region"].code, "name": r["region"].name, "value": r["posts"]} for r in jobs["origins"]
        ],
        "posts_by_occupation": [
            {"key": r["occupation"], "name": occupations.name(r["occupation"]), "value": r["posts"]}
            for r in jobs["occupations"]
        ],
        "training": [
            {
                "site_id": r["site"].pk,
                "site": r["site"].name,
                "year": r["year"],
                "classes": r["classes"],
                "enrolled": r["enrolled"],
                "attendance": r["attendance"],
                "completed": r["completed"],
            }
            for r in selectors.training_statistics(user=request.user)
        ],
        "volunteer_hours_by_team": [
            {"key": str(r["team"]), "name": r["team__name"], "value": float(r["hours"])}
            for r in selectors.volunteer_statistics(user=request.user)["teams"]
        ],
        "households_paired": kin["households"],
        "pairs_without_visit_for_a_quarter": kin["overdue"],
    }
