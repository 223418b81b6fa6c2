"""Reading the exchange analytics tables: a region's figures for a period, its divisions' figures, its monthly series
and its flows to partner regions. Unsuppressed numbers: callers publish counts of people through the jurisdiction
layer's suppression (as :func:`shiliu.exchanges.statistics.selectors.activity_stats` does), and call these only for
a region inside the viewer's jurisdiction.

The tables hold whole months. A period that starts or ends inside a month reads the whole months in between from
the tables and the days at its edges from the records, through the same SQL that fills the tables, so the figures
of any period are the same as the tables would give if they were kept by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Length

from shiliu.exchanges.statistics import refresh
from shiliu.exchanges.statistics.models import ActivityFact, ParticipationFact, PartnerFact

PLANS = ("embedding", "youth", "tourism")


@dataclass
class RegionFigures:
    """A region's confirmed activities in a period: (batches, person-times) by each breakdown."""

    batches: int = 0
    person_times: int = 0
    by_role: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_plan: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_type: dict[int, tuple[int, int]] = field(default_factory=dict)
    by_month: dict[dt.date, tuple[int, int]] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_ethnic_group: dict[str, int] = field(default_factory=dict)
    partners: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # county-level code → (batches, people)


def _add(d: dict[Any, tuple[int, int]], key: Any, b: int, p: int) -> None:
    ob, op = d.get(key, (0, 0))
    d[key] = (ob + b, op + p)


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _month_end(month: dt.date) -> dt.date:
    return refresh._next_month(month) - dt.timedelta(days=1)


