# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The indicators API, scoped like the pages: values and runs of the caller's jurisdiction only (others 404),
definitions (indicators, systems) readable by every record reader; residents get 403."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from shiliu.jurisdiction.decorators import readers_only
from shiliu.jurisdiction.scope import require_region_in_scope
from shiliu.lib.api_types import Id, Page
from shiliu.regions.models import Region

from . import evaluation, selectors
from .models import DataValue, EvaluationRun, Indicator, IndicatorSystem

router = Router(tags=["indicators"])
router.add_decorator(readers_only)


class ValueOut(Schema):
    id: int
    element: str = Field(alias="element.code")
    region: str = Field(alias="region_id")
    period: str
    ethnic_group: str | None = Field(None, alias="ethnic_group_id")
    value: float
    source: str
    comment: str
    derived: bool
    entered_at: dt.datetime


class ValueFilter(Schema):
    region: str = Field("", max_length=12, pattern=r"^\d{0,12}$")
    period: str = Field("", max_length=8)
    element: str = Field("", max_length=40)


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    formula: str = Field(alias="formula_text")
    unit: str
    aggregation: str


class NodeOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    name: str
    indicator: str | None = None
    weight: float
    direction: int
    threshold: float | None
    is_veto: bool

    @staticmethod
    def resolve_indicator(obj: Any) -> str | None:
        return obj.indicator.code if obj.indicator_id else None


class SystemOut(Schema):
    id: int
    code: str
    name: str
    weight_method: str
    nodes: list[NodeOut]

    @staticmethod
    def resolve_nodes(obj: IndicatorSystem) -> list[Any]:
        return list(obj.nodes.select_related("indicator").order_by("order", "pk"))


class RunRow(Schema):
    region: str
    name: str
    score: float | None
    rank: int
    vetoes: list[dict[str, Any]]


class RunOut(Schema):
    id: int
    system: str = Field(alias="system.code")
    region: str = Field(alias="region_id")
    period: str
    status: str
    method: dict[str, Any]
    created_at: dt.datetime


class RunDetailOut(RunOut):
    indicators: list[dict[str, Any]]
    rows: list[RunRow]


@router.get("/indicator-values", response=list[ValueOut])
@paginate(Page, limit=100)
def values(request: HttpRequest, filters: Query[ValueFilter]) -> QuerySet[DataValue]:
    """Data values of the caller's jurisdiction: a region filter outside it gives 403 and an unknown one 422, as
    the statistics API does (the one jurisdiction layer's ``require_region_in_scope``)."""
    if filters.region:
        require_region_in_scope(request.user, filters.region)
        if not Region.objects.filter(code=filters.region).exists():
            raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": filters.region}})
    return selectors.values(
        user=request.user, region=filters.region, period=filters.period, element=filters.element
    )


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Page, limit=100)
def indicators(request: HttpRequest) -> QuerySet[Indicator]:
    """Formula indicators (shared definitions)."""
    return Indicator.objects.all()


@router.get("/indicator-systems/{system_id}", response=SystemOut)
def system(request: HttpRequest, system_id: Id) -> IndicatorSystem:
    """An indicator system with its tree of dimensions and indicators, weights, directions and veto items."""
    found = IndicatorSystem.objects.filter(pk=system_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/evaluation-runs", response=list[RunOut])
@paginate(Page, limit=50)
def runs(request: HttpRequest) -> QuerySet[EvaluationRun]:
    """Evaluation runs of regions in the caller's jurisdiction."""
    return selectors.runs(user=request.user)


@router.get("/evaluation-runs/{run_id}", response=RunDetailOut)
def run(request: HttpRequest, run_id: Id) -> EvaluationRun:
    """One run: its method, the indicators with their weights, and the ranked units (scores ×100)."""
    found = selectors.run_get(user=request.user, pk=run_id)
    rows = [
        {
            "region": r["code"],
            "name": r["name"],
            "score": r["score"],
            "rank": r["rank"],
            "vetoes": r["vetoes"],
        }
        for r in evaluation.ranked_rows(found)
    ]
    found.indicators = found.snapshot["indicators"]  # type: ignore[attr-defined]
    found.rows = rows  # type: ignore[attr-defined]
    return found
