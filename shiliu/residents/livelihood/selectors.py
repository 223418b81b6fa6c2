"""Scoped reads of the livelihood services; pages, the API and the exports read through these.

Who sees what (with the jurisdiction layer's primitives, never by hand):

- **jobs**: the employer's coordinator and the staff of the employer's region manage them; the staff of an origin
  region a post recruits from read them (the posts offered to their people); residents browse posts (a post is
  published to be read) and see only their own applications;
- **training**: the site's coordinator, its region's staff and the class's teacher manage a class; residents see
  classes open for enrolment and their own enrolments;
- **volunteers**: the team's unit coordinator and region staff manage it, the leader decides its hours, members log
  their own;
- **cadre–family pairs**: the household region's staff and the cadre's unit coordinator manage them; the cadre
  logs visits to their own household.

Anything else is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from shiliu.jurisdiction.party import Party, acts_for
from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import owned_q, scope_for, under
from shiliu.lib import clock
from shiliu.orgs.models import Organization, UnitKind

from . import occupations
from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    Enrolment,
    HoursStatus,
    Job,
    JobFair,
    JobStatus,
    KinshipPairing,
    KinshipVisit,
    Placement,
    SeekerNeed,
    TrainingClass,
    TrainingSession,
    VolunteerHours,
    VolunteerTeam,
)

QUARTER_DAYS = 91


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    try:
        obj = qs.filter(pk=int(pk)).first()
    except (ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if obj is None:
        raise Http404
    return obj


def is_resident(user: Any) -> bool:
    return getattr(user, "role", None) == Role.RESIDENT


# ---------------------------------------------------------------------------------------------------------- jobs
EMPLOYER_PARTY = (("employer__region", "employer"),)


def job_manages(*, user: Any, job: Job) -> bool:
    return acts_for(user, Party(region=job.employer.region_id, unit=job.employer_id))


def _origin_staff_q(user: Any, field: str) -> Q:
    scope = scope_for(user)
    if not scope.is_staff:
        return Q(pk__in=[])
    return Q() if scope.is_everything else under(field, scope.prefix or "")


def job_list(*, user: Any, query: str = "", occupation: str = "", open_only: bool = False) -> QuerySet[Job]:
    """Posts the user may read: residents every published post; staff and coordinators those they manage or (origin
    staff) those offered to their people."""
    if is_resident(user):
        qs = Job.objects.all()
        open_only = True
    elif scope_for(user).reads_records:
        offered = Job.objects.filter(_origin_staff_q(user, "recruit_from")).values("pk")
        qs = Job.objects.filter(owned_q(user, EMPLOYER_PARTY) | Q(pk__in=offered))
    else:
        return Job.objects.none()
    if open_only:
        qs = qs.filter(status=JobStatus.OPEN, closes_on__gte=clock.today())
    if occupation:
        qs = qs.filter(occupation=occupation)
    if query.strip():
        text = query.strip()
        qs = qs.filter(Q(title__contains=text) | Q(employer__name__contains=text) | Q(place__contains=text))
    return qs.select_related("employer", "region").prefetch_related("recruit_from")


def job_get(*, user: Any, pk: Any) -> Job:
    if is_resident(user):
        return _get(Job.objects.select_related("employer", "region"), pk)
    return _get(job_list(user=user), pk)


def employer_choices(*, user: Any) -> QuerySet[Organization]:
    return _unit_choices(user, (UnitKind.ENTERPRISE,))


def _unit_choices(user: Any, kinds: tuple[str, ...] | None = None) -> QuerySet[Organization]:
    scope = scope_for(user)
    if scope.is_coordinator:
        q = Q(pk=scope.unit_id)
    elif scope.is_staff:
        q = Q() if scope.is_everything else under("region", scope.prefix or "")
    else:
        q = Q(pk__in=[])
    qs = Organization.objects.filter(q, is_active=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.select_related("region").order_by("region_id", "name")


def unit_choices(*, user: Any) -> QuerySet[Organization]:
    return _unit_choices(user)


def fair_list(*, user: Any) -> QuerySet[JobFair]:
    if is_resident(user):
        return JobFair.objects.filter(held_on__gte=clock.today()).select_related("region", "organiser")
    q = owned_q(user, (("region", "organiser"),)) | _origin_staff_q(user, "origin_region")
    return JobFair.objects.filter(q).select_related("region", "organiser", "origin_region")


def fair_get(*, user: Any, pk: Any) -> JobFair:
    return _get(fair_list(user=user), pk)


def application_list(*, user: Any, job: Job | None = None, status: str = "") -> QuerySet[Application]:
    if is_resident(user):
        qs = Application.objects.filter(applicant=user)
    elif scope_for(user).reads_records:
        qs = Application.objects.filter(owned_q(user, (("job__employer__region", "job__employer"),)))
    else:
        return Application.objects.none()
    if job is not None:
        qs = qs.filter(job=job)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("job", "job__employer", "applicant", "origin_region", "placement")


def application_get(*, user: Any, pk: Any) -> Application:
    return _get(application_list(user=user), pk)


def placement_list(*, user: Any) -> QuerySet[Placement]:
    return Placement.objects.filter(
        application__in=application_list(user=user).exclude(placement__isnull=True).values("pk")
    ).select_related(
        "application", "application__job", "application__job__employer", "application__applicant"
    )


def retention_due(*, user: Any) -> list[tuple[Placement, int]]:
    """Placements whose 3- or 6-month check has come and is not recorded, oldest first."""
    today = clock.today()
    due: list[tuple[Placement, int]] = []
    for p in (
        placement_list(user=user)
        .filter(Q(retained_3m__isnull=True) | Q(retained_6m__isnull=True))
        .order_by("started_on")
    ):
        if p.retained_3m is None and p.due_3m <= today:
            due.append((p, 3))
        elif p.retained_3m and p.retained_6m is None and p.due_6m <= today:
            due.append((p, 6))
    return due


def job_statistics(*, user: Any) -> dict[str, Any]:
    """Posts offered to each origin region, applications, placements and retention — over the jobs the user reads."""
    jobs = job_list(user=user)
    by_origin: dict[str, dict[str, Any]] = {}
    for job in jobs:
        for region in job.recruit_from.all():
            row = by_origin.setdefault(region.code, {"region": region, "posts": 0, "openings": 0})
            row["posts"] += 1
            row["openings"] += job.openings
    # Applications to posts the user manages, and (origin staff) those of their own people to posts elsewhere — not
    # another origin region's applicants to a post both regions are offered.
    apps = Application.objects.filter(job__in=jobs.values("pk")).filter(
        owned_q(user, (("job__employer__region", "job__employer"),)) | _origin_staff_q(user, "origin_region")
    )
    app_rows = {
        r["origin_region"]: r
        for r in apps.values("origin_region", "origin_region__name").annotate(
            applications=Count("pk"),
            accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
            placed=Count("placement"),
            kept_3m=Count("pk", filter=Q(placement__retained_3m=True)),
            checked_3m=Count("pk", filter=Q(placement__retained_3m__isnull=False)),
            kept_6m=Count("pk", filter=Q(placement__retained_6m=True)),
            checked_6m=Count("pk", filter=Q(placement__retained_6m__isnull=False)),
        )
    }
    totals = apps.aggregate(
        applications=Count("pk"),
        placed=Count("placement"),
        kept_3m=Count("pk", filter=Q(placement__retained_3m=True)),
        checked_3m=Count("pk", filter=Q(placement__retained_3m__isnull=False)),
        kept_6m=Count("pk", filter=Q(placement__retained_6m=True)),
        checked_6m=Count("pk", filter=Q(placement__retained_6m__isnull=False)),
    )
    occupation_rows = list(
        jobs.order_by().values("occupation").annotate(posts=Count("pk"), openings=Sum("openings"))
    )
    all_posts = sum(r["posts"] for r in occupation_rows)
    sales_clerical = sum(
        r["posts"] for r in occupation_rows if r["occupation"] in occupations.SALES_OR_CLERICAL
    )
    return {
        "origins": sorted(by_origin.values(), key=lambda r: -r["posts"]),
        "applications_by_origin": sorted(app_rows.values(), key=lambda r: -r["applications"]),
        "totals": {**totals, "posts": jobs.count(), "open_posts": jobs.filter(status=JobStatus.OPEN).count()},
        "rate_3m": _rate(totals["kept_3m"], totals["checked_3m"]),
        "rate_6m": _rate(totals["kept_6m"], totals["checked_6m"]),
        "occupations": [
            {**r, "name": occupations.name(r["occupation"])}
            for r in sorted(occupation_rows, key=lambda r: r["occupation"])
        ],
        "sales_clerical_share": _rate(sales_clerical, all_posts),
    }


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def seeker_need_list(*, user: Any) -> QuerySet[SeekerNeed]:
    """The seekers' lists the user reads: their own region's (origin staff) and those wanting work in their region."""
    scope = scope_for(user)
    if not scope.is_staff:
        return SeekerNeed.objects.none()
    if scope.is_everything:
        q = Q()
    else:
        q = under("origin_region", scope.prefix or "") | under("place_region", scope.prefix or "")
    return SeekerNeed.objects.filter(q).select_related("origin_region", "place_region")


def seeker_need_get(*, user: Any, pk: Any) -> SeekerNeed:
    return _get(seeker_need_list(user=user), pk)


# ------------------------------------------------------------------------------------------------------ training
SITE_PARTY = (("region", "site"),)


def class_manages(*, user: Any, klass: TrainingClass) -> bool:
    return (klass.teacher_id is not None and klass.teacher_id == getattr(user, "pk", None)) or acts_for(
        user, Party(region=klass.region_id, unit=klass.site_id)
    )


def class_list(*, user: Any, year: int | None = None) -> QuerySet[TrainingClass]:
    if is_resident(user):
        qs = TrainingClass.objects.filter(
            Q(ends_on__gte=clock.today()) | Q(enrolments__learner=user)
        ).distinct()
    elif scope_for(user).reads_records:
        qs = TrainingClass.objects.filter(owned_q(user, SITE_PARTY) | Q(teacher=user))
    else:
        return TrainingClass.objects.none()
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.select_related("site", "region", "teacher").annotate(
        enrolled=Count("enrolments", distinct=True)
    )


def class_get(*, user: Any, pk: Any) -> TrainingClass:
    return _get(class_list(user=user), pk)


def session_get(*, user: Any, pk: Any) -> TrainingSession:
    session = _get(TrainingSession.objects.select_related("training_class", "training_class__site"), pk)
    if not class_manages(user=user, klass=session.training_class):
        raise Http404
    return session


def my_enrolments(*, user: Any) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=user)
        .select_related("training_class", "training_class__site")
        .annotate(attended=Count("attendances"))
    )


def enrolment_get_own(*, user: Any, pk: Any) -> Enrolment:
    return _get(my_enrolments(user=user), pk)


def enrolment_get_managed(*, user: Any, pk: Any) -> Enrolment:
    enrolment = _get(Enrolment.objects.select_related("training_class", "learner"), pk)
    if not class_manages(user=user, klass=enrolment.training_class):
        raise Http404
    return enrolment


def certificate_find(*, code: str) -> Enrolment | None:
    """The completed enrolment a certificate's code belongs to (the public check; case and spaces ignored)."""
    clean = "".join(code.split()).upper()
    if not clean or len(clean) > 16:
        return None
    return (
        Enrolment.objects.filter(certificate_code=clean, completed_on__isnull=False)
        .select_related("training_class", "training_class__site", "learner")
        .first()
    )


