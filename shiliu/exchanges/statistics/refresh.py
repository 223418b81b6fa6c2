"""Writing the exchange analytics tables: one SQL builder for every path, so the tables, the incremental refresh
and the pages' partial months all count the same way.

- :func:`activities_changed` is called by every service that writes activities or their participation rows, in
  the same transaction: it queues the activities and enqueues the refresh task (with the database task backend the
  task is committed with the change, so neither is lost; the worker's recovery step drains a queue left behind).
- :func:`refresh_pending` recomputes, from the records, every (region, month) slice the queued activities count in
  now or counted in before (:class:`FactKey`), at every level. Recomputing slices rather than adding deltas keeps
  the tables right whatever order refreshes run in.
- :func:`rebuild_all` empties and refills the tables (after a division change: merged or renamed divisions roll
  their history up to their successors, see :func:`succession_map`).

The SQL is plain enough for SQLite and PostgreSQL alike; only the month expression differs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from shiliu.exchanges.statistics.models import (
    ActivityFact,
    FactKey,
    FactPending,
    FactRefresh,
    ParticipationFact,
    PartnerFact,
)
from shiliu.lib import clock

# The lengths of division codes: the whole country (""), province, prefecture, county, township, village.
LEVELS = (0, 2, 4, 6, 9, 12)
PARTNER_LENGTH = 6  # partners are kept at county level; the pages roll them up further
ACTIVITY = "exchanges_activity"
PARTICIPATION = "exchanges_participation"
REFRESH_NAME = "exchanges"

Mapping = dict[str, str]


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _code(value: str) -> str:
    """A division code as an SQL literal (codes are digits only, checked here, so inlining them is safe and spares
    the parameter limits of long IN lists)."""
    if value and not value.isdigit():
        raise ValueError(f"not a division code: {value!r}")
    return f"'{value}'"


def _codes(values: Iterable[str]) -> str:
    return ", ".join(_code(v) for v in sorted(set(values))) or "NULL"


def succession_map() -> Mapping:
    """Predecessor → current successor for merged and renamed divisions (splits are not followed), as
    :func:`shiliu.regions.selectors.region_current` reads them today."""
    from shiliu.regions.models import Succession

    step = dict(
        Succession.objects.filter(share=1.0)
        .order_by("effective_on")
        .values_list("predecessor_id", "successor_id")
    )
    result: Mapping = {}
    for start in step:
        seen, current = {start}, start
        while current in step and step[current] not in seen:
            current = step[current]
            seen.add(current)
        result[start] = current
    return result


def rolled(code: str, length: int, mapping: Mapping) -> str:
    """The code's division at one level, rolled up to its successor (None-safe for shorter codes)."""
    prefix = code[:length]
    return mapping.get(prefix, prefix)


def _at(column: str, length: int, mapping: Mapping) -> str:
    """SQL: the division of ``column`` at one level, rolled up to its successor."""
    base = f"substr({column}, 1, {length})"
    pairs = [(p, s) for p, s in mapping.items() if len(p) == length]
    if not pairs:
        return base
    whens = " ".join(f"WHEN {_code(p)} THEN {_code(s)}" for p, s in sorted(pairs))
    return f"(CASE {base} {whens} ELSE {base} END)"


def _regions_sql(length: int, where: str, mapping: Mapping) -> str:
    """SQL: (activity_id, region, side) for every activity matching ``where`` (over alias ``a``) and every region of
    the level that one of its parties lies in, each once."""
    s, r = _at("a.sending_region_id", length, mapping), _at("a.receiving_region_id", length, mapping)
    return f"""
        SELECT a.id AS activity_id, {s} AS region,
               CASE WHEN length(a.receiving_region_id) >= {length} AND {r} = {s} THEN 'b' ELSE 's' END AS side
        FROM {ACTIVITY} a WHERE ({where}) AND length(a.sending_region_id) >= {length}
        UNION ALL
        SELECT a.id, {r}, 'r'
        FROM {ACTIVITY} a WHERE ({where}) AND length(a.receiving_region_id) >= {length}
          AND (length(a.sending_region_id) < {length} OR {s} <> {r})
    """


