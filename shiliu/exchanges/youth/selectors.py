"""Reads of the youth exchange: programmes a user may see, a programme's summary (letters each way, quiet pairs),
online classes, and the time of a class at each school (北京时间 / 新疆时间)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext_lazy

from shiliu.exchanges.ledger.models import Activity, ActivityStatus
from shiliu.exchanges.ledger.panels import Panel
from shiliu.exchanges.youth.models import (
    LetterLog,
    OnlineClass,
    PenPalMatch,
    PenPalProgramme,
    PenPalStudent,
    StudentStatus,
)
from shiliu.jurisdiction.party import Party, acts_for
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock


def programme_sides(actor: Any, programme: PenPalProgramme) -> list[str]:
    """The schools (a, b) of the programme the actor speaks for."""
    return [side for side in "ab" if acts_for(actor, Party.of_unit(programme.school(side)))]


def programmes_visible(user: Any) -> Any:
    """Staff see the programmes in their jurisdiction; a coordinator only those of their own school."""
    qs = PenPalProgramme.objects.visible_to(user).select_related("school_a__region", "school_b__region")
    scope = scope_for(user)
    if scope.is_coordinator:
        qs = qs.filter(Q(school_a=scope.unit_id) | Q(school_b=scope.unit_id))
    return qs


def penpals_awaiting_rematch(*, user: Any) -> Any:
    """Pupils still in a programme the user sees whose partner left and who have no partner now."""
    active = PenPalMatch.objects.filter(ended_on__isnull=True)
    ended = PenPalMatch.objects.filter(ended_on__isnull=False)
    return (
        PenPalStudent.objects.filter(
            programme__in=programmes_visible(user).values("pk"), status=StudentStatus.ACTIVE
        )
        .exclude(pk__in=active.values("student_a"))
        .exclude(pk__in=active.values("student_b"))
        .filter(Q(pk__in=ended.values("student_a")) | Q(pk__in=ended.values("student_b")))
    )


def programme_summary(programme: PenPalProgramme) -> dict[str, Any]:
    """Active pairs, letters each way, pairs quiet for 90 days (decay shows here first), re-matches waiting."""
    matches = PenPalMatch.objects.filter(programme=programme)
    active = matches.filter(ended_on__isnull=True)
    letters = LetterLog.objects.filter(match__programme=programme)
    quiet_since = clock.today() - dt.timedelta(days=90)
    last = active.annotate(last=Max("letters__sent_on"))
    return {
        "students": programme.students.filter(status=StudentStatus.ACTIVE).count(),
        "without_consent": programme.students.filter(
            status=StudentStatus.ACTIVE, consent_on__isnull=True
        ).count(),
        "active_pairs": active.count(),
        "ended_pairs": matches.filter(ended_on__isnull=False).count(),
        "letters": letters.aggregate(n=Sum("count"))["n"] or 0,
        "letters_by_direction": dict(
            letters.values_list("direction").annotate(n=Sum("count")).values_list("direction", "n")
        ),
        # pairs older than 90 days without a letter in the last 90 days
        "quiet_pairs": last.filter(created_at__lt=clock.now() - dt.timedelta(days=90))
        .filter(Q(last__lt=quiet_since) | Q(last__isnull=True))
        .count(),
        "letter_pairs": active.annotate(n=Count("letters")).filter(n__gt=0).count(),
    }


# --- joint online classes --------------------------------------------------------------------------------------

BEIJING = ZoneInfo("Asia/Shanghai")
# Official time is Beijing time everywhere; schools in Xinjiang commonly keep 新疆时间 (UTC+6) for the school day.
LOCAL_ZONES = {"65": ("Asia/Urumqi", gettext_lazy("Xinjiang time"))}


def school_zone(region_code: str) -> tuple[ZoneInfo, str]:
    """The zone a school's timetable is kept in, and its name in the reader's language (北京时间 / 新疆时间)."""
    name, label = LOCAL_ZONES.get(region_code[:2], ("Asia/Shanghai", gettext_lazy("Beijing time")))
    return ZoneInfo(name), str(label)


def both_times(online: OnlineClass) -> list[tuple[str, str, str]]:
    """(school, zone label, local start as text) for each school, host first.

    Text, because templates would convert a datetime back into the site's zone.
    """
    out = []
    for side in ("sending", "receiving"):
        unit = getattr(online.activity, f"{side}_unit")
        zone, label = school_zone(unit.region_id)
        out.append((unit.name, label, online.starts_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")))
    return out


def online_classes_visible(user: Any) -> Any:
    return (
        OnlineClass.objects.filter(activity__in=Activity.objects.visible_to(user))
        .select_related("activity__sending_unit", "activity__receiving_unit")
        .order_by("-starts_at")
    )


def online_class_panel(user: Any, activity: Activity) -> Panel | None:
    """An online class's part of its activity page: both schools' times, link, attendance and the host's report."""
    from shiliu.exchanges.ledger.services import activity_actions

    from .forms import OnlineReportForm

    online = OnlineClass.objects.filter(activity=activity).first()
    if online is None:
        return None
    can_report = (
        "edit" in activity_actions(actor=user, activity=activity)
        and online.starts_at <= clock.now()
        and activity.status in (ActivityStatus.DRAFT, ActivityStatus.SUBMITTED)
    )
    form = OnlineReportForm(
        initial={
            "attendance_sending": online.attendance_sending,
            "attendance_receiving": online.attendance_receiving,
            "replay_url": online.replay_url,
        }
    )
    return Panel(
        "exchanges/_online_class_panel.html",
        {"online": online, "times": both_times(online), "can_report": can_report, "report_form": form},
    )