def training_statistics(*, user: Any, year: int | None = None) -> list[dict[str, Any]]:
    """Per training site and year: classes, enrolments, attendance in 人次 (person-times) and completions."""
    classes = class_list(user=user).order_by()
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for klass in classes.select_related("site"):
        if year and klass.starts_on.year != year:
            continue
        key = (klass.site_id, klass.starts_on.year)
        row = rows.setdefault(
            key,
            {
                "site": klass.site,
                "year": klass.starts_on.year,
                "classes": 0,
                "enrolled": 0,
                "attendance": 0,
                "completed": 0,
            },
        )
        row["classes"] += 1
        row["enrolled"] += klass.enrolled  # type: ignore[attr-defined]
    ids = list(classes.values_list("pk", flat=True))
    for r in (
        Attendance.objects.filter(session__training_class__in=ids)
        .values("session__training_class__site", "session__training_class__starts_on__year")
        .annotate(n=Count("pk"))
    ):
        key = (r["session__training_class__site"], r["session__training_class__starts_on__year"])
        if key in rows:
            rows[key]["attendance"] += r["n"]
    for r in (
        Enrolment.objects.filter(training_class__in=ids, completed_on__isnull=False)
        .values("training_class__site", "training_class__starts_on__year")
        .annotate(n=Count("pk"))
    ):
        key = (r["training_class__site"], r["training_class__starts_on__year"])
        if key in rows:
            rows[key]["completed"] += r["n"]
    return sorted(rows.values(), key=lambda r: (-r["year"], r["site"].name))


