"""Scoped reads of the ledger, and its statistics.

Counting rules: only confirmed activities; each activity counts once in a region's totals even when both parties
lie in the region; by role, it counts once as sending for the sending side and once as receiving for the receiving
side. Ethnic breakdowns of fewer than 5 person-times are shown as "<5" unless the viewer owns every activity behind
the number: they are the coordinator of a party unit, or staff of exactly a party's region (not a higher level).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from shiliu.accounts.scoping import Scope, require_region_in_scope, scope_for
from shiliu.regions.models import EthnicGroup

from .models import Activity, ActivityStatus, Participation

SMALL_CELL = 5


def activity_list(
    *,
    user: Any,
    region: str = "",
    role: str = "",
    status: str = "",
    plan: str = "",
    activity_type: int | None = None,
    category: str = "",
    ethnic_group: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    query: str = "",
    pairing: int | None = None,
) -> QuerySet[Activity]:
    """Activities one of whose parties the user sees, with the filters the statistics drill down by."""
    qs = Activity.objects.visible_to(user).select_related(
        "activity_type", "sending_region", "receiving_region", "sending_unit", "receiving_unit"
    )
    if region:
        if role == "sending":
            qs = qs.filter(sending_region__code__startswith=region)
        elif role == "receiving":
            qs = qs.filter(receiving_region__code__startswith=region)
        else:
            qs = qs.filter(
                Q(sending_region__code__startswith=region) | Q(receiving_region__code__startswith=region)
            )
    if status:
        qs = qs.filter(status=status)
    if plan in ("embedding", "youth", "tourism"):
        qs = qs.filter(**{f"plan_{plan}": True})
    if activity_type:
        qs = qs.filter(activity_type_id=activity_type)
    if category:
        qs = qs.filter(participations__category=category)
    if ethnic_group:
        qs = qs.filter(participations__ethnic_group_id=ethnic_group)
    if date_from:
        qs = qs.filter(start_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    if query.strip():
        qs = qs.filter(title__contains=query.strip())
    if pairing:
        qs = qs.filter(pairing_id=pairing)
    return qs.distinct()


def activity_get(*, user: Any, pk: int) -> Activity:
    try:
        return activity_list(user=user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class Stats:
    batches: int = 0
    person_times: int = 0
    by_role: dict[str, tuple[int, int]] = field(default_factory=dict)  # role → (batches, person-times)
    by_plan: list[tuple[str, str, int, int]] = field(
        default_factory=list
    )  # (key, label, batches, person-times)
    by_type: list[tuple[int, str, int, int]] = field(default_factory=list)
    by_category: list[tuple[str, str, int]] = field(default_factory=list)
    by_ethnic_group: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, shown value)
    top_partners: list[tuple[str, str, int]] = field(default_factory=list)


def _owns(scope: Scope, activity: Activity) -> bool:
    if scope.unit_id is not None:
        return scope.unit_id in (activity.sending_unit_id, activity.receiving_unit_id)
    return scope.prefix in (activity.sending_region_id, activity.receiving_region_id)


def activity_stats(
    *, user: Any, region: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Stats:
    from .models import Category, Plan

    require_region_in_scope(user, region)
    base = activity_list(
        user=user, region=region, status=ActivityStatus.CONFIRMED, date_from=date_from, date_to=date_to
    )
    activities = list(base)  # fetched once: ids, ownership and partners all come from this list
    ids = [a.pk for a in activities]
    rows = Participation.objects.filter(activity_id__in=ids)
    stats = Stats(batches=len(ids), person_times=rows.aggregate(n=Sum("count"))["n"] or 0)
    for role in ("sending", "receiving"):
        role_ids = base.filter(**{f"{role}_region__code__startswith": region}).values("pk")
        stats.by_role[role] = (
            role_ids.count(),
            rows.filter(activity_id__in=role_ids).aggregate(n=Sum("count"))["n"] or 0,
        )
    for value, label in Plan.choices:
        plan_ids = base.filter(**{f"plan_{value}": True}).values("pk")
        stats.by_plan.append(
            (
                value,
                str(label),
                plan_ids.count(),
                rows.filter(activity_id__in=plan_ids).aggregate(n=Sum("count"))["n"] or 0,
            )
        )
    per_type = (
        base.values("activity_type_id", "activity_type__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
    )
    type_people = dict(rows.values_list("activity__activity_type_id").annotate(n=Sum("count")))
    stats.by_type = [
        (t["activity_type_id"], t["activity_type__name"], t["n"], type_people.get(t["activity_type_id"], 0))
        for t in per_type
    ]
    labels = dict(Category.choices)
    stats.by_category = [
        (c, str(labels[c]), n)
        for c, n in rows.values_list("category").annotate(n=Sum("count")).order_by("-n")
    ]
    # Small cells are suppressed unless the viewer owns a party of every activity counted.
    scope = scope_for(user)
    own_all = bool(activities) and all(_owns(scope, a) for a in activities)
    names = dict(EthnicGroup.objects.values_list("code", "name"))
    for code, n in rows.values_list("ethnic_group_id").annotate(n=Sum("count")).order_by("-n"):
        stats.by_ethnic_group.append(
            (code, names.get(code, code), str(n) if n >= SMALL_CELL or own_all else f"<{SMALL_CELL}")
        )
    partners: dict[tuple[str, str], int] = {}
    for a in activities:
        other = a.receiving_region if a.sending_region_id.startswith(region) else a.sending_region
        if a.sending_region_id.startswith(region) and a.receiving_region_id.startswith(region):
            continue
        partners[(other.code, other.name)] = partners.get((other.code, other.name), 0) + 1
    stats.top_partners = sorted(((c, n, k) for (c, n), k in partners.items()), key=lambda x: -x[2])[:10]
    return stats


def youth_and_tourism_stats(
    *, user: Any, region: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, int]:
    """Pen-pals and tour groups of a region in a period, beside the ledger's figures.

    Pen-pal figures count programmes with a school in the region, their pairs active now, and letters sent in the
    period; tour groups count those leaving from and arriving in the region (started in the period).
    """
    from .models import LetterLog, PenPalMatch, TourGroup
    from .youth import programmes_visible

    require_region_in_scope(user, region)
    programmes = programmes_visible(user).filter(
        Q(school_a__region__code__startswith=region) | Q(school_b__region__code__startswith=region)
    )
    letters = LetterLog.objects.filter(match__programme__in=programmes)
    groups = TourGroup.objects.visible_to(user)
    if date_from:
        letters = letters.filter(sent_on__gte=date_from)
        groups = groups.filter(start_date__gte=date_from)
    if date_to:
        letters = letters.filter(sent_on__lte=date_to)
        groups = groups.filter(start_date__lte=date_to)
    outbound = groups.filter(origin_region__code__startswith=region).aggregate(
        n=Count("pk"), people=Sum("size")
    )
    inbound = groups.filter(destination_region__code__startswith=region).aggregate(
        n=Count("pk"), people=Sum("size")
    )
    return {
        "programmes": programmes.count(),
        "pairs": PenPalMatch.objects.filter(programme__in=programmes, ended_on__isnull=True).count(),
        "letters": letters.aggregate(n=Sum("count"))["n"] or 0,
        "groups_out": outbound["n"],
        "visitors_out": outbound["people"] or 0,
        "groups_in": inbound["n"],
        "visitors_in": inbound["people"] or 0,
    }
