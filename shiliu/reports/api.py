"""The reports API: the dashboard's panels (the same figures as the page) and requesting a work summary."""

# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shiliu.jurisdiction.decorators import readers_only
from shiliu.jurisdiction.scope import require_region_in_scope, scope_for
from shiliu.lib import clock
from shiliu.lib.api_types import Id
from shiliu.regions.models import Region
from shiliu.reports import panels, services
from shiliu.reports.forms import period_dates
from shiliu.reports.models import ReportRun

router = Router(tags=["reports"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class FigureOut(Schema):
    key: str
    label: str
    value: str = Field(description="as published: a number, or “<5” / “×” for suppressed counts of people")
    url: str = Field(description="the page listing the records behind the figure")


class PanelOut(Schema):
    key: str
    title: str
    refreshed_at: dt.datetime | None = Field(description="when the analytics tables behind it were refreshed")
    figures: list[FigureOut]
    rows: list[FigureOut]
    chart: dict[str, Any] | None = Field(description="the ECharts option the page draws")


class DashboardOut(Schema):
    region: str
    date_from: dt.date
    date_to: dt.date
    panels: list[PanelOut]


def _out(f: Any) -> dict[str, str]:
    return {"key": str(f.key), "label": str(f.label), "value": str(f.value), "url": f.url}


def _region(user: Any, code: str) -> Region | None:
    """The region asked for: outside the jurisdiction 403 (as the statistics API), unknown 422."""
    require_region_in_scope(user, code)
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": code}})
    return region


@router.get("/dashboard", response=DashboardOut)
def dashboard(
    request: HttpRequest,
    region: str = Query("", pattern=r"^(\d{2,12})?$"),
    year: int | None = Query(None, ge=2000, le=2100, description="this year when empty"),
    period: str = Query("year", pattern=r"^(year|q[1-4]|m([1-9]|1[0-2]))$"),
) -> dict[str, Any]:
    """The dashboard of a region (the caller's jurisdiction when empty) for a year, quarter (q1–q4) or month
    (m1–m12): every panel with its figures, the records behind each, and when its data was refreshed."""
    code = region or (scope_for(request.user).prefix or "")
    found = _region(request.user, code)
    date_from, date_to = period_dates(year or clock.today().year, period)
    context = panels.DashboardContext(
        user=request.user, region=found, code=code, date_from=date_from, date_to=date_to
    )
    return {
        "region": code,
        "date_from": date_from,
        "date_to": date_to,
        "panels": [
            {
                "key": p.key,
                "title": str(p.title),
                "refreshed_at": p.refreshed_at,
                "figures": [_out(f) for f in p.figures],
                "rows": [_out(f) for f in p.rows],
                "chart": p.chart,
            }
            for p in panels.panels_for(context)
        ],
    }


class ReportIn(Schema):
    region: str = Field(..., pattern=r"^\d{2,12}$")
    year: int = Field(..., ge=2000, le=2100)
    period: str = Field("year", pattern=r"^(year|q[1-4]|m([1-9]|1[0-2]))$")


class ReportOut(Schema):
    id: int
    region: str = Field(alias="region_id")
    date_from: dt.date
    date_to: dt.date
    status: str
    progress: int
    docx_url: str | None = None
    pdf_url: str | None = None

    @staticmethod
    def resolve_docx_url(obj: ReportRun) -> str | None:
        return f"/reports/summaries/{obj.pk}/file.docx" if obj.docx else None

    @staticmethod
    def resolve_pdf_url(obj: ReportRun) -> str | None:
        return f"/reports/summaries/{obj.pk}/file.pdf" if obj.pdf else None


@router.post("/reports", response={201: ReportOut})
def report_request(request: HttpRequest, payload: ReportIn) -> Status[ReportRun]:
    """Request the work summary (Word and PDF) of a region and period; poll ``GET /reports/{id}`` for progress."""
    region = _region(request.user, payload.region)
    if region is None:
        raise ValidationError({"region": _("Choose a region in your jurisdiction.")})
    date_from, date_to = period_dates(payload.year, payload.period)
    run = services.report_request(actor=request.user, region=region, date_from=date_from, date_to=date_to)
    return Status(201, run)


@router.get("/reports/{run_id}", response=ReportOut)
def report_get(request: HttpRequest, run_id: Id) -> ReportRun:
    """A requested report: its status, progress and files."""
    runs = ReportRun.objects.all()
    prefix = scope_for(request.user).prefix
    if prefix is not None:
        runs = runs.filter(region__code__startswith=prefix)
    run: ReportRun = get_object_or_404(runs, pk=run_id)
    return run
