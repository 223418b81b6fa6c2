"""Every page of the exchanges module that lists records runs as many queries for a long list as for a short one:
each page is loaded with n records, then with 2n, and must not run a single query more."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_unit
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType
from shiliu.exchanges.tests.test_menu import later, offer_data
from shiliu.exchanges.tests.test_tourism import region, tour
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import services as youth_services
from shiliu.regions.models import EthnicGroup


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def activity(actor, n, **extra):
    data = {
        "title": f"交流活动 {n}",
        "activity_type": ActivityType.objects.get(name="互访考察"),
        "plan_embedding": True,
        "start_date": dt.date(2026, 5, 1) + dt.timedelta(days=n),
        "end_date": dt.date(2026, 5, 1) + dt.timedelta(days=n),
        "sending_region": region("654025"),
        "receiving_region": region("3210"),
        **extra,
    }
    rows = [{"category": "cadre", "ethnic_group": EthnicGroup.objects.get(code="17"), "age_band": "o35",
             "gender": "m", "count": 6}]  # fmt: skip
    return ledger_services.activity_record(actor=actor, data=data, participations=rows)


def grows(client, url, add, n=3):
    """Queries of ``url`` with n records, then with 2n (``add(i)`` adds record i)."""
    for i in range(n):
        add(i)
    short = queries(client, url)
    for i in range(n, 2 * n):
        add(i)
    return short, queries(client, url)


@pytest.mark.django_db
def test_the_ledger_runs_no_more_queries_for_a_longer_list(client, login, xinyuan, paired):
    login(xinyuan)
    short, long = grows(client, "/exchanges/", lambda i: activity(xinyuan, i))
    assert long <= short


@pytest.mark.django_db
def test_the_bookings_run_no_more_queries_for_a_longer_list(
    client, login, yangzhou, xinyuan, paired, yz_school, xy_school
):
    offer = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("走进育才课堂", capacity=1000)
    )
    package = menu_services.package_publish(
        actor=yangzhou,
        host=yz_school,
        title="研学套餐",
        offers=[
            offer,
            menu_services.offer_publish(actor=yangzhou, host=yz_school, data=offer_data("运河研学")),
        ],
    )

    def add(i):
        for item in (offer, package):
            booking = menu_services.booking_request(
                actor=xinyuan,
                item=item,
                guest=xy_school,
                start=later(10 + i),
                end=later(10 + i),
                group_size=2,
            )
            if i % 2:
                menu_services.booking_answer(actor=yangzhou, booking=booking, decision="accept")

    login(yangzhou)
    short, long = grows(client, "/exchanges/bookings/", add)
    assert long <= short
    login(xinyuan)
    assert queries(client, "/exchanges/bookings/") <= short + 1


@pytest.fixture
def paired_schools(paired, yz_school, xy_school):
    return yz_school, xy_school


@pytest.mark.django_db
def test_pen_pal_pages_run_no_more_queries_for_longer_lists(client, login, yangzhou, xinyuan, paired_schools):
    yz_school, xy_school = paired_schools

    def programme(i):
        return youth_services.programme_create(
            actor=yangzhou, title=f"书信手拉手 {i}", school_a=yz_school, class_a=f"{i}班", school_b=xy_school,
            class_b="初一班",
        )  # fmt: skip

    login(yangzhou)
    short, long = grows(client, "/exchanges/penpals/", programme)
    assert long <= short
    one = programme(99)

    def pupils(i):
        for side, actor in (("a", yangzhou), ("b", xinyuan)):
            youth_services.student_add(
                actor=actor, programme=one, side=side, code=f"{side.upper()}-{i:02d}", grade=5, age=11,
                interests="足球", consent_on=dt.date(2026, 9, 1),
            )  # fmt: skip
        youth_matching.match_run(actor=yangzhou, programme=one)

    short, long = grows(client, f"/exchanges/penpals/{one.pk}/", pupils)
    assert long <= short


@pytest.mark.django_db
def test_the_menu_tours_routes_and_online_classes_run_no_more_queries_for_longer_lists(
    client, login, yangzhou, xinyuan, paired, yz_school, xy_school
):
    login(xinyuan)
    short, long = grows(
        client,
        "/exchanges/menu/",
        lambda i: menu_services.offer_publish(actor=yangzhou, host=yz_school, data=offer_data(f"菜单 {i}")),
    )
    assert long <= short
    short, long = grows(
        client,
        "/exchanges/tours/",
        lambda i: tourism_services.tour_group_record(actor=xinyuan, data=tour(name=f"旅游团 {i}")),
    )
    assert long <= short
    short, long = grows(
        client,
        "/exchanges/routes/",
        lambda i: tourism_services.route_create(
            actor=xinyuan,
            data={"title": f"研学路线 {i}", "region": region("654025"), "days": 2, "is_public": True},
            stops=[{"name": "那拉提草原", "region": region("654025")}],
        ),
    )
    assert long <= short
    school = make_unit("654025", "新源县第二中学")
    assert school

    def online(i):
        youth_services.online_class_schedule(
            actor=yangzhou, host=yz_school, partner=xy_school, kind="网上共上一堂课", title=f"同上一堂课 {i}",
            starts_at=dt.datetime(2026, 12, 1 + i, 10, tzinfo=dt.UTC), duration_minutes=45,
            meeting_url="https://meeting.example.cn/1", classes_host="五（2）班", classes_partner="初一（3）班",
        )  # fmt: skip

    short, long = grows(client, "/exchanges/online/", online)
    assert long <= short
