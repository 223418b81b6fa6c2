"""Synthetic data at a province's scale for the benchmarks: units and confirmed activities with their participation
rows, over the province's real division codes (townships, counties) and partner regions elsewhere, from a fixed
seed, loaded with PostgreSQL COPY (never ORM saves). Then the analytics tables are rebuilt.

    manage.py generate_scale --province 32 --participations 10000000 --units 100000

Needs PostgreSQL and the divisions loaded (``manage.py load_regions``). Rows it writes are marked (activity
summary "scale", unit names "规模测试单位…") and ``--clear`` removes them."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from shiliu.lib import clock

CATEGORIES = ["cadre", "teacher", "student", "medical", "worker", "public", "other"]
AGES = ["u18", "18_35", "o35"]
GROUPS = ["01"] * 6 + ["03", "05", "17", "04", "08", "38"]
PARTNER_PROVINCES = ["65", "54", "62", "45", "51", "63"]


class Command(BaseCommand):
    help = (
        "Generate a province of synthetic activities and units (PostgreSQL COPY) and rebuild the analytics."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default="32")
        parser.add_argument("--participations", type=int, default=10_000_000)
        parser.add_argument("--units", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clear", action="store_true", help="remove earlier scale rows first")
        parser.add_argument("--no-rebuild", action="store_true")

    def handle(self, *args: Any, **o: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_scale loads with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database."
            )
        from shiliu.accounts.models import User
        from shiliu.exchanges.ledger.models import Activity, ActivityType
        from shiliu.regions.models import Region

        rng = random.Random(o["seed"])  # noqa: S311 - synthetic data
        province = o["province"]
        towns = list(
            Region.objects.filter(code__startswith=province, code__regex=r"^[0-9]{9}$").values_list(
                "code", flat=True
            )
        )
        counties = list(
            Region.objects.filter(code__startswith=province, code__regex=r"^[0-9]{6}$").values_list(
                "code", flat=True
            )
        )
        partners = list(
            Region.objects.filter(
                code__regex=r"^(" + "|".join(PARTNER_PROVINCES) + r")[0-9]{4}$"
            ).values_list("code", flat=True)
        )
        if not towns or not partners:
            raise CommandError("Load the divisions first (manage.py load_regions).")
        types = list(ActivityType.objects.values_list("pk", flat=True))
        user = User.objects.filter(role="platform_admin").first() or User.objects.first()
        if user is None:
            raise CommandError("Create a user first (manage.py setup or load_demo).")
        started = time.monotonic()
        if o["clear"]:
            self._clear()
        self._units(rng, o["units"], towns + counties)
        n_activities = max(1, o["participations"] // 7)
        self._activities(
            rng, n_activities, o["participations"], o["years"], towns, counties, partners, types, user.pk
        )
        self.stdout.write(f"Loaded in {time.monotonic() - started:.1f} s")
        if not o["no_rebuild"]:
            from shiliu.exchanges.statistics.refresh import rebuild_all

            self.stdout.write(f"Analytics rebuilt in {rebuild_all():.1f} s")
        self.stdout.write(f"{Activity.objects.count()} activities in the database")

    def _clear(self) -> None:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "DELETE FROM exchanges_participation WHERE activity_id IN "
                "(SELECT id FROM exchanges_activity WHERE summary = 'scale')"
            )
            c.execute("DELETE FROM exchanges_activity WHERE summary = 'scale'")
            c.execute("DELETE FROM orgs_organization WHERE name LIKE '规模测试单位%%'")

    def _units(self, rng: random.Random, n: int, regions: list[str]) -> None:
        from shiliu.orgs.models import Organization

        fields = [f for f in Organization._meta.concrete_fields if not f.primary_key]
        defaults = {f.column: f.get_default() for f in fields}
        kinds = ["school", "community", "village", "enterprise", "agency", "hospital"]
        now = dt.datetime.now(dt.UTC)
        columns = [f.column for f in fields]
        with (
            transaction.atomic(),
            connection.cursor() as c,
            c.cursor.copy(f"COPY orgs_organization ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for i in range(n):
                row = dict(defaults)
                row.update(
                    {
                        "name": f"规模测试单位{i:06d}",
                        "kind": rng.choice(kinds),
                        "region_id": rng.choice(regions),
                    }
                )
                for key in ("created_at", "updated_at"):
                    if key in row:
                        row[key] = now
                copy.write_row([_plain(row.get(col)) for col in columns])

    def _activities(
        self,
        rng: random.Random,
        n: int,
        participations: int,
        years: int,
        towns: list[str],
        counties: list[str],
        partners: list[str],
        types: list[int],
        user_id: int,
    ) -> None:
        from shiliu.exchanges.ledger.models import Activity

        fields = [f for f in Activity._meta.concrete_fields if not f.primary_key]
        columns = ["id", *[f.column for f in fields]]
        defaults = {f.column: _plain(f.get_default()) for f in fields}
        today = clock.today()
        first = today.replace(year=today.year - years + 1, month=1, day=1)
        days = (today - first).days
        now = dt.datetime.now(dt.UTC)
        per = max(1, participations // n)
        with transaction.atomic(), connection.cursor() as c:
            c.execute("SELECT COALESCE(MAX(id), 0) FROM exchanges_activity")
            base = c.fetchone()[0]
            with c.cursor.copy(f"COPY exchanges_activity ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(n):
                    local = rng.choice(towns) if rng.random() < 0.7 else rng.choice(counties)
                    other = rng.choice(partners) if rng.random() < 0.8 else rng.choice(towns)
                    send, recv = (local, other) if rng.random() < 0.5 else (other, local)
                    start = first + dt.timedelta(days=rng.randint(0, days))
                    plan = rng.random()
                    row = dict(defaults)
                    row.update(
                        {
                            "title": f"规模测试活动{i}",
                            "activity_type_id": rng.choice(types),
                            "start_date": start,
                            "end_date": start + dt.timedelta(days=rng.randint(0, 4)),
                            "sending_region_id": send,
                            "receiving_region_id": recv,
                            "summary": "scale",
                            "status": "confirmed",
                            "recorded_by_side": "sending",
                            "created_by_id": user_id,
                            "confirmed_by_id": user_id,
                            "confirmed_at": now,
                            "created_at": now,
                            "plan_embedding": plan < 0.6,
                            "plan_youth": 0.5 <= plan < 0.85,
                            "plan_tourism": plan >= 0.8,
                        }
                    )
                    copy.write_row([base + 1 + i, *[_plain(row.get(col)) for col in columns[1:]]])
            c.execute("SELECT setval(pg_get_serial_sequence('exchanges_activity', 'id'), %s)", [base + n])
            with c.cursor.copy(
                "COPY exchanges_participation (activity_id, category, ethnic_group_id, age_band, gender, count) "
                "FROM STDIN"
            ) as copy:
                for i in range(n):
                    seen = set()
                    for _k in range(per):
                        cell = (
                            rng.choice(CATEGORIES),
                            rng.choice(GROUPS),
                            rng.choice(AGES),
                            rng.choice("fmu"),
                        )
                        if cell in seen:
                            continue
                        seen.add(cell)
                        copy.write_row([base + 1 + i, *cell, rng.randint(1, 60)])


def _plain(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if callable(value):
        return value()
    return value