def _partner_sql(column: str, mapping: Mapping) -> str:
    at = _at(column, PARTNER_LENGTH, mapping)
    return f"(CASE WHEN length({column}) >= {PARTNER_LENGTH} THEN {at} ELSE {column} END)"


def fact_selects(
    length: int, where: str, mapping: Mapping, regions: str = ""
) -> dict[str, tuple[str, list[str]]]:
    """For one level: the SELECT of each table's rows (and its columns) from the activities matching ``where``
    (SQL over alias ``a``, confirmed ones only are counted), limited to ``regions`` (an SQL list) when given."""
    month = _month_sql("a.start_date")
    ra = _regions_sql(length, f"a.status = 'confirmed' AND ({where})", mapping)
    only = f"WHERE ra.region IN ({regions})" if regions else ""
    grain = f"ra.region, {month}, a.plan_embedding, a.plan_youth, a.plan_tourism, a.activity_type_id, ra.side"
    grain_cols = [
        "region",
        "month",
        "plan_embedding",
        "plan_youth",
        "plan_tourism",
        "activity_type_id",
        "side",
    ]
    people = (
        f"SELECT activity_id, SUM(count) AS n FROM {PARTICIPATION} WHERE activity_id IN "
        f"(SELECT a.id FROM {ACTIVITY} a WHERE a.status = 'confirmed' AND ({where})) GROUP BY activity_id"
    )
    activity = f"""
        SELECT {grain}, COUNT(*), COALESCE(SUM(p.n), 0)
        FROM ({ra}) ra JOIN {ACTIVITY} a ON a.id = ra.activity_id
        LEFT JOIN ({people}) p ON p.activity_id = a.id
        {only}
        GROUP BY {grain}
    """
    participation = f"""
        SELECT {grain}, p.category, p.ethnic_group_id, SUM(p.count)
        FROM ({ra}) ra JOIN {ACTIVITY} a ON a.id = ra.activity_id
        JOIN {PARTICIPATION} p ON p.activity_id = a.id
        {only}
        GROUP BY {grain}, p.category, p.ethnic_group_id
    """
    other = (
        f"CASE WHEN ra.side = 's' THEN {_partner_sql('a.receiving_region_id', mapping)} "
        f"ELSE {_partner_sql('a.sending_region_id', mapping)} END"
    )
    partner = f"""
        SELECT ra.region, {month}, {other}, COUNT(*), COALESCE(SUM(p.n), 0)
        FROM ({ra}) ra JOIN {ACTIVITY} a ON a.id = ra.activity_id
        LEFT JOIN ({people}) p ON p.activity_id = a.id
        WHERE ra.side <> 'b' {"AND ra.region IN (" + regions + ")" if regions else ""}
        GROUP BY ra.region, {month}, {other}
    """
    return {
        ActivityFact._meta.db_table: (activity, [*grain_cols, "batches", "person_times"]),
        ParticipationFact._meta.db_table: (
            participation,
            [*grain_cols, "category", "ethnic_group", "person_times"],
        ),
        PartnerFact._meta.db_table: (partner, ["region", "month", "partner", "batches", "person_times"]),
    }


TABLES = (ActivityFact, ParticipationFact, PartnerFact)


def _fill(cursor: Any, length: int, where: str, mapping: Mapping, regions: str = "") -> None:
    for table, (select, columns) in fact_selects(length, where, mapping, regions).items():
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {select}")  # noqa: S608 - codes checked


def _mark_refreshed(started: float, *, full: bool) -> None:
    now = clock.now()
    defaults: dict[str, Any] = {"refreshed_at": now, "seconds": time.monotonic() - started}
    if full:
        defaults["full_rebuild_at"] = now
    FactRefresh.objects.update_or_create(name=REFRESH_NAME, defaults=defaults)


