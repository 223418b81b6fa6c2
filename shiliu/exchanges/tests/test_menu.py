import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import make_unit, make_user
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.menu import selectors as menu_selectors
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType, Booking
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.lib import clock
from shiliu.regions.models import EthnicGroup


def offer_data(title, capacity=50, **extra):
    return {
        "title": title,
        "activity_type": ActivityType.objects.get(name="研学"),
        "plan_youth": True,
        "plan_tourism": True,
        "capacity": capacity,
        "duration_days": 1,
        **extra,
    }


@pytest.fixture
def study_package(yangzhou, yz_school, paired):
    museum = make_unit("321002", "扬州中国大运河博物馆", kind="tourism")
    offers = [
        menu_services.offer_publish(
            actor=yangzhou, host=yz_school, data=offer_data("走进育才课堂", capacity=60)
        ),
        menu_services.offer_publish(
            actor=yangzhou, host=yz_school, data=offer_data("运河文化研学", capacity=45)
        ),
    ]
    assert museum
    return menu_services.package_publish(
        actor=yangzhou, host=yz_school, title="扬州三日研学套餐", offers=offers
    )


def later(days):
    return clock.today() + dt.timedelta(days=days)


@pytest.mark.django_db
def test_paired_regions_see_the_menu_and_others_do_not(xinyuan, outsider, study_package):
    assert list(menu_selectors.packages_visible(user=xinyuan)) == [study_package]
    assert list(menu_selectors.packages_visible(user=outsider)) == []
    assert {o.title for o in menu_selectors.offers_visible(user=xinyuan, query="yucai")} == {
        "走进育才课堂",
        "运河文化研学",
    }


@pytest.mark.django_db
def test_book_accept_record_confirm_and_count(yangzhou, xinyuan, xy_school, study_package):
    assert study_package.capacity == 45 and study_package.duration_days == 2
    booking = menu_services.booking_request(
        actor=xinyuan,
        item=study_package,
        guest=xy_school,
        start=later(30),
        end=later(32),
        group_size=40,
        composition="36 名学生、4 名教师",
    )
    assert booking.status == "requested"
    with pytest.raises(PermissionDenied):
        menu_services.booking_answer(actor=xinyuan, booking=booking, decision="accept")
    booking = menu_services.booking_answer(actor=yangzhou, booking=booking, decision="accept")
    activity = booking.activity
    assert (
        activity.status == "draft"
        and activity.sending_unit == xy_school
        and activity.receiving_region_id == "321002"
    )
    rows = [{"category": "student", "ethnic_group": EthnicGroup.objects.get(code="17"), "age_band": "u18", "gender": "u", "count": 36},
            {"category": "teacher", "ethnic_group": EthnicGroup.objects.get(code="01"), "age_band": "o35", "gender": "u", "count": 4}]  # fmt: skip
    ledger_services.activity_update(actor=yangzhou, activity=activity, data={}, participations=rows)
    ledger_services.activity_submit(actor=yangzhou, activity=activity)
    ledger_services.activity_confirm(actor=xinyuan, activity=activity)
    for user, code in ((yangzhou, "3210"), (xinyuan, "654025")):
        stats = statistics_selectors.activity_stats(user=user, region=code)
        assert (stats.batches, stats.person_times) == (1, 40)


@pytest.mark.django_db
def test_capacity_waitlist_and_moving_up(yangzhou, xinyuan, xy_school, xy_hospital, study_package):
    with pytest.raises(ValidationError, match="45"):
        menu_services.booking_request(
            actor=xinyuan, item=study_package, guest=xy_school, start=later(10), end=later(11), group_size=60
        )
    first = menu_services.booking_request(
        actor=xinyuan, item=study_package, guest=xy_school, start=later(10), end=later(11), group_size=30
    )
    menu_services.booking_answer(actor=yangzhou, booking=first, decision="accept")
    second = menu_services.booking_request(
        actor=xinyuan, item=study_package, guest=xy_hospital, start=later(11), end=later(12), group_size=20
    )
    assert second.status == "waitlisted"
    # full: accepting leaves it on the waiting list (and says so), never accepted nor "requested"
    assert (
        menu_services.booking_answer(actor=yangzhou, booking=second, decision="accept").status == "waitlisted"
    )
    menu_services.booking_cancel(actor=xinyuan, booking=first)
    second.refresh_from_db()
    assert second.status == "requested"


