"""Dashboard panels, the incremental refresh and the full rebuild of the exchange analytics tables, each against
DuckDB computing the same aggregates from the same rows in the same run; and a province's yearly work summary.

    DATABASE_URL=postgres://... .venv/bin/python manage.py generate_scale --province 32 --participations N
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_dashboard.py --province 32

DuckDB gets the rows as PostgreSQL exports them (COPY … TO STDOUT as CSV, loaded into in-memory tables; the export
and load are timed apart and not counted), then computes: a panel's aggregate (a region-year's batches and
person-times by plan, by month, its partners); the full set of aggregates the rebuild writes (every level);
and, for the incremental refresh, the same full aggregation (DuckDB has no incremental path: what it would do after
1,000 new activities is compute it all again).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shiliu.settings")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.db import connection  # noqa: E402

from shiliu.exchanges.statistics import facts, refresh  # noqa: E402
from shiliu.lib import clock  # noqa: E402

LEVELS = [n for n in refresh.LEVELS if n]


def timed(fn, runs=20):  # type: ignore[no-untyped-def]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    out.sort()
    return statistics.median(out), out[max(0, int(len(out) * 0.95) - 1)]


def export(sql: str) -> io.StringIO:
    buf = io.StringIO()
    with connection.cursor() as c, c.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV") as copy:
        for data in copy:
            buf.write(bytes(data).decode())
    buf.seek(0)
    return buf


def duck_load(con: duckdb.DuckDBPyConnection, path: Path) -> float:
    t = time.perf_counter()
    a = export(
        "SELECT id, sending_region_id, receiving_region_id, start_date, plan_embedding, plan_youth, plan_tourism, "
        "activity_type_id FROM exchanges_activity WHERE status = 'confirmed'"
    )
    (path / "a.csv").write_text(a.getvalue())
    p = export("SELECT activity_id, category, ethnic_group_id, count FROM exchanges_participation")
    (path / "p.csv").write_text(p.getvalue())
    con.execute(
        f"CREATE TABLE a AS SELECT * FROM read_csv('{path / 'a.csv'}', header=false, columns={{'id':'INTEGER',"
        "'s':'VARCHAR','r':'VARCHAR','d':'DATE','pe':'BOOLEAN','py':'BOOLEAN','pt':'BOOLEAN','t':'INTEGER'})"
    )
    con.execute(
        f"CREATE TABLE p AS SELECT * FROM read_csv('{path / 'p.csv'}', header=false, columns={{'aid':'INTEGER',"
        "'c':'VARCHAR','g':'VARCHAR','n':'INTEGER'})"
    )
    return time.perf_counter() - t


def duck_region_year(con: duckdb.DuckDBPyConnection, region: str, year: int) -> None:
    """What the panels read for a region-year: totals by plan, by month, and partners."""
    n = len(region)
    con.execute(
        f"""
        WITH x AS (
          SELECT a.*, (SELECT SUM(n) FROM p WHERE p.aid = a.id) AS people FROM a
          WHERE (substr(s, 1, {n}) = '{region}' OR substr(r, 1, {n}) = '{region}')
            AND d BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31')
        SELECT date_trunc('month', d), pe, py, pt, count(*), sum(people) FROM x GROUP BY ALL
        """
    ).fetchall()


def duck_full(con: duckdb.DuckDBPyConnection) -> None:
    """Every aggregate the rebuild writes: region at every level × month × plans × type × side, and × category ×
    ethnic group."""
    for n in LEVELS:
        con.execute(
            f"""
            CREATE OR REPLACE TABLE ra{n} AS
              SELECT id, substr(s, 1, {n}) AS region,
                     CASE WHEN length(r) >= {n} AND substr(r, 1, {n}) = substr(s, 1, {n}) THEN 'b' ELSE 's' END AS side
              FROM a WHERE length(s) >= {n}
              UNION ALL
              SELECT id, substr(r, 1, {n}), 'r' FROM a
              WHERE length(r) >= {n} AND (length(s) < {n} OR substr(s, 1, {n}) <> substr(r, 1, {n}));
            CREATE OR REPLACE TABLE fa{n} AS
              SELECT ra.region, date_trunc('month', a.d) m, pe, py, pt, t, side, count(*) b, sum(pp.n) n
              FROM ra{n} ra JOIN a ON a.id = ra.id
              LEFT JOIN (SELECT aid, sum(n) n FROM p GROUP BY aid) pp ON pp.aid = a.id GROUP BY ALL;
            CREATE OR REPLACE TABLE fp{n} AS
              SELECT ra.region, date_trunc('month', a.d) m, pe, py, pt, t, side, p.c, p.g, sum(p.n) n
              FROM ra{n} ra JOIN a ON a.id = ra.id JOIN p ON p.aid = a.id GROUP BY ALL;
            """
        )


def add_activities(n: int, province: str) -> list[int]:
    """1,000 new confirmed activities (with participation rows) in the province, as a busy day would bring."""
    import random

    from shiliu.accounts.models import User
    from shiliu.exchanges.ledger.models import Activity, ActivityType, Participation
    from shiliu.regions.models import Region

    rng = random.Random(99)
    towns = list(
        Region.objects.filter(code__startswith=province, code__regex=r"^[0-9]{9}$").values_list(
            "code", flat=True
        )
    )
    partners = list(Region.objects.filter(code__regex=r"^65[0-9]{4}$").values_list("code", flat=True))
    user = User.objects.filter(role="platform_admin").first()
    kind = ActivityType.objects.first()
    today = clock.today()
    made = Activity.objects.bulk_create(
        [
            Activity(
                title=f"bench {i}", activity_type=kind, start_date=today - dt.timedelta(days=rng.randint(0, 60)),
                end_date=today, sending_region_id=rng.choice(towns), receiving_region_id=rng.choice(partners),
                status="confirmed", recorded_by_side="sending", created_by=user, plan_embedding=True, summary="scale",
            )
            for i in range(n)
        ]
    )  # fmt: skip
    Participation.objects.bulk_create(
        Participation(activity=a, category="cadre", ethnic_group_id="01", age_band="o35", gender="u", count=7)
        for a in made
    )
    return [a.pk for a in made]


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--province", default="32")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "run against PostgreSQL (DATABASE_URL)"
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM exchanges_activity WHERE status = 'confirmed'")
        n_act = c.fetchone()[0]
        c.execute("SELECT count(*) FROM exchanges_participation")
        n_part = c.fetchone()[0]
        c.execute("SELECT count(*) FROM orgs_organization")
        n_units = c.fetchone()[0]
    year = clock.today().year
    prov = args.province
    prefectures = sorted({c[:4] for c in facts.division_figures(region=prov, date_from=None, date_to=None)})[
        :3
    ]
    print(f"# Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"DuckDB {duckdb.__version__}, date {clock.today()}")  # fmt: skip
    print(f"Data: {n_act:,} confirmed activities, {n_part:,} participation rows, {n_units:,} units")
    d_from, d_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    panels = {
        "key figures (region-year by plan/type/category/group)": lambda r: facts.region_figures(
            region=r, date_from=d_from, date_to=d_to
        ),
        "trends (monthly, this year and last)": lambda r: (
            facts.monthly(region=r, date_from=d_from, date_to=d_to),
            facts.monthly(
                region=r, date_from=d_from.replace(year=year - 1), date_to=d_to.replace(year=year - 1)
            ),
        ),
        "divisions (drill-down map)": lambda r: facts.division_figures(
            region=r, date_from=d_from, date_to=d_to
        ),
        "flows (partners at prefecture level)": lambda r: facts.flows(
            region=r, date_from=d_from, date_to=d_to, partner_length=4
        ),
    }
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        load_s = duck_load(con, Path(tmp))
    print(f"DuckDB: rows exported from PostgreSQL and loaded in {load_s:.1f} s (not counted below)")
    print("\n| panel | region | Shiliu p50 | Shiliu p95 | DuckDB p50 (same aggregate from rows) |")
    print("|---|---|---|---|---|")
    for name, fn in panels.items():
        for region in [prov, *prefectures]:
            p50, p95 = timed(lambda fn=fn, region=region: fn(region), args.runs)
            d50, _d95 = timed(
                lambda region=region: duck_region_year(con, region, year), max(3, args.runs // 4)
            )
            print(f"| {name} | {region} | {p50:.1f} ms | {p95:.1f} ms | {d50:.1f} ms |")
    t = time.perf_counter()
    refresh.rebuild_all()
    rebuild = time.perf_counter() - t
    t = time.perf_counter()
    duck_full(con)
    duck = time.perf_counter() - t
    print(f"\nFull rebuild: Shiliu (PostgreSQL) {rebuild:.1f} s; DuckDB same aggregates {duck:.1f} s; "
          f"ratio {rebuild / duck:.1f}×")  # fmt: skip
    ids = add_activities(1000, prov)
    from shiliu.exchanges.statistics.models import FactPending

    FactPending.objects.bulk_create([FactPending(activity_id=i) for i in ids])
    t = time.perf_counter()
    refresh.refresh_pending()
    incremental = time.perf_counter() - t
    print(f"Incremental refresh after 1,000 new activities: {incremental:.2f} s "
          f"(DuckDB recomputing everything: {duck:.1f} s)")  # fmt: skip
    from shiliu.accounts.models import User
    from shiliu.regions.models import Region
    from shiliu.reports import summary

    user = User.objects.filter(role="platform_admin").first()
    t = time.perf_counter()
    built = summary.build(user=user, region=Region.objects.get(code=prov), date_from=d_from, date_to=d_to)
    summary.to_docx(built)
    summary.to_pdf(built)
    print(f"Yearly work summary of {prov} (Word + PDF, annex of {len(built.annex)} rows): "
          f"{time.perf_counter() - t:.1f} s")  # fmt: skip
    # Leave the data as found: the bench's activities go.
    from shiliu.exchanges.ledger.models import Activity

    Activity.objects.filter(pk__in=ids).delete()
    refresh.refresh_activities(ids)


if __name__ == "__main__":
    main()
