"""Races on pairings with real parallel connections: the same proposal sent at once makes one open pairing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import make_unit, make_user
from shiliu.pairings import services
from shiliu.pairings.models import Pairing
from shiliu.regions.models import Region
from shiliu.runtime.tests.concurrency import needs_parallel_connections, race, seed_reference_data

pytestmark = [pytest.mark.django_db(transaction=True), needs_parallel_connections]


@pytest.fixture
def staff() -> Any:
    seed_reference_data()
    return make_user("admin", "platform_admin", None)


def test_the_same_region_proposal_sent_five_times_at_once_opens_one_pairing(staff: Any) -> None:
    yangzhou, xinyuan = Region.objects.get(code="3210"), Region.objects.get(code="654025")
    # Three send it one way round, two the other: A↔B and B↔A are the same two sides.
    sides = [(yangzhou, xinyuan)] * 3 + [(xinyuan, yangzhou)] * 2

    outcomes = race(
        [
            lambda a=a, b=b: services.pairing_propose(actor=staff, kind="east_west", a_region=a, b_region=b)
            for a, b in sides
        ]
    )

    assert Pairing.objects.filter(kind="east_west").count() == 1
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 4
    for error in errors:
        assert isinstance(error, ValidationError), repr(error)
        # The threads speak the default language, as a request without a language cookie does.
        assert error.messages == ["双方已有同类型的结对（待确认、进行中或暂停）。"]


def test_the_same_unit_proposal_sent_at_once_opens_one_pairing(staff: Any) -> None:
    a = make_unit("321002", "扬州市育才小学")
    b = make_unit("654025", "新源县第一中学")

    outcomes = race(
        [
            lambda: services.pairing_propose(
                actor=staff, kind="co_building", a_region=a.region, a_unit=a, b_region=b.region, b_unit=b
            )
            for _ in range(4)
        ]
    )

    assert Pairing.objects.filter(a_unit__isnull=False).count() == 1
    assert sum(o.error is None for o in outcomes) == 1
    assert all(isinstance(o.error, ValidationError) for o in outcomes if o.error is not None)


def test_create_these_pairings_sent_twice_at_once_creates_them_once_and_says_so(staff: Any) -> None:
    urban = [make_unit("321002", f"扬州市第{n}中学") for n in range(1, 4)]
    rural = [make_unit("654025", f"新源县第{n}小学") for n in range(1, 4)]
    token = "0123456789abcdef0123456789abcdef"

    outcomes = race(
        [
            lambda: services.pairings_create_many(
                actor=staff, kind="co_building", pairs=list(zip(urban, rural, strict=True)), token=token
            )
            for _ in range(2)
        ]
    )

    assert Pairing.objects.count() == 3
    assert sorted(type(o.error).__name__ for o in outcomes) == ["AlreadySubmitted", "NoneType"]
    refused = next(o.error for o in outcomes if o.error is not None)
    assert "已创建 3 个结对" in str(refused)