# ---------------------------------------------------------------------------------------------------- volunteers
TEAM_PARTY = (("region", "unit"),)


def team_leads(*, user: Any, team: VolunteerTeam) -> bool:
    return team.leader_id == getattr(user, "pk", None) or acts_for(
        user, Party(region=team.region_id, unit=team.unit_id)
    )


def team_list(*, user: Any) -> QuerySet[VolunteerTeam]:
    if is_resident(user):
        q = Q(members=user) | Q(leader=user)
    elif scope_for(user).reads_records:
        q = owned_q(user, TEAM_PARTY) | Q(leader=user)
    else:
        return VolunteerTeam.objects.none()
    ids = VolunteerTeam.objects.filter(q).values("pk")
    return (
        VolunteerTeam.objects.filter(pk__in=ids)
        .select_related("region", "unit", "leader")
        .annotate(
            approved_hours=Sum("hours__hours", filter=Q(hours__status=HoursStatus.APPROVED)),
            member_count=Count("members", distinct=True),
        )
    )


def team_get(*, user: Any, pk: Any) -> VolunteerTeam:
    return _get(team_list(user=user), pk)


def hours_list(*, user: Any, team: VolunteerTeam) -> QuerySet[VolunteerHours]:
    qs = team.hours.select_related("volunteer", "decided_by")
    return qs if team_leads(user=user, team=team) else qs.filter(volunteer=user)


