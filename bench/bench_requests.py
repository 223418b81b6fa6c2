# ruff: noqa: S608 — the SQL is built from this file's own constants, no input
"""Benchmark of the request desk's metrics for a province-year: 1,000,000 requests on PostgreSQL, and the same
figures computed by DuckDB from the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shiliu_requests .venv/bin/python bench/bench_requests.py [rows]

The rows go to a scratch table ``bench_requests`` (created and dropped here; the app's tables are not touched), with
the columns the metrics read (residents_servicerequest's). The figures are the metrics page's, per handling unit and
per county, with the page's filters (``selectors.metric_q``) written as ``COUNT(*) FILTER (WHERE …)`` — SQL both
engines run unchanged: assessed (not excluded, not merged), excluded, sign clock ended, signed on time, due (answered,
or open past the deadline), answered on time, late (answered late, or open past the deadline), closed, rated,
satisfied, open overdue. "Now" is fixed so both engines count the same open requests as overdue.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import psycopg

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
NOW = "2026-12-31 18:00:00+08"
URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shiliu_requests")

CREATE = """
DROP TABLE IF EXISTS bench_requests;
SELECT setseed(0.14);
CREATE TABLE bench_requests AS
SELECT
    g AS id,
    -- 13 prefectures × ~8 counties × 20 communities; 2,000 handling units
    '65' || lpad((1 + (g % 13))::text, 2, '0') || lpad((1 + (g % 8))::text, 2, '0')
        || lpad((1 + (g % 20))::text, 6, '0') AS region_id,
    (1 + (g::bigint * 7919) % 2000)::int AS handling_unit_id,
    received,
    received + interval '2 hours' AS sign_due,
    CASE WHEN r1 < 0.97 THEN received + (r2 * interval '4 hours') END AS signed_at,
    received + (CASE WHEN r3 < 0.3 THEN 1 WHEN r3 < 0.8 THEN 7 ELSE 14 END) * interval '1 day' AS answer_due,
    CASE WHEN r1 < 0.93 THEN received + (r4 * r4 * 20) * interval '1 day' END AS answered_at,
    CASE WHEN r1 >= 0.93 THEN 'handling'
         WHEN r5 < 0.75 THEN 'rated' WHEN r5 < 0.97 THEN 'closed' ELSE 'answered' END AS status,
    CASE WHEN r1 < 0.93 AND r5 < 0.75 THEN (CASE WHEN r6 < 0.7 THEN 'satisfied' WHEN r6 < 0.93 THEN 'fairly'
         ELSE 'dissatisfied' END) ELSE '' END AS rating,
    (r6 > 0.995) AS excluded
FROM (
    SELECT g, timestamptz '2026-01-01 08:00+08' + (random() * 364) * interval '1 day' AS received,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6
    FROM generate_series(1, %(rows)s) AS g
) AS s;
ANALYZE bench_requests;
"""

OPEN = "('received','dispatched','signed','handling','returned','review')"
ASSESSED = "NOT excluded AND status <> 'merged'"
LATE = (
    f"((answered_at IS NOT NULL AND answered_at > answer_due) OR "
    f"(answered_at IS NULL AND status IN {OPEN} AND answer_due < TIMESTAMPTZ '{NOW}'))"
)
ON_TIME = "(answered_at IS NOT NULL AND answered_at <= answer_due)"
FIGURES = {
    "all": ASSESSED,
    "excluded": "excluded",
    "sign_ended": f"{ASSESSED} AND sign_due IS NOT NULL AND (signed_at IS NOT NULL OR sign_due < TIMESTAMPTZ '{NOW}')",
    "signed_on_time": f"{ASSESSED} AND signed_at IS NOT NULL AND signed_at <= sign_due",
    "due": f"{ASSESSED} AND ({ON_TIME} OR {LATE})",
    "on_time": f"{ASSESSED} AND {ON_TIME}",
    "late": f"{ASSESSED} AND {LATE}",
    "closed": f"{ASSESSED} AND status IN ('closed','rated')",
    "rated": f"{ASSESSED} AND rating <> ''",
    "satisfied": f"{ASSESSED} AND rating IN ('satisfied','fairly')",
    "open_overdue": f"{ASSESSED} AND answered_at IS NULL AND status IN {OPEN} AND answer_due < TIMESTAMPTZ '{NOW}'",
}
COUNTS = ",\n    ".join(f"COUNT(*) FILTER (WHERE {where}) AS n_{name}" for name, where in FIGURES.items())
PERIOD = "received >= TIMESTAMPTZ '2026-01-01 00:00+08' AND received < TIMESTAMPTZ '2027-01-01 00:00+08'"
QUERIES = {
    "per unit": f"SELECT handling_unit_id AS key,\n    {COUNTS}\nFROM bench_requests WHERE {PERIOD} "
    "GROUP BY 1 ORDER BY 1",
    "per county": f"SELECT substr(region_id, 1, 6) AS key,\n    {COUNTS}\nFROM bench_requests WHERE {PERIOD} "
    "GROUP BY 1 ORDER BY 1",
}


def best_of(run, times: int = 3) -> tuple[float, list[tuple]]:
    best, result = float("inf"), []
    for _ in range(times):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; rows: {ROWS:,}")
    with psycopg.connect(URL, autocommit=True) as pg:
        start = time.perf_counter()
        pg.execute(CREATE.replace("%(rows)s", str(ROWS)))
        print(f"PostgreSQL: generated {ROWS:,} rows in {time.perf_counter() - start:.1f} s")
        version = pg.execute("SHOW server_version").fetchone()[0]
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "requests.csv"
            with (
                csv.open("wb") as out,
                pg.cursor().copy("COPY bench_requests TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
            ):
                for block in copy:
                    out.write(block)
            duck = duckdb.connect()
            duck.execute("SET TimeZone = 'Asia/Shanghai'")
            start = time.perf_counter()
            duck.execute(
                f"CREATE TABLE bench_requests AS SELECT * FROM read_csv('{csv}', header=true, columns={{"
                "'id': 'BIGINT', 'region_id': 'VARCHAR', 'handling_unit_id': 'INTEGER', 'received': 'TIMESTAMPTZ',"
                "'sign_due': 'TIMESTAMPTZ', 'signed_at': 'TIMESTAMPTZ', 'answer_due': 'TIMESTAMPTZ',"
                "'answered_at': 'TIMESTAMPTZ', 'status': 'VARCHAR', 'rating': 'VARCHAR', 'excluded': 'BOOLEAN'})"
            )
            print(f"DuckDB {duckdb.__version__}: loaded the same rows in {time.perf_counter() - start:.1f} s")
            for name, sql in QUERIES.items():
                pg_time, pg_rows = best_of(lambda sql=sql: pg.execute(sql).fetchall())
                duck_time, duck_rows = best_of(lambda sql=sql: duck.execute(sql).fetchall())
                same = [tuple(str(v) for v in r) for r in pg_rows] == [
                    tuple(str(v) for v in r) for r in duck_rows
                ]
                print(
                    f"{name}: {len(pg_rows)} groups; PostgreSQL {version} {pg_time * 1000:.0f} ms, "
                    f"DuckDB {duck_time * 1000:.0f} ms, ratio {pg_time / duck_time:.1f}×; same figures: {same}"
                )
                if not same:
                    raise SystemExit("the engines disagree")
        totals = pg.execute(f"SELECT {COUNTS} FROM bench_requests WHERE {PERIOD}").fetchone()
        print("province totals:", dict(zip(FIGURES, totals, strict=True)))
        pg.execute("DROP TABLE bench_requests")


if __name__ == "__main__":
    main()
