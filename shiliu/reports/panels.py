"""The dashboard's registry of panels: each module contributes the panels of its own figures.

Reports is the top app and could import every module, but a registry keeps each module's figures beside its data:
a module registers a function from its ``AppConfig.ready()`` (or reports registers it for the lower apps, as it
does for exchanges in :mod:`shiliu.reports.dashboard`); the function gets a :class:`DashboardContext` and returns its
panels, or nothing when it has nothing to show (a module not installed, a region without such records).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DashboardContext:
    user: Any
    region: Any  # shiliu.regions.models.Region, or None for the whole country
    code: str  # the region's code ("" for the whole country)
    date_from: dt.date
    date_to: dt.date
    layout: str = "desktop"  # desktop, big (meeting-room screen) or phone

    @property
    def last_year(self) -> tuple[dt.date, dt.date]:
        return _year_back(self.date_from), _year_back(self.date_to)


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Figure:
    """A key figure: its label, its value as published (a number or a suppressed cell), and its records."""

    label: str
    value: Any
    url: str = ""
    key: str = ""
    note: str = ""


@dataclass
class Panel:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    chart: dict[str, Any] | None = None  # an ECharts option (maps name the GeoJSON they need in "shiliuMap")
    rows: list[Figure] = field(
        default_factory=list
    )  # the chart's figures as a table, each linking its records
    refreshed_at: dt.datetime | None = None
    wide: bool = False
    order: int = 100


PanelSource = Callable[[DashboardContext], list[Panel]]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> None:
    if source not in _sources:
        _sources.append(source)


def panels_for(context: DashboardContext) -> list[Panel]:
    panels = [p for source in _sources for p in source(context)]
    return sorted(panels, key=lambda p: p.order)
