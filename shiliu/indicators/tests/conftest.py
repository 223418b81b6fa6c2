"""Indicators personas: two 新源县 communities and a 扬州 one, the 伊犁州 commission (the level above 新源县), a
provincial expert (新疆), and the shipped catalogue (the data migration's rows, loaded again for test isolation)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import make_unit, make_user

C1, C2 = "654025100001", "654025100002"
YZ = "321002001001"


@pytest.fixture
def catalogue(db: Any) -> None:
    from django.apps import apps

    from shiliu.indicators.catalogue import load

    load(apps)


@pytest.fixture
def communities(db: Any) -> list[Any]:
    from shiliu.regions.models import Region

    out = []
    for code in (C1, C2, YZ):
        region = Region.objects.get(code=code)
        make_unit(code, region.name.removesuffix("居民委员会") or code, kind="community")
        out.append(region)
    return out


@pytest.fixture
def yili(db: Any) -> Any:
    return make_user("yili", "commission_staff", "6540")


@pytest.fixture
def expert(db: Any) -> Any:
    return make_user("xinjiang", "commission_staff", "65")


def entries(values: dict[str, float | None], comment: str = "") -> list[Any]:
    from shiliu.indicators.models import DataElement
    from shiliu.indicators.services import Entry

    out = []
    for key, value in values.items():
        code, _sep, group = key.partition("__")
        element = DataElement.objects.get(code=code)
        out.append(Entry(f"v_{key}", element, value, group or None, comment))
    return out


BASE = {
    "population__17": 1200.0,
    "population__01": 800.0,
    "households": 650.0,
    "households_mixed": 200.0,
    "disputes": 10.0,
    "disputes_resolved": 9.0,
    "satisfaction": 90.0,
}
