"""Cancelling a fair or a class, taking back approved hours, removing a visit: each asks for confirmation first,
and the derived activity leaves the statistics (最多报一次 stays true); another jurisdiction gets a 404."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import make_user
from shiliu.exchanges.models import Activity
from shiliu.lib import clock
from shiliu.regions.models import Region
from shiliu.residents.livelihood import services
from shiliu.residents.livelihood.models import JobFair, KinshipVisit, TrainingClass, VolunteerHours

pytestmark = pytest.mark.django_db


def _fair(yangzhou, job):
    return services.fair_create(
        actor=yangzhou,
        data={"title": "专场招聘会", "region": Region.objects.get(code="321002"),
              "origin_region": Region.objects.get(code="654025"), "held_on": clock.today(), "place": "人力资源市场"},
        jobs=[job],
    )  # fmt: skip


def test_cancelling_a_fair_asks_first_then_withdraws_its_activity(login, yangzhou, job):
    fair = _fair(yangzhou, job)
    client = login(yangzhou)
    url = f"/livelihood/fairs/{fair.pk}/cancel/"
    asked = client.post(url)
    assert asked.status_code == 200 and "confirmed" in asked.content.decode()
    assert Activity.objects.filter(source_kind="job_fair").count() == 1  # nothing happened yet
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not JobFair.objects.filter(pk=fair.pk).exists()
    assert not Activity.objects.filter(source_kind="job_fair").exists()
    job.refresh_from_db()
    assert job.status == "open"  # the posts stay


def test_another_jurisdiction_cannot_cancel_a_fair_or_a_class(login, yangzhou, job, klass):
    fair = _fair(yangzhou, job)
    chengdu = make_user("chengdu-staff", "commission_staff", "5101")
    client = login(chengdu)
    assert client.post(f"/livelihood/fairs/{fair.pk}/cancel/", {"confirmed": "1"}).status_code == 404
    assert client.post(f"/livelihood/training/{klass.pk}/cancel/", {"confirmed": "1"}).status_code == 404
    assert JobFair.objects.filter(pk=fair.pk).exists() and TrainingClass.objects.filter(pk=klass.pk).exists()


def test_a_class_is_cancelled_with_its_activity_but_not_once_certificates_are_issued(
    login, teacher, klass, session_today
):
    client = login(teacher)
    assert client.post(f"/livelihood/training/{klass.pk}/cancel/", {"confirmed": "1"}).status_code == 302
    assert not TrainingClass.objects.filter(pk=klass.pk).exists()
    assert not Activity.objects.filter(source_kind="training_class", source_ref=str(klass.pk)).exists()


def test_a_class_with_a_certificate_cannot_be_cancelled(teacher, klass, session_today):
    learner = make_user("learner", "resident", "654025")
    enrolment = services.enrol(actor=learner, klass=klass)
    services.attend_by_code(actor=learner, token=session_today.token)
    services.enrolment_complete(actor=teacher, enrolment=enrolment)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.class_cancel(actor=teacher, klass=klass)
    assert Activity.objects.filter(source_kind="training_class", source_ref=str(klass.pk)).exists()


def test_taking_back_the_last_approved_hours_of_a_day_withdraws_the_day(login, team, volunteer, leader):
    day = clock.today()
    entries = []
    for hours in ("2", "3"):
        entry = services.hours_log(
            actor=volunteer,
            team=team,
            served_on=day,
            hours=Decimal(hours),
            beneficiaries=1,
            description="义诊",
        )
        services.hours_decide(actor=leader, entry=entry, approve=True)
        entries.append(entry)
    client = login(leader)
    url = f"/livelihood/hours/{entries[0].pk}/revoke/"
    assert client.post(url, {"return_reason": "当天活动取消"}).status_code == 200  # the confirmation page
    assert client.post(url, {"return_reason": "当天活动取消", "confirmed": "1"}).status_code == 302
    assert Activity.objects.filter(source_kind="volunteer_day").count() == 1  # one approved entry remains
    client.post(f"/livelihood/hours/{entries[1].pk}/revoke/", {"return_reason": "重复", "confirmed": "1"})
    assert VolunteerHours.objects.filter(status="returned").count() == 2
    assert not Activity.objects.filter(source_kind="volunteer_day").exists()


def test_taking_back_needs_a_reason_and_only_the_leader_may(login, team, volunteer, leader):
    entry = services.hours_log(
        actor=volunteer,
        team=team,
        served_on=clock.today(),
        hours=Decimal("2"),
        beneficiaries=1,
        description="义诊",
    )
    services.hours_decide(actor=leader, entry=entry, approve=True)
    assert (
        login(volunteer).post(f"/livelihood/hours/{entry.pk}/revoke/", {"confirmed": "1"}).status_code == 404
    )
    login(leader).post(f"/livelihood/hours/{entry.pk}/revoke/", {"confirmed": "1", "return_reason": " "})
    entry.refresh_from_db()
    assert entry.status == "approved" and Activity.objects.filter(source_kind="volunteer_day").exists()


def test_removing_a_visit_withdraws_its_activity(login, xinyuan):
    cadre = make_user("cadre", "commission_staff", "654025")
    pairing = services.kinship_pair(
        actor=xinyuan,
        data={"cadre": cadre, "household": "艾力家", "region": Region.objects.get(code="654025100"), "members": 4,
              "paired_on": clock.today() - dt.timedelta(days=30)},
    )  # fmt: skip
    visit = services.visit_log(actor=cadre, pairing=pairing, visited_on=clock.today(), activities="走访")
    chengdu = make_user("chengdu-staff", "commission_staff", "5101")
    assert (
        login(chengdu).post(f"/livelihood/kinship/visits/{visit.pk}/delete/", {"confirmed": "1"}).status_code
        == 404
    )
    page = login(cadre).get(f"/livelihood/kinship/{pairing.pk}/")
    assert "visit-delete" in page.content.decode()
    assert (
        login(cadre).post(f"/livelihood/kinship/visits/{visit.pk}/delete/", {"confirmed": "1"}).status_code
        == 302
    )
    assert not KinshipVisit.objects.filter(pk=visit.pk).exists()
    assert not Activity.objects.filter(source_kind="cadre_visit").exists()
