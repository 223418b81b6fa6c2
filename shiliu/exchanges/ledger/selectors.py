"""Scoped reads of the ledger: activities a user may see, with the filters the statistics drill down by, and an
activity's participant rows as the viewer may see them (small cells suppressed outside the owning party)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_noop

from shiliu.exchanges.ledger.models import (
    Activity,
    ActivityStatus,
    Participation,
    Side,
)
from shiliu.jurisdiction.party import Party, acts_for, acts_for_q
from shiliu.jurisdiction.scope import owned_q, under, viewer_for
from shiliu.jurisdiction.suppression import PartyLike, Shown, inside_owning_party, shown_list
from shiliu.lib.panels import Panel

# An activity's two parties, as (path to the region, path to the unit).
PARTIES = (("sending_region", "sending_unit"), ("receiving_region", "receiving_unit"))


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
        if role in ("sending", "receiving"):
            qs = qs.filter(under(f"{role}_region", region))
        else:
            qs = qs.in_region(region)
    if status:
        qs = qs.filter(status=status)
    if plan in ("embedding", "youth", "tourism"):
        qs = qs.filter(**{f"plan_{plan}": True})
    if activity_type:
        qs = qs.filter(activity_type_id=activity_type)
    if category or ethnic_group:
        # Only among the activities the user owns: outside them, a list of "the activities with a participant of
        # this group" would say what the suppressed breakdowns hide.
        qs = qs.filter(owned_q(user, PARTIES))
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


def activities_awaiting_confirmation(*, user: Any) -> QuerySet[Activity]:
    """Submitted activities whose other side (the one that must confirm) the user speaks for."""
    return Activity.objects.filter(status=ActivityStatus.SUBMITTED).filter(
        (Q(recorded_by_side=Side.SENDING) & acts_for_q(user, "receiving"))
        | (Q(recorded_by_side=Side.RECEIVING) & acts_for_q(user, "sending"))
    )


def activity_get(*, user: Any, pk: int) -> Activity:
    try:
        return activity_list(user=user).get(pk=pk)
    except (Activity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def parties(activity: Activity) -> list[PartyLike]:
    return [
        (activity.sending_region_id, activity.sending_unit_id),
        (activity.receiving_region_id, activity.receiving_unit_id),
    ]


def owns_activity(*, user: Any, activity: Activity) -> bool:
    """Is the user inside the sending or the receiving party (and so sees the activity's exact counts)?"""
    return inside_owning_party(viewer_for(user), parties(activity))


def participation_shown(
    *, user: Any, activity: Activity, rows: list[Participation]
) -> tuple[list[tuple[Participation, Shown]], Shown]:
    """An activity's participant rows and their total as the user may see them.

    Inside the parties every row is exact. A reader outside them (a coordinator of another unit in the county)
    gets the total alone, "<5" when small, and no rows: the rows are cells of ethnic group × category × age ×
    gender, and the statistics pages publish the same people summed over many activities, so any published
    breakdown of one activity, however suppressed in itself, could be subtracted from the aggregate and the
    other activities' rows to give back a hidden cell (linked tables). The aggregate keeps its own suppression.
    """
    if owns_activity(user=user, activity=activity):
        return [(r, Shown(r.count)) for r in rows], Shown(sum(r.count for r in rows))
    (total,), _sum = shown_list([sum(r.count for r in rows)])
    return [], total


def pairing_panel(user: Any, pairing: Any) -> Panel:
    """The pairing page's panel of exchanges recorded under it (registered with pairings.panels)."""
    activities = Activity.objects.filter(pairing=pairing)
    return Panel(
        "exchanges/_pairing_panel.html",
        {
            "pairing": pairing,
            "activities": activities.exclude(status=ActivityStatus.CANCELLED).select_related("activity_type")[
                :10
            ],
            "activity_count": activities.filter(status=ActivityStatus.CONFIRMED).count(),
            # either side may record an exchange under an active pairing
            "can_record": pairing.status == "active"
            and any(acts_for(user, Party.of(pairing, side)) for side in ("a", "b")),
        },
    )


SUPPRESSION_NOTE = gettext_noop(
    "<5: fewer than 5 people. ×: hidden so that a figure under 5 cannot be worked out from the totals. "
    "Figures of activities outside your own side are shown this way."
)
