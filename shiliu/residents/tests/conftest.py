"""Residents' personas: a 扬州 community (琼花观社区) where people from 新源县 live, its coordinator, and a resident."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_unit, make_user

# Valid GB 11643 numbers (checksums computed), born 1990-01-01 in 新源县 and 1985-06-15 in 扬州.
XINYUAN_ID = "654025199001011231"
OTHER_ID = "32100219850615001X"


@pytest.fixture
def community(db: Any) -> Any:
    return make_unit("321002001001", "琼花观社区", kind="community")


@pytest.fixture
def other_community(db: Any) -> Any:
    return make_unit("321002001002", "个园社区", kind="community")


@pytest.fixture
def community_coordinator(db: Any, community: Any) -> Any:
    return make_user("qionghua", "unit_coordinator", "321002", community)


@pytest.fixture
def register(db: Any) -> Any:
    from shiliu.regions.models import Region
    from shiliu.residents import services

    def _register(actor: Any, unit: Any, *, consent: tuple[str, ...] | None = None, **extra: Any) -> Any:
        data = {
            "name": "马阿依古丽",
            "origin_region": Region.objects.get(code="654025"),
            "residence_region": unit.region,
            "residence_unit": unit,
            "moved_in_on": dt.date(2025, 3, 1),
            **extra,
        }
        scopes = (
            list(consent)
            if consent is not None
            else ["identity", "contact", "ethnicity", "household", "profile"]
        )
        given = services.ConsentInput(
            scopes=scopes, method="paper", given_on=dt.date(2025, 3, 1), note="纸质 001"
        )
        return services.resident_register(actor=actor, data=data, consent=given)

    return _register
