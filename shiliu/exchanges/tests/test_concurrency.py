"""Races on the exchange menu with real parallel connections: offers are never over-booked, the waiting list moves.

Each test runs a few trials. A short pause inside the count of accepted places (``slow_count``) widens the window in
which two transactions have both written and neither has committed, so that without the lock on the offer the race
goes wrong in every trial instead of now and then.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import make_unit, make_user
from shiliu.exchanges.imports import services as imports_services
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType, Booking, BookingStatus
from shiliu.exchanges.youth import services as youth_services
from shiliu.lib import clock
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from shiliu.runtime.tests.concurrency import needs_parallel_connections, race, seed_reference_data

pytestmark = [pytest.mark.django_db(transaction=True), needs_parallel_connections]

TRIALS = 2


@pytest.fixture
def world() -> dict[str, Any]:
    seed_reference_data()
    yangzhou = make_user("yangzhou", "commission_staff", "3210")
    xinyuan = make_user("xinyuan", "commission_staff", "654025")
    pairing = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=xinyuan, pairing=pairing, accept=True)
    host = make_unit("321002", "扬州市育才小学")
    guests = [make_unit("654025", f"新源县第{n}小学") for n in range(1, 8)]
    return {"yangzhou": yangzhou, "xinyuan": xinyuan, "host": host, "guests": guests}


@pytest.fixture(autouse=True)
def slow_count(monkeypatch: pytest.MonkeyPatch) -> None:
    count = menu_services._booked

    def paused(*args: Any, **kwargs: Any) -> int:
        time.sleep(0.05)
        return count(*args, **kwargs)

    monkeypatch.setattr(menu_services, "_booked", paused)


def _offer(world: dict[str, Any], capacity: int, title: str) -> Any:
    return menu_services.offer_publish(
        actor=world["yangzhou"],
        host=world["host"],
        data={
            "title": title,
            "activity_type": ActivityType.objects.get(name="研学"),
            "plan_youth": True,
            "capacity": capacity,
        },
    )


def _book(world: dict[str, Any], offer: Any, guest: Any, size: int, start: dt.date) -> Booking:
    return menu_services.booking_request(
        actor=world["xinyuan"], item=offer, guest=guest, start=start, end=start, group_size=size
    )


def _accepted_places(offer: Any) -> int:
    return sum(b.group_size for b in Booking.objects.filter(offer=offer, status=BookingStatus.ACCEPTED))


def test_it_never_accepts_more_people_than_the_offer_holds(world: dict[str, Any]) -> None:
    for trial in range(TRIALS):
        start = clock.today() + dt.timedelta(days=30 + trial)
        offer = _offer(world, 120, f"走进育才课堂 {trial}")
        first = _book(world, offer, world["guests"][0], 110, start)
        menu_services.booking_answer(actor=world["yangzhou"], booking=first, decision="accept")
        waiting = [_book(world, offer, guest, 10, start) for guest in world["guests"][1:7]]

        outcomes = race(
            [
                lambda b=b: menu_services.booking_answer(
                    actor=world["yangzhou"], booking=b, decision="accept"
                )
                for b in waiting
            ]
        )

        # Accepting on a full offer puts the booking on the waiting list (and says so): one of the six fits.
        assert [o.error for o in outcomes if o.error is not None] == []
        statuses = sorted(Booking.objects.get(pk=b.pk).status for b in waiting)
        assert statuses.count(BookingStatus.ACCEPTED) == 1, f"trial {trial}: {statuses}"
        assert statuses.count(BookingStatus.WAITLISTED) == len(waiting) - 1, f"trial {trial}: {statuses}"
        assert _accepted_places(offer) == 120


def test_two_cancellations_at_once_move_the_waiting_booking_up(world: dict[str, Any]) -> None:
    for trial in range(TRIALS):
        start = clock.today() + dt.timedelta(days=40 + trial)
        offer = _offer(world, 60, f"运河文化研学 {trial}")
        accepted = []
        for guest in world["guests"][:2]:
            booking = _book(world, offer, guest, 30, start)
            accepted.append(
                menu_services.booking_answer(actor=world["yangzhou"], booking=booking, decision="accept")
            )
        waiting = _book(world, offer, world["guests"][2], 50, start)
        assert waiting.status == BookingStatus.WAITLISTED

        outcomes = race(
            [lambda b=b: menu_services.booking_cancel(actor=world["xinyuan"], booking=b) for b in accepted]
        )

        assert [o.error for o in outcomes] == [None, None]
        assert _accepted_places(offer) == 0
        waiting.refresh_from_db()
        assert waiting.status == BookingStatus.REQUESTED, f"trial {trial}: still waiting with 0 of 60 used"


def test_the_same_file_imported_twice_at_once_is_written_once(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from django.core.files.uploadedfile import SimpleUploadedFile

    from shiliu.exchanges.models import Activity, ImportJob, ImportStatus
    from shiliu.exchanges.tests.test_import import GOOD, workbook

    content = workbook(GOOD)
    jobs = [
        ImportJob.objects.create(
            created_by=world["xinyuan"],
            file=SimpleUploadedFile("ledger.xlsx", content),
            original_name="ledger.xlsx",
            total_rows=3,
        )
        for _ in range(2)
    ]
    # Both imports finish checking before either writes: the ledger has neither copy when each looks.
    both_checked = threading.Barrier(2)
    check = imports_services.check_activities

    def checked_together(*args: Any, **kwargs: Any) -> Any:
        result = check(*args, **kwargs)
        both_checked.wait(10)
        return result

    monkeypatch.setattr(imports_services, "check_activities", checked_together)

    outcomes = race([lambda job=job: imports_services.import_run(job.pk) for job in jobs])

    assert [o.error for o in outcomes] == [None, None]
    assert Activity.objects.count() == 2
    finished = sorted((j.status, j.created_count, j.skipped_count) for j in (o.value for o in outcomes))
    assert finished == [(ImportStatus.DONE, 0, 2), (ImportStatus.DONE, 2, 0)]


def test_the_same_pupil_added_twice_at_once_is_refused_clearly(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from shiliu.exchanges.models import PenPalStudent

    # A pause between the service's check for the code and the insert: every call checks before any commits.
    check = PenPalStudent.full_clean

    def slow_check(self: PenPalStudent, *args: Any, **kwargs: Any) -> None:
        check(self, *args, **kwargs)
        time.sleep(0.2)

    monkeypatch.setattr(PenPalStudent, "full_clean", slow_check)

    programme = youth_services.programme_create(
        actor=world["yangzhou"], title="书信手拉手", school_a=world["host"], class_a="五年级二班",
        school_b=world["guests"][0], class_b="初一（3）班",
    )  # fmt: skip

    outcomes = race(
        [
            lambda: youth_services.student_add(
                actor=world["yangzhou"], programme=programme, side="a", code="A-01", grade=5, age=11
            )
            for _ in range(3)
        ]
    )

    assert programme.students.count() == 1
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors), errors