def split_period(
    date_from: dt.date | None, date_to: dt.date | None
) -> tuple[tuple[dt.date | None, dt.date | None] | None, list[tuple[dt.date | None, dt.date | None]]]:
    """The whole months of a period (first and last month, None for open) and the partial edges (date ranges).

    Dates are first brought inside years 1000–9000 (no record lies outside; an API caller may send 0001-01-01 or
    9999-12-31, whose month arithmetic would overflow): the figures are the same, the arithmetic safe."""
    low, high = dt.date(1000, 1, 1), dt.date(9000, 12, 31)
    date_from = None if date_from is None else min(max(date_from, low), high)
    date_to = None if date_to is None else min(max(date_to, low), high)
    first = None if date_from is None else date_from if date_from.day == 1 else refresh._next_month(date_from)
    last = None
    if date_to is not None:
        last = date_to.replace(day=1) if date_to == _month_end(date_to.replace(day=1)) else None
        if last is None:
            last = (date_to.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if first is not None and last is not None and first > last:
        return None, [(date_from, date_to)]
    edges: list[tuple[dt.date | None, dt.date | None]] = []
    if date_from is not None and first is not None and first != date_from:
        edges.append((date_from, first - dt.timedelta(days=1)))
    if date_to is not None and last is not None and _month_end(last) != date_to:
        edges.append((_month_end(last) + dt.timedelta(days=1), date_to))
    return (first, last), edges


def _in_months(qs: QuerySet[Any], months: tuple[dt.date | None, dt.date | None]) -> QuerySet[Any]:
    first, last = months
    if first is not None:
        qs = qs.filter(month__gte=first)
    if last is not None:
        qs = qs.filter(month__lte=last)
    return qs


def _raw_rows(region: str, start: dt.date | None, end: dt.date | None) -> dict[str, list[tuple[Any, ...]]]:
    """Rows as the tables would hold them, straight from the records, for a region and a date range."""
    mapping = refresh.succession_map()
    length = len(region)
    code = refresh._code(region)
    where = [
        f"({refresh._at('a.sending_region_id', length, mapping)} = {code} OR "
        f"{refresh._at('a.receiving_region_id', length, mapping)} = {code})"
    ]
    params: list[Any] = []
    if start is not None:
        where.append("a.start_date >= %s")
        params.append(start.isoformat())
    if end is not None:
        where.append("a.start_date <= %s")
        params.append(end.isoformat())
    out = {}
    with connection.cursor() as cursor:
        for table, (select, _columns) in refresh.fact_selects(
            length, " AND ".join(where), mapping, code
        ).items():
            # ``where`` appears once in the regions and once in the people subquery of each select
            n = select.count("%s")
            cursor.execute(select, params * (n // max(len(params), 1)) if params else [])
            out[table] = cursor.fetchall()
    return out


def region_figures(
    *, region: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> RegionFigures:
    """A region's figures for a period, from the analytics tables (and the records for partial months)."""
    fig = RegionFigures()
    fig.by_role = {"sending": (0, 0), "receiving": (0, 0)}
    fig.by_plan = dict.fromkeys(PLANS, (0, 0))
    months, edges = split_period(date_from, date_to)
    if len(region) not in refresh.LEVELS:  # not a division level the tables keep: all from the records
        months, edges = None, [(date_from, date_to)]
    batch_rows: list[tuple[Any, ...]] = []  # (month, e, y, t, type, side, batches, people)
    people_rows: list[tuple[str, str, int]] = []
    partner_rows: list[tuple[str, int, int]] = []
    if months is not None:
        batch_rows += list(
            _in_months(ActivityFact.objects.filter(region=region), months)
            .values_list("month", "plan_embedding", "plan_youth", "plan_tourism", "activity_type_id", "side")
            .annotate(b=Sum("batches"), p=Sum("person_times"))
            .order_by()
        )
        people_rows += list(
            _in_months(ParticipationFact.objects.filter(region=region), months)
            .values_list("category", "ethnic_group")
            .annotate(p=Sum("person_times"))
            .order_by()
        )
        partner_rows += list(
            _in_months(PartnerFact.objects.filter(region=region), months)
            .values_list("partner")
            .annotate(b=Sum("batches"), p=Sum("person_times"))
            .order_by()
        )
    for start, end in edges:
        raw = _raw_rows(region, start, end)
        batch_rows += [r[1:] for r in raw[ActivityFact._meta.db_table]]
        people_rows += [(r[7], r[8], r[9]) for r in raw[ParticipationFact._meta.db_table]]
        partner_rows += [(r[2], r[3], r[4]) for r in raw[PartnerFact._meta.db_table]]
    for month, e, y, t, type_id, side, b, p in batch_rows:
        b, p = int(b), int(p)
        fig.batches += b
        fig.person_times += p
        if side in ("s", "b"):
            _add(fig.by_role, "sending", b, p)
        if side in ("r", "b"):
            _add(fig.by_role, "receiving", b, p)
        for plan, flag in zip(PLANS, (e, y, t), strict=True):
            if flag:
                _add(fig.by_plan, plan, b, p)
        _add(fig.by_type, int(type_id), b, p)
        _add(fig.by_month, _date(month), b, p)
    for category, group, p in people_rows:
        fig.by_category[category] = fig.by_category.get(category, 0) + int(p)
        fig.by_ethnic_group[group] = fig.by_ethnic_group.get(group, 0) + int(p)
    for partner, b, p in partner_rows:
        _add(fig.partners, partner, int(b), int(p))
    return fig


def _whole(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The months a dashboard period covers (its periods are whole months)."""
    return (date_from.replace(day=1) if date_from else None, date_to.replace(day=1) if date_to else None)


def child_length(region: str) -> int:
    """The code length of the region's divisions one level down (12 for a village's own level)."""
    return next((n for n in refresh.LEVELS if n > len(region)), len(region))


def division_figures(
    *, region: str, date_from: dt.date | None, date_to: dt.date | None
) -> dict[str, tuple[int, int]]:
    """(batches, person-times) of each division one level below the region, for whole months of the period."""
    length = child_length(region)
    qs = _in_months(
        ActivityFact.objects.filter(region__startswith=region).annotate(n=Length("region")).filter(n=length),
        _whole(date_from, date_to),
    )
    out: dict[str, tuple[int, int]] = {}
    for code, b, p in qs.values_list("region").annotate(b=Sum("batches"), p=Sum("person_times")).order_by():
        out[code] = (int(b), int(p))
    return out


def flows(
    *, region: str, date_from: dt.date | None, date_to: dt.date | None, partner_length: int
) -> list[tuple[str, str, int, int]]:
    """(from, to, batches, person-times): the region's exchanges with regions outside it, the partner rolled up
    to ``partner_length`` (2 province, 4 prefecture, 6 county), for whole months of the period."""
    qs = _in_months(PartnerFact.objects.filter(region=region), _whole(date_from, date_to))
    out: dict[str, tuple[int, int]] = {}
    for partner, b, p in (
        qs.values_list("partner").annotate(b=Sum("batches"), p=Sum("person_times")).order_by()
    ):
        key = partner[:partner_length] if len(partner) > partner_length else partner
        _add(out, key, int(b), int(p))
    return [(region, k, b, p) for k, (b, p) in sorted(out.items(), key=lambda i: (-i[1][0], i[0]))]


def monthly(
    *, region: str, date_from: dt.date, date_to: dt.date, plan: str = ""
) -> dict[dt.date, tuple[int, int]]:
    """(batches, person-times) by month for whole months of the period."""
    qs = _in_months(
        ActivityFact.objects.filter(region=region), (date_from.replace(day=1), date_to.replace(day=1))
    )
    if plan in PLANS:
        qs = qs.filter(**{f"plan_{plan}": True})
    return {
        _date(m): (int(b), int(p))
        for m, b, p in qs.values_list("month").annotate(b=Sum("batches"), p=Sum("person_times")).order_by()
    }


def viewer_owns(*, user: Any, region: str, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    """Is the viewer inside the owning party of every confirmed activity of the region in the period (and so sees
    its exact counts)? Staff and admins whose jurisdiction covers the region always are; a unit's coordinator only
    when their unit is a party of every one of them."""
    from shiliu.exchanges.ledger.models import Activity, ActivityStatus
    from shiliu.jurisdiction.scope import under, viewer_for

    viewer = viewer_for(user)
    if viewer.unit_id is None:
        return viewer.inside(region)
    qs = Activity.objects.filter(status=ActivityStatus.CONFIRMED).filter(
        under("sending_region", region) | under("receiving_region", region)
    )
    if date_from:
        qs = qs.filter(start_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    return not qs.exclude(Q(sending_unit_id=viewer.unit_id) | Q(receiving_unit_id=viewer.unit_id)).exists()


def months_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = refresh._next_month(month)
