"""Absurd input is refused the same way by the pages, the API and the import: dates in the year 9999 or 0001, a
megabyte of summary."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import Activity, Booking, ImportJob, ImportStatus, TourGroup
from shiliu.exchanges.tests.test_import import GOOD, upload, workbook
from shiliu.exchanges.tests.test_ledger import rows, visit
from shiliu.exchanges.tests.test_menu import later, offer_data
from shiliu.exchanges.tests.test_tourism import tour
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.lib import clock

FAR = dt.date(9999, 12, 31)
ANCIENT = dt.date(1, 1, 1)
MEGABYTE = "很" * 1_000_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_date": FAR, "end_date": FAR}, "start_date"),
        ({"start_date": ANCIENT}, "start_date"),
        ({"end_date": FAR}, "end_date"),
        ({"summary": MEGABYTE}, "summary"),
    ],
)
def test_an_activity_with_absurd_dates_or_text_is_refused(xinyuan, paired, change, field):
    with pytest.raises(ValidationError) as caught:
        ledger_services.activity_record(actor=xinyuan, data=visit(**change), participations=rows())
    assert field in caught.value.message_dict
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_activity_page_says_why_in_chinese(client, login, xinyuan, paired):
    from shiliu.exchanges.tests.test_pages import form

    login(xinyuan)
    response = client.post("/exchanges/new/", form(start_date="9999-07-10", end_date="9999-07-16"))
    assert response.status_code == 400
    assert "请填写不超过 5 年之后的日期" in response.content.decode()
    response = client.post("/exchanges/new/", form(summary="很" * 5001))
    assert response.status_code == 400 and "5000" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_them_too(client, login, yangzhou, paired):
    from shiliu.exchanges.tests.test_api import PAYLOAD

    login(yangzhou)
    far = client.post(
        "/api/activities",
        {**PAYLOAD, "start_date": "9999-03-01", "end_date": "9999-03-05"},
        content_type="application/json",
    )
    assert far.status_code == 422 and "start_date" in far.json()["errors"]
    long = client.post(
        "/api/activities", {**PAYLOAD, "summary": "很" * 6000}, content_type="application/json"
    )
    assert long.status_code == 422 and "summary" in long.json()["errors"]
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_import_reports_them_by_row_and_column(client, login, xinyuan, paired):
    bad = [list(row) for row in GOOD]
    bad[0][4] = dt.date(1, 1, 1)  # a date Excel cannot even show: typed as text below
    bad[0][4] = "0001-01-01"
    bad[2][4], bad[2][5] = "9999-07-15", "9999-07-20"
    bad[2][11] = "很" * 6000
    login(xinyuan)
    upload(client, workbook(bad))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and not Activity.objects.exists()
    found = {(p["row"], p["column"]) for p in job.problems}
    assert (2, "开始日期") in found and (4, "开始日期") in found and (4, "活动简介") in found
    assert any("2000-01-01" in p["message"] for p in job.problems)


@pytest.mark.django_db
def test_an_imported_place_longer_than_its_column_is_reported_not_cut(client, login, xinyuan, paired):
    long_place = [list(row) for row in GOOD]
    long_place[0][6] = "扬" * 121
    login(xinyuan)
    upload(client, workbook(long_place))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED
    assert {(p["row"], p["column"]) for p in job.problems} == {(2, "地点")}


@pytest.mark.django_db
@pytest.mark.parametrize("day", [FAR, ANCIENT])
def test_a_tour_group_in_an_absurd_year_is_refused(yangzhou, paired, day):
    with pytest.raises(ValidationError) as caught:
        tourism_services.tour_group_record(
            actor=yangzhou, data=tour(start_date=day, end_date=max(day, dt.date(2026, 6, 6)))
        )
    assert "start_date" in caught.value.message_dict
    assert not TourGroup.objects.exists()


@pytest.mark.django_db
def test_bookings_and_proposed_dates_stay_within_five_years(yangzhou, xinyuan, yz_school, xy_school, paired):
    offer = menu_services.offer_publish(actor=yangzhou, host=yz_school, data=offer_data("运河研学"))
    with pytest.raises(ValidationError) as caught:
        menu_services.booking_request(
            actor=xinyuan, item=offer, guest=xy_school, start=FAR, end=FAR, group_size=10
        )
    assert "start_date" in caught.value.message_dict
    booking = menu_services.booking_request(
        actor=xinyuan, item=offer, guest=xy_school, start=later(10), end=later(12), group_size=10
    )
    with pytest.raises(ValidationError) as caught:
        menu_services.booking_answer(actor=yangzhou, booking=booking, decision="counter", start=FAR, end=FAR)
    assert "proposed_start" in caught.value.message_dict
    booking.refresh_from_db()
    assert booking.proposed_start is None and Booking.objects.count() == 1


@pytest.mark.django_db
def test_offer_descriptions_have_a_limit(yangzhou, yz_school, paired):
    with pytest.raises(ValidationError) as caught:
        menu_services.offer_publish(
            actor=yangzhou, host=yz_school, data=offer_data("运河研学", description=MEGABYTE)
        )
    assert "description" in caught.value.message_dict


@pytest.mark.django_db
def test_the_window_moves_with_the_calendar(xinyuan, paired):
    five_years = clock.today().replace(year=clock.today().year + 5) - dt.timedelta(days=1)
    ledger_services.activity_record(
        actor=xinyuan, data=visit(start_date=five_years, end_date=five_years), participations=rows()
    )
    assert Activity.objects.count() == 1
