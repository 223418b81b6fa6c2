import datetime as dt

import pytest
from django.db import IntegrityError

from shiliu.regions.models import Succession
from shiliu.regions.selectors import region_current


@pytest.mark.django_db
def test_old_codes_roll_up_to_their_successor_after_a_merge():
    # A township merged into its neighbour, which was later recoded.
    Succession.objects.create(
        predecessor_id="654025101", successor_id="654025100", kind="merge", effective_on=dt.date(2024, 1, 1)
    )
    Succession.objects.create(
        predecessor_id="654025100", successor_id="654025102", kind="rename", effective_on=dt.date(2025, 6, 1)
    )
    assert region_current(code="654025101") == "654025102"
    assert region_current(code="654025101", on=dt.date(2024, 3, 1)) == "654025100"
    assert region_current(code="654025101", on=dt.date(2023, 3, 1)) == "654025101"
    assert region_current(code="654025104") == "654025104"


@pytest.mark.django_db
def test_a_cycle_in_the_mapping_does_not_loop_forever():
    Succession.objects.create(
        predecessor_id="654025101", successor_id="654025100", kind="merge", effective_on=dt.date(2024, 1, 1)
    )
    Succession.objects.create(
        predecessor_id="654025100", successor_id="654025101", kind="merge", effective_on=dt.date(2024, 2, 1)
    )
    assert region_current(code="654025101") in {"654025100", "654025101"}


@pytest.mark.django_db
def test_splits_are_not_followed_as_a_whole():
    Succession.objects.create(
        predecessor_id="654025101",
        successor_id="654025100",
        kind="split",
        share=0.4,
        effective_on=dt.date(2024, 1, 1),
    )
    Succession.objects.create(
        predecessor_id="654025101",
        successor_id="654025102",
        kind="split",
        share=0.6,
        effective_on=dt.date(2024, 1, 1),
    )
    assert region_current(code="654025101") == "654025101"


@pytest.mark.django_db
def test_a_division_cannot_succeed_itself():
    with pytest.raises(IntegrityError):
        Succession.objects.create(
            predecessor_id="654025101",
            successor_id="654025101",
            kind="merge",
            effective_on=dt.date(2024, 1, 1),
        )