def hours_visible(*, user: Any, team_id: int | None = None) -> QuerySet[VolunteerHours]:
    """The hours of the teams the user leads or manages, and the user's own in any team."""
    led = [t.pk for t in team_list(user=user) if team_leads(user=user, team=t)]
    qs = VolunteerHours.objects.filter(Q(team__in=led) | Q(volunteer=user))
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    return qs.select_related("team", "volunteer").order_by("-served_on", "-pk")


def hours_get_for_decision(*, user: Any, pk: Any) -> VolunteerHours:
    entry = _get(VolunteerHours.objects.select_related("team", "volunteer"), pk)
    if not team_leads(user=user, team=entry.team):
        raise Http404
    return entry


def hours_waiting(*, user: Any) -> QuerySet[VolunteerHours]:
    teams = [t.pk for t in team_list(user=user) if team_leads(user=user, team=t)]
    return VolunteerHours.objects.filter(team__in=teams, status=HoursStatus.PENDING).select_related(
        "team", "volunteer"
    )


def volunteer_statistics(*, user: Any, year: int | None = None) -> dict[str, Any]:
    """Approved hours, people served and volunteers per team (ranked) and per county."""
    teams = team_list(user=user)
    hours = VolunteerHours.objects.filter(team__in=teams.values("pk"), status=HoursStatus.APPROVED)
    if year:
        hours = hours.filter(served_on__year=year)
    per_team = list(
        hours.values("team", "team__name", "team__region__name")
        .annotate(
            hours=Sum("hours"),
            served=Sum("beneficiaries"),
            volunteers=Count("volunteer", distinct=True),
            entries=Count("pk"),
        )
        .order_by("-hours", "team__name")
    )
    per_region: dict[str, dict[str, Any]] = defaultdict(lambda: {"hours": 0, "served": 0, "teams": set()})
    for r in hours.values("team", "team__region").annotate(hours=Sum("hours"), served=Sum("beneficiaries")):
        county = r["team__region"][:6]
        per_region[county]["hours"] += r["hours"]
        per_region[county]["served"] += r["served"]
        per_region[county]["teams"].add(r["team"])
    from shiliu.regions.models import Region

    names = dict(Region.objects.filter(code__in=per_region).values_list("code", "name"))
    regions = sorted(
        (
            {
                "code": c,
                "name": names.get(c, c),
                "hours": v["hours"],
                "served": v["served"],
                "teams": len(v["teams"]),
            }
            for c, v in per_region.items()
        ),
        key=lambda r: -r["hours"],
    )
    volunteers = list(
        hours.values("volunteer", "volunteer__display_name", "volunteer__username")
        .annotate(hours=Sum("hours"))
        .order_by("-hours")[:10]
    )
    return {"teams": per_team, "regions": regions, "volunteers": volunteers}


