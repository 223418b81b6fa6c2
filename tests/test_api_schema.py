"""Schemathesis over the whole API, in process: no operation answers 500, and every answer matches the schema.

Each operation gets a bounded number of generated requests (valid and invalid ones), sent with a bearer token of
扬州市 commission staff against a small world of records on both sides of a pairing. Small generated ids and
division codes are mapped onto records that exist, so requests reach the code behind the lookups; large and
out-of-range values are sent as generated. The check that every schema-valid request succeeds is left out: a
well-formed request may still name an unknown division or break a business rule, and a 422 is the right answer.
"""

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import PASSWORD
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.lib import clock
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from shiliu.web.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()

EXAMPLES = 20
CODES = ["3210", "654025", "321002", "654025100", "5101"]
ACTIVITY = {
    "title": "扬州教师赴新源支教交流",
    "type": "互访考察",
    "plans": ["embedding", "youth"],
    "start_date": "2026-03-01",
    "end_date": "2026-03-05",
    "sending_region": "3210",
    "receiving_region": "654025",
    "participations": [
        {"category": "teacher", "ethnic_group": "01", "age_band": "o35", "gender": "f", "count": 8}
    ],
}


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction on PostgreSQL; Django's own test client switches this off in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(client, yangzhou, xinyuan, yz_school, xy_school) -> dict[str, Any]:
    """Records of every kind the API names by id, on both sides of 扬州市 ↔ 新源县, and a token for 扬州."""
    region = Region.objects.get
    today = clock.today()
    pairing = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=region(code="3210"),
        b_region=region(code="654025"),
    )
    pairing = pairing_services.pairing_respond(actor=xinyuan, pairing=pairing, accept=True)
    meeting = pairing_services.meeting_schedule(
        actor=yangzhou,
        pairing=pairing,
        title="联席会议",
        held_at=clock.now(),
        place="扬州",
        attendees=[yz_school, xy_school],
    )
    item = pairing_services.action_item_add(
        actor=yangzhou,
        meeting=meeting,
        title="互派教师",
        owner=yz_school,
        deadline=today + dt.timedelta(days=30),
    )
    offer = menu_services.offer_publish(
        actor=yangzhou,
        host=yz_school,
        data={
            "title": "运河文化研学",
            "activity_type": ActivityType.objects.get(name="研学"),
            "plan_youth": True,
            "capacity": 50,
            "duration_days": 1,
        },
    )
    booking = menu_services.booking_request(
        actor=xinyuan,
        item=offer,
        guest=xy_school,
        start=today + dt.timedelta(days=40),
        end=today + dt.timedelta(days=41),
        group_size=20,
    )
    route = tourism_services.route_create(
        actor=yangzhou,
        data={"title": "运河研学路线", "region": region(code="3210"), "days": 1, "is_public": False},
        stops=[{"name": "大运河博物馆", "region": region(code="321002")}],
    )
    group = tourism_services.tour_group_record(
        actor=yangzhou,
        data={
            "name": "扬州游客赴新源交流团", "origin_region": region(code="3210"),
            "destination_region": region(code="654025"), "start_date": today, "end_date": today,
            "size": 40, "minors": 10,
        },
    )  # fmt: skip
    token = client.post(
        "/api/token", {"username": "yangzhou", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    activity = client.post(
        "/api/activities",
        ACTIVITY,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    ).json()["id"]
    units = [yz_school.pk, xy_school.pk]
    return {
        "token": token,
        "ids": {
            "unit_id": units, "guest_unit_id": units, "owner_id": units, "sending_unit_id": units,
            "receiving_unit_id": units, "a_unit_id": units, "b_unit_id": units, "attendee_ids": units,
            "pairing_id": [pairing.pk], "parent_id": [pairing.pk, yz_school.pk], "meeting_id": [meeting.pk],
            "item_id": [item.pk], "activity_id": [activity], "offer_id": [offer.pk], "booking_id": [booking.pk],
            "route_id": [route.pk], "group_id": [group.pk],
        },
    }  # fmt: skip


def _known(value: Any, choices: list[Any]) -> Any:
    """A small generated id or a well-formed code becomes a real one; anything else is sent as generated."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1000:
        return choices[value % len(choices)]
    return value


def _map(container: Any, ids: dict[str, list[int]]) -> None:
    if not isinstance(container, dict):
        return
    for key, value in container.items():
        if key in ids and isinstance(value, list):
            container[key] = [_known(v, ids[key]) for v in value]
        elif key in ids:
            container[key] = _known(value, ids[key])
        elif "region" in key and isinstance(value, str) and value.isdigit() and 2 <= len(value) <= 12:
            container[key] = CODES[int(value[-3:]) % len(CODES)]
        elif isinstance(value, list):
            for entry in value:
                _map(entry, ids)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@pytest.mark.django_db
def test_no_operation_errors_or_strays_from_the_schema(case, world, keep_connection):
    for part in (case.path_parameters, case.query, case.body):
        _map(part, world["ids"])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"}, excluded_checks=[positive_data_acceptance]
    )
