"""Races on units with real parallel connections: the same unit added twice at once is refused, not a 500."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from shiliu.orgs import services
from shiliu.orgs.models import Organization
from shiliu.regions.models import Region
from shiliu.runtime.tests.concurrency import needs_parallel_connections, race, seed_reference_data

pytestmark = [pytest.mark.django_db(transaction=True), needs_parallel_connections]


def test_the_same_unit_added_twice_at_once_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    # A pause between the model's uniqueness check and the insert: every call checks before any commits.
    check = Organization.full_clean

    def slow_check(self: Organization, *args: Any, **kwargs: Any) -> None:
        check(self, *args, **kwargs)
        time.sleep(0.2)

    monkeypatch.setattr(Organization, "full_clean", slow_check)
    seed_reference_data()
    staff = make_user("xinyuan", "commission_staff", "654025")
    region = Region.objects.get(code="654025")
    data = {"name": "新源县第二中学", "kind": "school", "region": region}

    outcomes = race([lambda: services.organization_create(actor=staff, data=dict(data)) for _ in range(3)])

    assert Organization.objects.filter(name="新源县第二中学").count() == 1
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors), errors
