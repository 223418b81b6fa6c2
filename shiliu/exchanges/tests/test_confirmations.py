"""Actions that cannot be undone ask first and say what will happen; a matching run that makes no pair says why;
bookings say what really happened (a draft, the waiting list, a stay longer than the offer)."""

import datetime as dt

import pytest

from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import Booking, PenPalMatch
from shiliu.exchanges.tests.test_menu import later, offer_data
from shiliu.exchanges.tests.test_youth import add
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import services as youth_services


@pytest.fixture
def programme(yangzhou, paired, yz_school, xy_school):
    return youth_services.programme_create(
        actor=yangzhou, title="书信手拉手", school_a=yz_school, class_a="五年级二班", school_b=xy_school,
        class_b="初一（3）班",
    )  # fmt: skip


def page_of(response):
    return response.content.decode()


@pytest.mark.django_db
def test_withdrawing_consent_asks_first_and_says_the_details_are_erased(
    programme,
    yangzhou,
    xinyuan,
    client,
    login,
):
    (a1,) = add(yangzhou, programme, "a", 1, interests="足球、书法")
    add(xinyuan, programme, "b", 1)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    login(yangzhou)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    asked = client.post(url, {"action": "withdraw", "student": a1.pk})
    page = page_of(asked)
    assert asked.status_code == 200 and 'data-testid="confirm-page"' in page
    assert "A-01" in page and "删除" in page and "B-01" in page
    assert 'name="confirmed" value="1"' in page and f'name="student" value="{a1.pk}"' in page
    a1.refresh_from_db()
    assert a1.status == "active" and a1.interests == "足球、书法"  # nothing happened yet
    client.post(url, {"action": "withdraw", "student": a1.pk, "confirmed": "1"})
    a1.refresh_from_db()
    assert a1.status == "left" and a1.interests == ""


@pytest.mark.django_db
def test_a_pupil_leaving_and_a_class_graduating_ask_first(programme, yangzhou, xinyuan, client, login):
    (a1, _a2) = add(yangzhou, programme, "a", 2)
    add(xinyuan, programme, "b", 2)
    youth_matching.match_run(actor=yangzhou, programme=programme)
    login(yangzhou)
    url = f"/exchanges/penpals/{programme.pk}/action/"
    page = page_of(client.post(url, {"action": "leave", "student": a1.pk, "reason": "转学"}))
    assert 'data-testid="confirm-page"' in page and "重新结对" in page
    page = page_of(client.post(url, {"action": "class_leaves", "side": "a"}))
    assert 'data-testid="confirm-page"' in page and "2 名学生" in page and "2 对笔友" in page
    assert PenPalMatch.objects.filter(ended_on__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_matching_run_that_makes_no_pair_says_why(programme, yangzhou, xinyuan, client, login):
    add(yangzhou, programme, "a", 2)
    add(xinyuan, programme, "b", 2)
    add(xinyuan, programme, "b", 2, consent=False, start=13)
    youth_matching.match_run(actor=yangzhou, programme=programme)  # take B-01, B-02
    login(yangzhou)
    page = page_of(
        client.post(f"/exchanges/penpals/{programme.pk}/action/", {"action": "match"}, follow=True)
    )
    assert "没有新的笔友结对" in page
    assert "B-13、B-14" in page and "监护人同意" in page


@pytest.mark.django_db
def test_the_class_full_reason_names_the_partner_class(programme, yangzhou, xinyuan):
    add(yangzhou, programme, "a", 4)
    add(xinyuan, programme, "b", 2)
    youth_matching.match_run(actor=yangzhou, programme=programme)  # 1:2, B's pupils take two each
    add(yangzhou, programme, "a", 1, start=5)
    result = youth_matching.match_run(actor=yangzhou, programme=programme)
    assert not result.created
    assert any("新源县第一中学" in r and "初一（3）班" in r for r in result.reasons), result.reasons


@pytest.fixture
def offer(yangzhou, yz_school, paired):
    return menu_services.offer_publish(
        actor=yangzhou, host=yz_school, data=offer_data("走进育才课堂", capacity=40)
    )


@pytest.mark.django_db
def test_cancelling_a_booking_asks_first_and_accepting_says_draft(
    offer, yangzhou, xinyuan, xy_school, client, login
):
    booking = menu_services.booking_request(
        actor=xinyuan, item=offer, guest=xy_school, start=later(20), end=later(20), group_size=30
    )
    login(yangzhou)
    accepted = client.post(f"/exchanges/bookings/{booking.pk}/", {"action": "accept"}, follow=True)
    page = page_of(accepted)
    assert "草稿" in page and "计划中" not in page
    booking.refresh_from_db()
    assert booking.activity.status == "draft"
    login(xinyuan)
    page = page_of(client.post(f"/exchanges/bookings/{booking.pk}/", {"action": "cancel"}))
    assert 'data-testid="confirm-page"' in page and "草稿活动" in page
    booking.refresh_from_db()
    assert booking.status == "accepted"
    client.post(f"/exchanges/bookings/{booking.pk}/", {"action": "cancel", "confirmed": "1"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


@pytest.mark.django_db
def test_accepting_on_a_full_offer_puts_the_booking_on_the_waiting_list_and_says_so(
    offer, yangzhou, xinyuan, xy_school, client, login
):
    first = menu_services.booking_request(
        actor=xinyuan, item=offer, guest=xy_school, start=later(20), end=later(20), group_size=30
    )
    second = menu_services.booking_request(
        actor=xinyuan, item=offer, guest=xy_school, start=later(20), end=later(20), group_size=5
    )
    Booking.objects.filter(pk=second.pk).update(group_size=20)  # grew after it was requested
    menu_services.booking_answer(actor=yangzhou, booking=first, decision="accept")
    login(yangzhou)
    page = page_of(client.post(f"/exchanges/bookings/{second.pk}/", {"action": "accept"}, follow=True))
    second.refresh_from_db()
    assert second.status == "waitlisted"
    assert "候补" in page and "已满" in page


@pytest.mark.django_db
def test_a_booking_longer_than_the_offer_is_flagged_to_both_sides(
    offer, yangzhou, xinyuan, xy_school, client, login
):
    login(xinyuan)
    start = later(20)
    response = client.post(
        f"/exchanges/menu/offers/{offer.pk}/",
        {
            "guest": xy_school.pk,
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=2)).isoformat(),
            "group_size": 10,
        },
        follow=True,
    )
    page = page_of(response)
    assert "3 天" in page and "1 天" in page
    login(yangzhou)
    assert 'data-testid="days-over"' in page_of(client.get("/exchanges/bookings/"))
    assert 'class="badge booking-requested"' in page_of(client.get("/exchanges/bookings/"))
