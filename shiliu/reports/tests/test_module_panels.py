"""Panels of the other modules on the dashboard: shown when the module has records, each with its refresh time and
links to its records, computed by the module's own selectors."""

from typing import Any

import pytest

from shiliu.lib import clock
from shiliu.residents.requests import services
from shiliu.residents.tests.conftest import community, community_coordinator  # noqa: F401
from shiliu.residents.tests.test_requests_loop import _file, desk  # noqa: F401


@pytest.mark.django_db
def test_the_requests_panel_gives_the_honest_on_time_rate_with_links(client, login, desk: dict[str, Any]) -> None:
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
