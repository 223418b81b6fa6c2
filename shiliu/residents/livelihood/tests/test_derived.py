"""Counted once: fairs, classes, volunteer service days and cadre visits appear in the activity statistics as
activities derived from these records (never typed twice), attributed to their parties."""

import datetime as dt
from decimal import Decimal

import pytest

from shiliu.exchanges.ledger.derived import source_of
from shiliu.exchanges.models import Activity
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.lib import clock
from shiliu.regions.models import Region
from shiliu.residents.livelihood import services

pytestmark = pytest.mark.django_db


def test_a_job_fair_for_xinyuan_workers_counts_once_for_both_sides(yangzhou, xinyuan, job):
    fair = services.fair_create(
        actor=yangzhou,
        data={"title": "新源籍务工人员专场招聘会", "region": Region.objects.get(code="321002"),
              "origin_region": Region.objects.get(code="654025"), "held_on": clock.today(), "place": "人力资源市场"},
        jobs=[job],
    )  # fmt: skip
    activity = Activity.objects.get(source_kind="job_fair")
    assert activity.status == "confirmed" and activity.sending_region_id == "654025"
    assert source_of(activity)[1] == f"/livelihood/fairs/{fair.pk}/"
    assert statistics_selectors.activity_stats(user=yangzhou, region="3210").batches == 1
    assert statistics_selectors.activity_stats(user=xinyuan, region="654025").batches == 1


def test_a_class_a_volunteer_day_and_a_visit_are_derived_and_not_doubled(
    klass, team, volunteer, leader, xinyuan
):
    assert Activity.objects.filter(source_kind="training_class", source_ref=str(klass.pk)).count() == 1
    day = clock.today()
    for hours in ("2", "3"):
        entry = services.hours_log(
            actor=volunteer,
            team=team,
            served_on=day,
            hours=Decimal(hours),
            beneficiaries=4,
            description="义诊",
        )
        services.hours_decide(actor=leader, entry=entry, approve=True)
    assert Activity.objects.filter(source_kind="volunteer_day").count() == 1  # one service day, two entries
    from conftest import make_user

    cadre = make_user("cadre", "commission_staff", "654025")
    pairing = services.kinship_pair(
        actor=xinyuan,
        data={"cadre": cadre, "household": "艾力家", "region": Region.objects.get(code="654025100"), "members": 4,
              "paired_on": day - dt.timedelta(days=30)},
    )  # fmt: skip
    visit = services.visit_log(actor=cadre, pairing=pairing, visited_on=day, activities="走访")
    activity = Activity.objects.get(source_kind="cadre_visit")
    assert activity.source_ref == str(visit.pk) and activity.receiving_region_id == "654025100"
    assert statistics_selectors.activity_stats(user=xinyuan, region="654025").batches == 1