@pytest.mark.django_db
def test_a_booking_is_cancelled_once_and_a_declined_one_not_at_all(
    yangzhou, xinyuan, xy_school, study_package
):
    booking = menu_services.booking_request(
        actor=xinyuan, item=study_package, guest=xy_school, start=later(10), end=later(11), group_size=30
    )
    booking = menu_services.booking_answer(actor=yangzhou, booking=booking, decision="accept")
    menu_services.booking_cancel(actor=xinyuan, booking=booking)
    with translation.override("en"), pytest.raises(ValidationError, match="already been cancelled"):
        menu_services.booking_cancel(actor=xinyuan, booking=booking)
    declined = menu_services.booking_request(
        actor=xinyuan, item=study_package, guest=xy_school, start=later(20), end=later(21), group_size=30
    )
    menu_services.booking_answer(actor=yangzhou, booking=declined, decision="decline")
    with translation.override("en"), pytest.raises(ValidationError, match="declined"):
        menu_services.booking_cancel(actor=xinyuan, booking=declined)
    declined.refresh_from_db()
    assert declined.status == "declined"


@pytest.mark.django_db
def test_the_host_may_propose_other_dates(yangzhou, xinyuan, xy_school, study_package):
    b = menu_services.booking_request(
        actor=xinyuan, item=study_package, guest=xy_school, start=later(5), end=later(6), group_size=10
    )
    b = menu_services.booking_answer(
        actor=yangzhou, booking=b, decision="counter", start=later(20), end=later(21), note="五月学校考试"
    )
    assert b.status == "counter"
    b = menu_services.booking_confirm_dates(actor=xinyuan, booking=b)
    assert (b.status, b.start_date) == ("requested", later(20))
    assert menu_services.booking_answer(
        actor=yangzhou, booking=b, decision="accept"
    ).activity.start_date == later(20)


@pytest.mark.django_db
def test_outsiders_cannot_book_and_bad_requests_save_nothing(
    outsider, cd_school, xinyuan, xy_school, study_package
):
    with pytest.raises(PermissionDenied):
        menu_services.booking_request(
            actor=outsider, item=study_package, guest=cd_school, start=later(5), end=later(6), group_size=5
        )
    with pytest.raises(ValidationError):
        menu_services.booking_request(
            actor=xinyuan, item=study_package, guest=xy_school, start=later(-5), end=later(-6), group_size=5
        )
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_a_public_offer_is_open_to_every_region(yangzhou, yz_school, outsider):
    offer = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("运河非遗体验", is_public=True)
    )
    assert list(menu_selectors.offers_visible(user=outsider)) == [offer]
    assert (
        make_user("res", "resident", "654025100")
        and list(menu_selectors.offers_visible(user=outsider, plan="embedding")) == []
    )


@pytest.mark.django_db
def test_an_offer_page_with_a_photo_served_to_those_who_may_browse_it(
    client, login, yangzhou, yz_school, outsider, paired
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shiliu.exchanges.models import Offer

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    login(yangzhou)
    form = {
        "host": yz_school.pk, "title": "运河研学", "activity_type": ActivityType.objects.get(name="研学").pk,
        "plan_youth": "on", "capacity": "40", "duration_days": "1", "cost_borne_by": "shared",
    }  # fmt: skip
    refused = client.post(
        "/exchanges/menu/offers/new/", {**form, "photo": SimpleUploadedFile("a.png", b"%PDF-1.4")}
    )
    assert refused.status_code == 400 and "不是图片" in refused.content.decode()
    assert not Offer.objects.exists()
    made = client.post("/exchanges/menu/offers/new/", {**form, "photo": SimpleUploadedFile("a.png", png)})
    assert made.status_code == 302
    offer = Offer.objects.get()
    assert f"/exchanges/menu/offers/{offer.pk}/photo/" in client.get(made["Location"]).content.decode()
    assert client.get(f"/exchanges/menu/offers/{offer.pk}/photo/").status_code == 200
    login(outsider)
    assert client.get(f"/exchanges/menu/offers/{offer.pk}/photo/").status_code == 404


@pytest.mark.django_db
def test_a_public_route_lists_only_the_offers_its_reader_may_open(
    client, login, yangzhou, yz_school, xinyuan, outsider, paired
):
    """A public route's page linked every offer on it, so 成都 followed links to offers that answered 404."""
    from shiliu.exchanges.tourism import services as tourism_services
    from shiliu.regions.models import Region

    route = tourism_services.route_create(
        actor=yangzhou,
        data={
            "title": "运河研学路线",
            "region": Region.objects.get(code="3210"),
            "days": 2,
            "is_public": True,
        },
        stops=[{"name": "东关街", "region": Region.objects.get(code="3210")}],
    )
    closed = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("走进育才课堂", route=route)
    )
    public = menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("运河非遗体验", route=route, is_public=True)
    )
    login(outsider)
    page = client.get(f"/exchanges/routes/{route.pk}/").content.decode()
    assert (
        f"/exchanges/menu/offers/{public.pk}/" in page and f"/exchanges/menu/offers/{closed.pk}/" not in page
    )
    assert client.get(f"/exchanges/menu/offers/{closed.pk}/").status_code == 404
    login(xinyuan)  # the paired county opens both
    page = client.get(f"/exchanges/routes/{route.pk}/").content.decode()
    assert f"/exchanges/menu/offers/{public.pk}/" in page and f"/exchanges/menu/offers/{closed.pk}/" in page
