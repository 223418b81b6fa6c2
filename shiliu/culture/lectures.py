"""Publicity lectures (宣讲): series and their sessions, their reach (场次, 人次) per region and period, and the
one activity a session under a plan becomes in the activity statistics (derived, never typed twice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth, Substr
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.exchanges.ledger import derived
from shiliu.exchanges.ledger.models import ActivityType
from shiliu.jurisdiction.scope import scope_for, under
from shiliu.lib.links import check_link
from shiliu.regions.models import Region

from .models import Lecture, LectureSeries
from .services import require_editor

SOURCE_KIND = "culture.lecture"
MAX_AUDIENCE = 10_000_000  # one session; a televised lecture reaches millions, more is a typo


# --- Reads ---


def series_visible(*, user: Any) -> QuerySet[LectureSeries]:
    return (
        LectureSeries.objects.visible_to(user).select_related("region").annotate(n_sessions=Count("sessions"))
    )


def series_get(*, user: Any, pk: int) -> LectureSeries:
    series = LectureSeries.objects.visible_to(user).select_related("region").filter(pk=pk).first()
    if series is None:
        raise Http404
    return series


def lectures_visible(*, user: Any) -> QuerySet[Lecture]:
    return Lecture.objects.visible_to(user).select_related("series", "region").distinct()


def lecture_get(*, user: Any, pk: int) -> Lecture:
    lecture = Lecture.objects.visible_to(user).select_related("series", "region").filter(pk=pk).first()
    if lecture is None:
        raise Http404
    return lecture


@dataclass
class ReachRow:
    code: str
    name: str
    sessions: int
    attendance: int
    views: int

    @property
    def people(self) -> int:
        return self.attendance + self.views


def reach(
    *, user: Any, start: dt.date, end: dt.date, region: str = "", by: str = "region"
) -> tuple[list[ReachRow], ReachRow]:
    """Sessions (场次) and person-times (人次: on-site attendance plus online views) of the sessions held in the
    user's jurisdiction between ``start`` and ``end``, per region one level below the jurisdiction (``by`` =
    "region") or per month ("month"); with the total. Audience figures are counts of anonymous people, not
    personal data, so no cell is suppressed."""
    scope = scope_for(user)
    qs = Lecture.objects.filter(held_on__gte=start, held_on__lte=end)
    if not scope.reads_records:
        qs = qs.none()
    elif not scope.is_everything:
        qs = qs.filter(under("region", scope.prefix or ""))
    if region:
        qs = qs.filter(under("region", region))
    qs = qs.order_by()
    base = region or (scope.prefix if not scope.is_everything else "") or ""
    width = {0: 2, 2: 4, 4: 6}.get(len(base), 9)
    if by == "month":
        grouped = qs.annotate(k=ExtractMonth("held_on")).values("k")
    else:
        grouped = qs.annotate(k=Substr("region_id", 1, width)).values("k")
    rows = grouped.annotate(s=Count("id"), a=Sum("attendance"), v=Sum("views")).order_by("k")
    names = {}
    if by != "month":
        names = dict(Region.objects.filter(code__in=[r["k"] for r in rows]).values_list("code", "name"))

    def label(k: Any) -> str:
        return names.get(k, str(k)) if by != "month" else _("Month %(n)d") % {"n": k}

    out = [ReachRow(str(r["k"]), label(r["k"]), r["s"], r["a"] or 0, r["v"] or 0) for r in rows]
    total = ReachRow(
        "",
        _("Total"),
        sum(r.sessions for r in out),
        sum(r.attendance for r in out),
        sum(r.views for r in out),
    )
    return out, total


# --- Writes ---


def lecture_url(ref: str) -> str | None:
    return reverse("culture:lecture", args=[int(ref)]) if ref.isdigit() else None


def _sync_activity(*, actor: Any, lecture: Lecture) -> None:
    """A session under a plan is one activity in the statistics (最多报一次): created or updated from the session
    (sending side: the series' region and unit; receiving side: where it was held), withdrawn when the plan is
    removed or the session deleted.

    It carries no participation rows: a lecture's audience is counted, not described, and the ledger's rows need an
    ethnic group and an age band for every person-time, which nobody records at a lecture. Inventing them would put
    made-up figures into the ethnic breakdowns; the audience (人次) stays in the lecture reach, where it is exact."""
    ref = str(lecture.pk)
    if not lecture.plan:
        derived.withdraw_derived(kind=SOURCE_KIND, ref=ref, actor=actor)
        return
    derived.derive_activity(
        kind=SOURCE_KIND,
        ref=ref,
        actor=actor,
        title=lecture.topic,
        activity_type=ActivityType.objects.get(name="宣讲"),
        start_date=lecture.held_on,
        end_date=lecture.held_on,
        plans=[lecture.plan],
        sending_region=lecture.series.region,
        sending_unit=lecture.series.organization,
        receiving_region=lecture.region,
        place=lecture.venue,
        summary=_("Publicity lecture by %(speaker)s") % {"speaker": lecture.speaker},
    )


def _check_lecture(lecture: Lecture) -> None:
    errors: dict[str, list[str]] = {}
    for name in ("stream_url", "replay_url"):
        try:
            setattr(lecture, name, check_link(getattr(lecture, name), field=name))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in ("attendance", "views"):
        value = getattr(lecture, name)
        if value is None or value < 0:
            errors[name] = [_("The number cannot be negative.")]
        elif value > MAX_AUDIENCE:
            errors[name] = [_("The number is too large for one session.")]
    if not lecture.venue and not lecture.stream_url:
        errors["venue"] = [_("Enter the venue or the stream link.")]
    if errors:
        raise ValidationError(errors)
    lecture.full_clean()


@transaction.atomic
def series_save(*, actor: Any, data: dict[str, Any], series: LectureSeries | None = None) -> LectureSeries:
    if series is not None:
        require_editor(actor, series.region_id)
    series = series or LectureSeries()
    for name in ("title", "description", "region", "organization"):
        if name in data:
            setattr(series, name, data[name])
    require_editor(actor, series.region_id)
    series.full_clean()
    series.save()
    return series


@transaction.atomic
def lecture_save(
    *, actor: Any, series: LectureSeries, data: dict[str, Any], lecture: Lecture | None = None
) -> Lecture:
    """Record a session or change one; a session under a plan is (re)derived as one activity in the same
    transaction."""
    require_editor(actor, series.region_id)
    lecture = lecture or Lecture(series=series, created_by=actor)
    for name in (
        "topic",
        "speaker",
        "held_on",
        "region",
        "venue",
        "stream_url",
        "replay_url",
        "attendance",
        "views",
        "plan",
    ):
        if name in data:
            value = data[name]
            if value is None and name in ("venue", "stream_url", "replay_url", "plan"):
                value = ""
            setattr(lecture, name, value)
    _check_lecture(lecture)
    lecture.save()
    _sync_activity(actor=actor, lecture=lecture)
    return lecture


@transaction.atomic
def lecture_delete(*, actor: Any, lecture: Lecture) -> None:
    require_editor(actor, lecture.series.region_id)
    derived.withdraw_derived(kind=SOURCE_KIND, ref=str(lecture.pk), actor=actor)
    lecture.delete()
