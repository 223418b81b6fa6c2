"""Demo data worth a dashboard: three years of exchanges across every demo pairing (those of the reference
reports), at a realistic volume — thousands of activities with their participants, and tour groups — written with
bulk inserts from a fixed seed, then counted into the analytics tables by one full rebuild.

The exchanges demo (below) records a year of activities through the services, confirmations and all; this adds the
history a leader's dashboard needs (trends against last year, flows, divisions to drill into). The volume is
``settings.SHILIU_DEMO_VOLUME`` activities (the tests use a small one)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings

from shiliu.lib import clock

TYPES = {
    "互访考察": ("{a}干部群众赴{b}交流考察", ("embedding",), ("cadre", "public")),
    "夏令营/冬令营": ("{a}{b}各族青少年夏令营", ("youth",), ("student", "teacher")),
    "研学": ("{a}学生赴{b}研学", ("youth", "tourism"), ("student", "teacher")),
    "旅游团": ("{a}游客团赴{b}旅游交流", ("tourism",), ("public",)),
    "培训班": ("{b}专业技术人员赴{a}培训", ("embedding",), ("medical", "teacher", "worker")),
    "文化展演": ("{a}{b}民族团结文化展演", ("embedding", "tourism"), ("public",)),
    "座谈交流": ("{a}{b}民族工作座谈交流", ("embedding",), ("cadre",)),
}
# Busier in summer (camps, study tours) and autumn; quiet at the Spring Festival.
MONTH_WEIGHT = [0.4, 0.5, 0.9, 1.0, 1.1, 1.0, 1.6, 1.7, 1.1, 1.0, 0.9, 0.6]


def clear() -> None:
    """Runs and approvals of the demo's regions go with the demo (the exchanges demo removes the activities)."""
    from shiliu.reports.models import ApprovalEvent, ReportApproval, ReportRun, Schedule

    ApprovalEvent.objects.filter(actor__is_demo=True).delete()
    ReportApproval.objects.filter(current_run__requested_by__is_demo=True).delete()
    Schedule.objects.filter(created_by__is_demo=True).delete()
    ReportRun.objects.filter(requested_by__is_demo=True).delete()


def _places(region: Any, regions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The region and its counties (where the demo divisions hold them): activities happen all over."""
    counties = [(c, n) for c, n in regions if c.startswith(region.code) and len(c) == 6 and c != region.code]
    return [(region.code, region.name), *counties] if counties else [(region.code, region.name)]


def build(builder: Any) -> None:
    from shiliu.accounts.models import User
    from shiliu.exchanges.ledger.models import Activity, ActivityType, Participation
    from shiliu.exchanges.statistics.refresh import rebuild_all
    from shiliu.exchanges.tourism.models import TourGroup
    from shiliu.pairings.models import Pairing, PairingStatus
    from shiliu.regions.models import Region

    volume = int(getattr(settings, "SHILIU_DEMO_VOLUME", 4000))
    rng = random.Random(2017)  # noqa: S311 - demo data
    types = {t.name: t for t in ActivityType.objects.filter(name__in=TYPES)}
    pairings = list(
        Pairing.objects.filter(
            status=PairingStatus.ACTIVE, a_unit__isnull=True, parent__isnull=True, is_demo=True
        ).select_related("a_region", "b_region")
    )
    staff = {u.region_id: u for u in User.objects.filter(role="commission_staff", is_demo=True)}
    pairings = [p for p in pairings if p.a_region_id in staff and p.b_region_id in staff]
    if not pairings or not types or volume <= 0:
        return
    from shiliu.exchanges.demo import _groups

    codes = {p.a_region_id[:4] for p in pairings} | {p.b_region_id[:4] for p in pairings}
    regions = [
        (c, n)
        for c, n in Region.objects.filter(valid_to__isnull=True, code__regex=r"^[0-9]{6}$").values_list(
            "code", "name"
        )
        if c[:4] in codes
    ]
    today = clock.today()
    start = today.replace(year=today.year - 2, month=1, day=1)
    days = (today - start).days
    now = clock.now()
    per_pairing = max(1, volume // len(pairings))
    activities: list[Activity] = []
    rows: list[list[tuple[str, str, str, str, int]]] = []
    tours: list[TourGroup] = []
    for pairing in pairings:
        a_places, b_places = _places(pairing.a_region, regions), _places(pairing.b_region, regions)
        for _n in range(per_pairing):
            # More in recent years (the work grows), shaped by season.
            while True:
                day = start + dt.timedelta(days=rng.randint(0, days))
                growth = 0.6 + 0.2 * (day.year - start.year)
                if rng.random() < growth * MONTH_WEIGHT[day.month - 1] / 1.8:
                    break
            type_name = rng.choice(list(TYPES))
            template, plans, categories = TYPES[type_name]
            outbound = rng.random() < 0.55
            send = rng.choice(a_places if outbound else b_places)
            recv = rng.choice(b_places if outbound else a_places)
            recorder = staff[pairing.a_region_id if outbound else pairing.b_region_id]
            confirmer = staff[pairing.b_region_id if outbound else pairing.a_region_id]
            activities.append(
                Activity(
                    title=template.format(a=send[1], b=recv[1]),
                    activity_type=types[type_name],
                    start_date=day,
                    end_date=day + dt.timedelta(days=rng.randint(0, 5)),
                    place=recv[1],
                    sending_region_id=send[0],
                    receiving_region_id=recv[0],
                    pairing=pairing,
                    summary="演示数据（三年历史）",
                    status="confirmed",
                    recorded_by_side="sending",
                    created_by=recorder,
                    confirmed_by=confirmer,
                    confirmed_at=now,
                    created_at=now,
                    is_demo=True,
                    **{f"plan_{p}": True for p in plans},
                )
            )
            cells = []
            for category in categories:
                for group in rng.sample(_groups(send[0]), k=min(2, len(_groups(send[0])))):
                    age = "u18" if category == "student" else rng.choice(["18_35", "o35"])
                    cells.append((category, group, age, rng.choice("fm"), rng.randint(3, 45)))
            rows.append(cells)
            if type_name in ("旅游团", "研学") and rng.random() < 0.5:
                size = rng.randint(15, 60)
                tours.append(
                    TourGroup(
                        name=f"{send[1]}赴{recv[1]}旅游团",
                        origin_region_id=send[0],
                        destination_region_id=recv[0],
                        start_date=day,
                        end_date=day + dt.timedelta(days=rng.randint(2, 6)),
                        size=size,
                        minors=rng.randint(0, size // 3),
                        minority_members=rng.randint(0, size // 2),
                        pairing=pairing,
                        created_by=recorder,
                        created_at=now,
                        is_demo=True,
                    )
                )
    made = Activity.objects.bulk_create(activities, batch_size=1000)
    Participation.objects.bulk_create(
        (
            Participation(
                activity_id=a.pk, category=c, ethnic_group_id=g, age_band=age, gender=gender, count=count
            )
            for a, cells in zip(made, rows, strict=True)
            for c, g, age, gender, count in cells
        ),
        batch_size=2000,
    )
    TourGroup.objects.bulk_create(tours, batch_size=1000)
    rebuild_all()
