"""Lectures: sessions with links and audiences checked, reach per region and period, the replay page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shiliu.culture import lectures
from shiliu.culture.models import Lecture
from shiliu.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(xinyuan: Any) -> Any:
    return lectures.series_save(
        actor=xinyuan, data={"title": "视频大宣讲", "region": Region.objects.get(code="654025")}
    )


def session(actor: Any, series: Any, **extra: Any) -> Lecture:
    data = {
        "topic": "铸牢中华民族共同体意识",
        "speaker": "宣讲团成员",
        "held_on": dt.date(2026, 3, 5),
        "region": Region.objects.get(code="654025100"),
        "venue": "新源镇文化站",
        "stream_url": "",
        "replay_url": "https://replay.example.cn/1",
        "attendance": 120,
        "views": 3000,
        "plan": "",
        **extra,
    }
    return lectures.lecture_save(actor=actor, series=series, data=data)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"attendance": -1}, "attendance"),
        ({"views": -5}, "views"),
        ({"replay_url": "javascript:alert(1)"}, "replay_url"),
        ({"stream_url": "data:text/html,x", "venue": ""}, "stream_url"),
        ({"venue": "", "stream_url": ""}, "venue"),
    ],
)
def test_it_refuses_bad_sessions(xinyuan: Any, series: Any, extra: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        session(xinyuan, series, **extra)
    assert field in exc.value.message_dict
    assert not Lecture.objects.exists()


def test_reach_counts_sessions_and_person_times_per_region_and_period(xinyuan: Any, series: Any) -> None:
    session(xinyuan, series)
    session(
        xinyuan,
        series,
        held_on=dt.date(2026, 7, 1),
        region=Region.objects.get(code="654025"),
        attendance=80,
        views=0,
    )
    session(xinyuan, series, held_on=dt.date(2025, 12, 31))  # another year
    rows, total = lectures.reach(user=xinyuan, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert (total.sessions, total.people) == (2, 3200)
    by_month, _total = lectures.reach(
        user=xinyuan, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), by="month"
    )
    assert [(r.code, r.sessions, r.people) for r in by_month] == [("3", 1, 3120), ("7", 1, 80)]


def test_reach_stays_in_the_jurisdiction(xinyuan: Any, yangzhou: Any, series: Any) -> None:
    session(xinyuan, series)
    _rows, total = lectures.reach(user=yangzhou, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert total.sessions == 0


def test_the_replay_page_links_out_safely(login: Any, xinyuan: Any, series: Any) -> None:
    lecture = session(xinyuan, series)
    body = login(xinyuan).get(reverse("culture:lecture", args=[lecture.pk])).content.decode()
    assert 'href="https://replay.example.cn/1"' in body
    assert 'rel="noopener noreferrer nofollow"' in body


def test_another_jurisdiction_gets_404_on_a_session(
    login: Any, outsider: Any, xinyuan: Any, series: Any
) -> None:
    lecture = session(xinyuan, series)
    client = login(outsider)
    assert client.get(reverse("culture:lecture", args=[lecture.pk])).status_code == 404
    assert client.get(reverse("culture:lecture_edit", args=[lecture.pk])).status_code == 404
    assert "铸牢" not in client.get(reverse("culture:lectures")).content.decode()


def test_the_form_shows_a_negative_audience_next_to_the_field(login: Any, xinyuan: Any, series: Any) -> None:
    response = login(xinyuan).post(
        f"{reverse('culture:lecture_new')}?series={series.pk}",
        {
            "topic": "t",
            "speaker": "s",
            "held_on": "2026-03-01",
            "region": "654025",
            "venue": "v",
            "attendance": "-3",
            "views": "0",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["attendance"]
    assert not Lecture.objects.exists()


def test_the_reach_page_shows_the_year(login: Any, xinyuan: Any, series: Any) -> None:
    session(xinyuan, series)
    response = login(xinyuan).get(reverse("culture:reach"), {"year": "2026"})
    assert response.status_code == 200
    assert response.context["total"].people == 3120


def test_a_session_under_a_plan_is_one_derived_activity(xinyuan: Any, series: Any) -> None:
    from shiliu.exchanges.ledger.models import Activity

    lecture = session(xinyuan, series, plan="embedding")
    activity = Activity.objects.get(source_kind="culture.lecture", source_ref=str(lecture.pk))
    assert activity.status == "confirmed" and activity.plan_embedding
    assert activity.receiving_region_id == "654025100"
    lectures.lecture_save(actor=xinyuan, series=series, data={"topic": "新题目"}, lecture=lecture)
    assert Activity.objects.filter(source_kind="culture.lecture").count() == 1
    assert Activity.objects.get(source_kind="culture.lecture").title == "新题目"
    lectures.lecture_save(actor=xinyuan, series=series, data={"plan": ""}, lecture=lecture)
    assert not Activity.objects.filter(source_kind="culture.lecture").exists()


def test_deleting_a_session_withdraws_its_activity(xinyuan: Any, series: Any) -> None:
    from shiliu.exchanges.ledger.models import Activity

    lecture = session(xinyuan, series, plan="youth")
    lectures.lecture_delete(actor=xinyuan, lecture=lecture)
    assert not Activity.objects.filter(source_kind="culture.lecture").exists()


def test_a_series_number_too_large_for_the_database_lists_all_sessions(
    login: Any, xinyuan: Any, series: Any
) -> None:
    session(xinyuan, series)
    response = login(xinyuan).get(reverse("culture:lectures") + "?series=" + "9" * 25)
    assert response.status_code == 200
    assert "铸牢中华民族共同体意识" in response.content.decode()
