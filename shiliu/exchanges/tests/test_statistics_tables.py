"""The analytics tables: refreshed after each change (including moves that leave a region), equal to counting the
records directly for every region level and any period, rebuilt in full with divisions rolled up to successors."""

import datetime as dt
import random

import pytest

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.ledger.models import Activity, ActivityStatus, ActivityType, Participation
from shiliu.exchanges.statistics import facts, refresh
from shiliu.exchanges.statistics.models import ActivityFact, FactPending
from shiliu.exchanges.tests.test_query_counts import activity
from shiliu.regions.models import EthnicGroup, Region, Succession


def brute(region, date_from=None, date_to=None):
    """The figures counted straight from the records, as the statistics did before the tables."""
    acts = [
        a
        for a in Activity.objects.filter(status=ActivityStatus.CONFIRMED)
        if (a.sending_region_id.startswith(region) or a.receiving_region_id.startswith(region))
        and (date_from is None or a.start_date >= date_from)
        and (date_to is None or a.start_date <= date_to)
    ]
    people = {a.pk: sum(p.count for p in a.participations.all()) for a in acts}
    sending = [a for a in acts if a.sending_region_id.startswith(region)]
    cats = {}
    for p in Participation.objects.filter(activity__in=acts):
        cats[p.category] = cats.get(p.category, 0) + p.count
    return {
        "batches": len(acts),
        "people": sum(people.values()),
        "sending": (len(sending), sum(people[a.pk] for a in sending)),
        "categories": cats,
    }


def figures(region, date_from=None, date_to=None):
    f = facts.region_figures(region=region, date_from=date_from, date_to=date_to)
    return {
        "batches": f.batches,
        "people": f.person_times,
        "sending": f.by_role["sending"],
        "categories": {k: v for k, v in f.by_category.items() if v},
    }


@pytest.mark.django_db
def test_it_equals_counting_the_records_at_every_level_and_period(yangzhou, xinyuan, paired):
    rng = random.Random(7)
    townships = list(Region.objects.filter(code__startswith="654025", code__regex=r"^[0-9]{9}$")[:3])
    districts = list(Region.objects.filter(code__startswith="3210", code__regex=r"^[0-9]{6}$")[:3])
    group = EthnicGroup.objects.get(code="01")
    for n in range(14):
        a = activity(
            xinyuan,
            n * 23,
            sending_region=rng.choice([*townships, Region.objects.get(code="654025")]),
            receiving_region=rng.choice([*districts, Region.objects.get(code="3210")]),
        )
        if n % 4:
            ledger_services.activity_confirm(
                actor=yangzhou,
                activity=a,
                corrections=[
                    {
                        "category": "student",
                        "ethnic_group": group,
                        "age_band": "u18",
                        "gender": "f",
                        "count": rng.randint(1, 30),
                    }
                ],  # fmt: skip
            )
    periods = [
        (None, None),
        (dt.date(2026, 5, 1), dt.date(2026, 6, 30)),  # whole months
        (dt.date(2026, 5, 10), dt.date(2026, 7, 3)),  # partial edges
        (dt.date(2026, 6, 2), dt.date(2026, 6, 20)),  # inside one month
        (dt.date(2026, 6, 15), None),
    ]
    codes = ["", "32", "3210", "654025", "65", *[r.code for r in townships + districts]]
    for code in codes:
        for period in periods:
            assert figures(code, *period) == brute(code, *period), (code, period)
    assert not FactPending.objects.exists()  # the task drained the queue


@pytest.mark.django_db
def test_a_moved_or_cancelled_activity_leaves_its_old_rows(yangzhou, xinyuan, paired):
    a = activity(xinyuan, 0)
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    assert facts.region_figures(region="3210").batches == 1
    # Moved to another month and another receiving district: the old month's rows go.
    Activity.objects.filter(pk=a.pk).update(start_date=dt.date(2026, 8, 3), end_date=dt.date(2026, 8, 3))
    refresh.activities_changed([a.pk])
    may = facts.region_figures(region="3210", date_from=dt.date(2026, 5, 1), date_to=dt.date(2026, 5, 31))
    aug = facts.region_figures(region="3210", date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31))
    assert (may.batches, aug.batches) == (0, 1)
    ledger_services.activity_cancel(actor=xinyuan, activity=a, reason="重复")
    assert facts.region_figures(region="3210").batches == 0
    assert facts.region_figures(region="654025").partners == {}
    assert not ActivityFact.objects.exists()


@pytest.mark.django_db
def test_the_full_rebuild_rolls_merged_divisions_up_to_their_successor(yangzhou, xinyuan, paired):
    old, new = Region.objects.filter(code__startswith="3210", code__regex=r"^[0-9]{6}$").order_by("code")[:2]
    a = activity(xinyuan, 0, receiving_region=old)
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    assert facts.region_figures(region=old.code).batches == 1
    Succession.objects.create(predecessor=old, successor=new, kind="merge", effective_on=dt.date(2026, 1, 1))
    refresh.rebuild_all()
    assert facts.region_figures(region=old.code).batches == 0
    assert facts.region_figures(region=new.code).batches == 1
    assert facts.region_figures(region="3210").batches == 1
    assert facts.region_figures(region="654025").partners == {new.code: (1, 6)}


@pytest.mark.django_db
def test_the_statistics_page_reads_the_tables(client, login, yangzhou, xinyuan, paired):
    a = activity(xinyuan, 0)
    ledger_services.activity_confirm(actor=yangzhou, activity=a)
    ActivityFact.objects.filter(region="3210").update(batches=99)  # what the page shows comes from here
    login(yangzhou)
    page = client.get("/exchanges/statistics/").content.decode()
    assert "99" in page
    assert ActivityType.objects.exists()
