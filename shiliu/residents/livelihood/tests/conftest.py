"""Livelihood personas: a 扬州 enterprise and its coordinator, a 扬州 training site, a 新源 resident (job-seeker,
learner, volunteer), 扬州 and 新源 staff, and an outsider (成都)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_unit, make_user
from shiliu.lib import clock


@pytest.fixture
def enterprise(db: Any) -> Any:
    return make_unit("321002", "扬州宝胜电缆有限公司", kind="enterprise")


@pytest.fixture
def employer(db: Any, enterprise: Any) -> Any:
    return make_user("baosheng-hr", "unit_coordinator", "321002", enterprise)


@pytest.fixture
def site(db: Any) -> Any:
    return make_unit("321002", "扬州市职业技能培训中心", kind="school")


@pytest.fixture
def teacher(db: Any, site: Any) -> Any:
    return make_user("teacher", "unit_coordinator", "321002", site)


@pytest.fixture
def job_data(enterprise: Any) -> Any:
    def _data(**extra: Any) -> dict[str, Any]:
        return {
            "employer": enterprise,
            "title": "电缆装配工",
            "occupation": "6",
            "place": "扬州市广陵区宝胜路1号",
            "wage_min": 5000,
            "wage_max": 7000,
            "hours": "每天8小时，周休1天",
            "housing": True,
            "meals": True,
            "languages": "国家通用语言",
            "openings": 10,
            "closes_on": clock.today() + dt.timedelta(days=30),
            **extra,
        }

    return _data


@pytest.fixture
def job(employer: Any, job_data: Any) -> Any:
    from shiliu.regions.models import Region
    from shiliu.residents.livelihood import services

    return services.job_create(
        actor=employer, data=job_data(), recruit_from=[Region.objects.get(code="654025")]
    )


@pytest.fixture
def klass(teacher: Any, site: Any) -> Any:
    from shiliu.residents.livelihood import services

    today = clock.today()
    return services.class_create(
        actor=teacher,
        data={
            "title": "国家通用语言+电工技能班",
            "site": site,
            "kind": "both",
            "starts_on": today - dt.timedelta(days=2),
            "ends_on": today + dt.timedelta(days=10),
            "capacity": 2,
            "teacher": teacher,
        },
    )


@pytest.fixture
def session_today(teacher: Any, klass: Any) -> Any:
    from shiliu.residents.livelihood import services

    return services.session_add(
        actor=teacher,
        klass=klass,
        data={
            "held_on": clock.today(),
            "starts_at": dt.time(9),
            "ends_at": dt.time(11),
            "topic": "安全用电",
        },
    )


@pytest.fixture
def volunteer(db: Any) -> Any:
    return make_user("volunteer", "resident", "321002001001")


@pytest.fixture
def leader(db: Any) -> Any:
    return make_user("leader", "resident", "321002001001")


@pytest.fixture
def team(yangzhou: Any, leader: Any, volunteer: Any) -> Any:
    from shiliu.regions.models import Region
    from shiliu.residents.livelihood import services

    return services.team_create(
        actor=yangzhou,
        data={
            "name": "琼花观石榴红志愿服务队",
            "region": Region.objects.get(code="321002"),
            "leader": leader,
        },
        members=[volunteer],
    )
