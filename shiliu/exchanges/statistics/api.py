"""The statistics API: the same suppressed figures as the page and its export."""

# No "from __future__ import annotations": django-ninja reads these annotations at import time.
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from shiliu.exchanges.statistics import selectors
from shiliu.jurisdiction.decorators import readers_only
from shiliu.lib.api_types import Date

router = Router(tags=["exchanges"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class StatsCellOut(Schema):
    key: str
    name: str
    batches: int | None = None
    person_times: int | None = Field(description="null when hidden")
    shown: str = Field(
        description="as published: the number, “<5” (1 to 4 people) or “×” (hidden so that no “<5” can be "
        "worked out from the total); the statistics page and its Excel export show the same"
    )


class StatsOut(Schema):
    batches: int
    person_times: int | None = Field(description="null when hidden")
    person_times_shown: str
    sending: list[int | None] = Field(
        ..., min_length=2, max_length=2, description="[batches, person-times (null when hidden)]"
    )
    receiving: list[int | None] = Field(
        ..., min_length=2, max_length=2, description="[batches, person-times (null when hidden)]"
    )
    suppressed: bool = Field(description="some counts of people are hidden from this reader")
    by_plan: list[StatsCellOut]
    by_type: list[StatsCellOut]
    by_category: list[StatsCellOut]
    by_ethnic_group: list[StatsCellOut]


def _cell(key: object, name: str, people: Any, batches: int | None = None) -> dict[str, Any]:
    return {
        "key": str(key),
        "name": name,
        "batches": batches,
        "person_times": people.value,
        "shown": people.text,
    }


@router.get("/activities/statistics", response=StatsOut)
def statistics(
    request: HttpRequest,
    region: str = Query(..., pattern=r"^\d{2,12}$"),
    date_from: Date | None = None,
    date_to: Date | None = None,
) -> dict:
    """A region's confirmed activities in a period, with counts of people suppressed as on the statistics page."""
    s = selectors.activity_stats(user=request.user, region=region, date_from=date_from, date_to=date_to)
    return {
        "batches": s.batches,
        "person_times": s.person_times.value,
        "person_times_shown": s.person_times.text,
        "sending": (s.by_role["sending"][0], s.by_role["sending"][1].value),
        "receiving": (s.by_role["receiving"][0], s.by_role["receiving"][1].value),
        "suppressed": s.suppressed,
        "by_plan": [_cell(k, label, people, n) for k, label, n, people in s.by_plan],
        "by_type": [_cell(k, name, people, n) for k, name, n, people in s.by_type],
        "by_category": [_cell(k, label, people) for k, label, people in s.by_category],
        "by_ethnic_group": [_cell(k, name, people) for k, name, people in s.by_ethnic_group],
    }