@transaction.atomic
def rebuild_all() -> float:
    """Empty and refill every table from the confirmed activities; returns the seconds it took."""
    started = time.monotonic()
    mapping = succession_map()
    with connection.cursor() as cursor:
        for model in (*TABLES, FactKey):
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {model._meta.db_table}")
            else:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
        FactPending.objects.all().delete()
        for length in LEVELS:
            _fill(cursor, length, "1 = 1", mapping)
        cursor.execute(
            f"INSERT INTO {FactKey._meta.db_table} (activity_id, sending_region, receiving_region, month) "  # noqa: S608
            f"SELECT a.id, a.sending_region_id, a.receiving_region_id, {_month_sql('a.start_date')} "
            f"FROM {ACTIVITY} a WHERE a.status = 'confirmed'"
        )
    _mark_refreshed(started, full=True)
    return time.monotonic() - started


def activities_changed(activity_ids: Sequence[int]) -> None:
    """Queue activities whose statistics changed and enqueue the refresh (call inside the writing transaction)."""
    ids = sorted({int(i) for i in activity_ids if i})
    if not ids:
        return
    known = set(FactPending.objects.filter(activity_id__in=ids).values_list("activity_id", flat=True))
    FactPending.objects.bulk_create(
        [FactPending(activity_id=i) for i in ids if i not in known], ignore_conflicts=True
    )
    from shiliu.exchanges.statistics.tasks import refresh_exchange_statistics

    refresh_exchange_statistics.enqueue()


def _slices(
    keys: Iterable[tuple[str, str, dt.date]], mapping: Mapping
) -> dict[tuple[int, dt.date], set[str]]:
    """(level, month) → the regions whose rows the activities with these keys count in."""
    out: dict[tuple[int, dt.date], set[str]] = {}
    for sending, receiving, month in keys:
        for length in LEVELS:
            for code in (sending, receiving):
                if len(code) >= length:
                    out.setdefault((length, month), set()).add(rolled(code, length, mapping))
    return out


def refresh_activities(activity_ids: Sequence[int]) -> int:
    """Recompute every slice the activities count in now or counted in before; returns the slices refreshed."""
    from shiliu.exchanges.ledger.models import Activity, ActivityStatus

    started = time.monotonic()
    ids = sorted(set(activity_ids))
    if not ids:
        return 0
    mapping = succession_map()
    month_of = lambda d: d.replace(day=1)  # noqa: E731
    with transaction.atomic():
        old = list(
            FactKey.objects.filter(activity_id__in=ids).values_list(
                "sending_region", "receiving_region", "month"
            )
        )
        new_rows = list(
            Activity.objects.filter(pk__in=ids, status=ActivityStatus.CONFIRMED).values_list(
                "pk", "sending_region_id", "receiving_region_id", "start_date"
            )
        )
        new = [(s, r, month_of(d)) for _pk, s, r, d in new_rows]
        slices = _slices([*old, *new], mapping)
        with connection.cursor() as cursor:
            for (length, month), regions in sorted(slices.items()):
                codes = _codes(regions)
                for model in TABLES:
                    model.objects.filter(month=month, region__in=regions).delete()
                nxt = _next_month(month)
                # Only activities that can count in these regions: one of their parties lies in one of them
                # (LIKE on the party's own code, so the database can use its indexes, then the exact test).
                where = (
                    f"a.start_date >= '{month.isoformat()}' AND a.start_date < '{nxt.isoformat()}' AND "
                    f"({_at('a.sending_region_id', length, mapping)} IN ({codes}) OR "
                    f"{_at('a.receiving_region_id', length, mapping)} IN ({codes}))"
                )
                _fill(cursor, length, where, mapping, codes)
        FactKey.objects.filter(activity_id__in=ids).delete()
        FactKey.objects.bulk_create(
            [
                FactKey(activity_id=pk, sending_region=s, receiving_region=r, month=month_of(d))
                for pk, s, r, d in new_rows
            ]
        )
        _mark_refreshed(started, full=False)
    return len(slices)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def refresh_pending(*, limit: int = 20_000) -> int:
    """Drain the queue of changed activities (in batches); returns how many were refreshed."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(
                FactPending.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", "activity_id")[:limit]
            )
            if not rows:
                return done
            refresh_activities([a for _pk, a in rows])
            FactPending.objects.filter(pk__in=[pk for pk, _a in rows]).delete()
            done += len(rows)


def refreshed_at() -> dt.datetime | None:
    row = FactRefresh.objects.filter(name=REFRESH_NAME).first()
    return row.refreshed_at if row else None