# ------------------------------------------------------------------------------------------------------- cadres
KIN_PARTY = (("region", "cadre_unit"),)


def pairing_acts(*, user: Any, pairing: KinshipPairing) -> bool:
    if pairing.cadre_id == getattr(user, "pk", None):
        return True
    scope = scope_for(user)
    if scope.is_coordinator:
        return pairing.cadre_unit_id is not None and pairing.cadre_unit_id == scope.unit_id
    return scope.is_staff and scope.covers(pairing.region_id)


def pairing_list(*, user: Any) -> QuerySet[KinshipPairing]:
    q = owned_q(user, KIN_PARTY) | Q(cadre=user) if scope_for(user).reads_records else Q(cadre=user)
    return (
        KinshipPairing.objects.filter(q)
        .select_related("cadre", "cadre_unit", "region")
        .annotate(last_visit=Max("visits__visited_on"), visit_count=Count("visits", distinct=True))
    )


def pairing_get(*, user: Any, pk: Any) -> KinshipPairing:
    return _get(pairing_list(user=user), pk)


def overdue_q(today: dt.date) -> Q:
    """Pairs with no visit in the last quarter (91 days), counted from the pairing when there was never one."""
    since = today - dt.timedelta(days=QUARTER_DAYS)
    recent = KinshipVisit.objects.filter(pairing=OuterRef("pk"), visited_on__gt=since)
    return Q(paired_on__lte=since) & ~Q(Exists(recent))


def pairing_overdue(*, user: Any) -> QuerySet[KinshipPairing]:
    return pairing_list(user=user).filter(overdue_q(clock.today()))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def kinship_statistics(*, user: Any) -> dict[str, Any]:
    """Coverage: households paired, cadres, visits per quarter (the last four), pairs with no visit for a quarter,
    aid given."""
    pairs = pairing_list(user=user)
    today = clock.today()
    visits = KinshipVisit.objects.filter(pairing__in=pairs.values("pk"))
    quarters: dict[str, dict[str, int]] = {}
    for v in visits.filter(visited_on__gte=dt.date(today.year - 1, 1, 1)).values("visited_on", "pairing"):
        q = quarter_of(v["visited_on"])
        row = quarters.setdefault(q, {"visits": 0, "pairs": set()})  # type: ignore[dict-item]
        row["visits"] += 1
        row["pairs"].add(v["pairing"])  # type: ignore[attr-defined]
    from .models import KinshipAid

    aid = KinshipAid.objects.filter(pairing__in=pairs.values("pk")).aggregate(
        total=Sum("amount"), count=Count("pk")
    )
    return {
        "households": pairs.values("household", "region").distinct().count(),
        "cadres": pairs.values("cadre").distinct().count(),
        "pairs": pairs.count(),
        "overdue": pairs.filter(overdue_q(today)).count(),
        "quarters": [
            {"quarter": q, "visits": r["visits"], "pairs_visited": len(r["pairs"])}  # type: ignore[arg-type]
            for q, r in sorted(quarters.items(), reverse=True)
        ][:4],
        "aid_count": aid["count"],
        "aid_total": aid["total"] or 0,
    }
