"""Panels of the other modules on the dashboard: shown when the module has records, each with its refresh time and
links to its records, computed by the module's own selectors."""

from typing import Any

import pytest

from shiliu.lib import clock
from shiliu.residents.requests import services
from shiliu.residents.tests.conftest import community, community_coordinator  # noqa: F401
from shiliu.residents.tests.test_requests_loop import _file, desk  # noqa: F401


@pytest.mark.django_db
def test_the_requests_panel_gives_the_honest_on_time_rate_with_links(
    client,
    login,
    desk: dict[str, Any],  # noqa: F811 - the fixture imported above
) -> None:
    late = _file(desk)
    done = _file(desk, kind="consultation")
    services.request_sign(actor=desk["coordinator"], request=done)
    services.request_answer(actor=desk["coordinator"], request=done, reply="已答复政策咨询内容")
    year = late.received_at.year
    clock.travel(30)
    try:
        login(desk["yangzhou"])
        page = client.get("/reports/", {"region": "3210", "year": year}).content.decode()
        assert 'data-testid="panel-requests"' in page and 'data-testid="refreshed-requests"' in page
        assert 'data-testid="figure-requests">2<' in page
        assert 'data-testid="figure-on-time">50%<' in page  # the open overdue request counts as late
        assert "metric=on_time" in page and "district=3210" in page
        queue = client.get("/residents/requests/", {"district": "3210", "metric": "late"}).content.decode()
        assert late.tracking_number in queue and done.tracking_number not in queue
        login(desk["outsider"])
        assert 'data-testid="panel-requests"' not in client.get("/reports/").content.decode()
    finally:
        clock.reset()


@pytest.mark.django_db
def test_the_volunteer_panel_sums_approved_hours_under_the_region(client, login, yangzhou, xinyuan) -> None:
    from decimal import Decimal

    from conftest import make_user
    from shiliu.regions.models import Region
    from shiliu.residents.livelihood import services as livelihood

    leader = make_user("leader", "resident", "321002001001")
    volunteer = make_user("volunteer", "resident", "321002001001")
    team = livelihood.team_create(
        actor=yangzhou,
        data={
            "name": "琼花观石榴红志愿服务队",
            "region": Region.objects.get(code="321002"),
            "leader": leader,
        },
        members=[volunteer],
    )
    for hours in ("3", "2"):
        entry = livelihood.hours_log(
            actor=volunteer,
            team=team,
            served_on=clock.today(),
            hours=Decimal(hours),
            beneficiaries=5,
            description="为老人理发",
        )
        livelihood.hours_decide(
            actor=leader, entry=entry, approve=hours == "3", reason="" if hours == "3" else "请补充"
        )
    login(yangzhou)
    page = client.get("/reports/", {"region": "3210", "year": clock.today().year}).content.decode()
    assert 'data-testid="figure-volunteer-hours">3<' in page  # only the approved entry
    assert 'data-testid="refreshed-volunteers"' in page and "/livelihood/statistics/?year=" in page
    login(xinyuan)
    assert 'data-testid="panel-volunteers"' not in client.get("/reports/").content.decode()
