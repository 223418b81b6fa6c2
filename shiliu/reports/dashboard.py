"""The exchange panels of the dashboard (一屏全览), all read from the exchanges' analytics tables.

Counts of people pass through the jurisdiction layer's suppression exactly as on the statistics page (the key
figures *are* the statistics page's :class:`Stats`); batches are counts of activities and are shown as they are.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.exchanges.statistics import facts, refresh
from shiliu.exchanges.statistics import selectors as statistics
from shiliu.jurisdiction.scope import any_under
from shiliu.jurisdiction.suppression import shown_list
from shiliu.lib import clock
from shiliu.regions.models import Region
from shiliu.reports import geo
from shiliu.reports.panels import DashboardContext, Figure, Panel


def activities_url(context: DashboardContext, **extra: Any) -> str:
    """The ledger's list of the confirmed activities behind a figure."""
    params = {
        "region": context.code,
        "status": "confirmed",
        "date_from": context.date_from.isoformat(),
        "date_to": context.date_to.isoformat(),
    }
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return f"{reverse('exchanges:list')}?{urlencode({k: v for k, v in params.items() if v != ''})}"


def dashboard_url(context: DashboardContext, code: str) -> str:
    params = {"region": code, "year": context.date_from.year, "layout": context.layout}
    return f"{reverse('reports:home')}?{urlencode(params)}"


def exchange_panels(context: DashboardContext) -> list[Panel]:
    code = context.code
    period: dict[str, Any] = {"date_from": context.date_from, "date_to": context.date_to}
    stats = statistics.activity_stats(user=context.user, region=code, **period)
    more = statistics.youth_and_tourism_stats(user=context.user, region=code, **period) if code else None
    refreshed = refresh.refreshed_at()
    panels = [
        _key_figures(context, stats, more, refreshed),
        _trends(context, refreshed),
        _plans(context, stats, refreshed),
        _flows(context, refreshed),
        _divisions(context, refreshed),
        _partners(context, stats, refreshed),
    ]
    return [p for p in panels if p is not None]


def _key_figures(context: DashboardContext, stats: Any, more: dict[str, int] | None, refreshed: Any) -> Panel:
    from shiliu.pairings.selectors import coverage

    figures = [
        Figure(_("Batches (activities)"), stats.batches, activities_url(context), "batches"),
        Figure(
            _("Person-times"),
            stats.person_times,
            "" if stats.person_times.hidden else activities_url(context),
            "people",
        ),
    ]
    if context.code:
        from shiliu.pairings.models import Pairing, PairingStatus
        from shiliu.pairings.selectors import pairing_list

        active = pairing_list(user=context.user, status=PairingStatus.ACTIVE).filter(
            pk__in=Pairing.objects.filter(any_under(("a_region", "b_region"), context.code)).values("pk")
        )
        figures.append(
            Figure(
                _("Active pairings"),
                active.count(),
                f"{reverse('pairings:list')}?status=active&region={context.code}",
                "pairings",
            )
        )
        if len(context.code) <= 6:
            towns = coverage(user=context.user, region=context.code, subject="townships")
            if towns.total:
                figures.append(
                    Figure(
                        _("Township pairing coverage"),
                        f"{towns.percent:.0f}%",
                        f"{reverse('pairings:coverage')}?region={context.code}&subject=townships",
                        "coverage",
                        note=_("%(paired)d of %(total)d townships")
                        % {"paired": towns.paired, "total": towns.total},
                    )
                )
    if more is not None:
        figures += [
            Figure(_("Pen-pal pairs"), more["pairs"], reverse("exchanges:penpals"), "penpals"),
            Figure(
                _("Tour groups"),
                more["groups_out"] + more["groups_in"],
                reverse("exchanges:tours"),
                "tour-groups",
            ),
        ]
    return Panel("figures", _("Key figures"), figures=figures, refreshed_at=refreshed, wide=True, order=10)


def _trends(context: DashboardContext, refreshed: Any) -> Panel:
    this = facts.monthly(region=context.code, date_from=context.date_from, date_to=context.date_to)
    last_from, last_to = context.last_year
    last = facts.monthly(region=context.code, date_from=last_from, date_to=last_to)
    months = list(facts.months_between(context.date_from, context.date_to))
    labels = [f"{m.month}" for m in months]
    # months not yet begun have no figure (a line falling to 0 would read as a collapse)
    begun = clock.today().replace(day=1)
    now_series = [this.get(m, (0, 0))[0] if m <= begun else None for m in months]
    then_series = [last.get(m.replace(year=m.year - 1), (0, 0))[0] for m in months]
    rows = [
        Figure(
            f"{m:%Y-%m}",
            f"{'—' if now is None else now} / {then}",
            activities_url(context, date_from=m.isoformat(), date_to=(facts._month_end(m)).isoformat()),
        )
        for m, now, then in zip(months, now_series, then_series, strict=True)
    ]
    this_label, last_label = str(context.date_from.year), str(last_from.year)
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [this_label, last_label]},
        "grid": {"left": 40, "right": 16, "top": 36, "bottom": 28},
        "xAxis": {"type": "category", "data": labels, "name": _("month")},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": this_label, "type": "line", "data": now_series, "smooth": True},
            {"name": last_label, "type": "line", "data": then_series, "lineStyle": {"type": "dashed"}},
        ],
    }
    return Panel(
        "trends",
        _("Batches by month, against the same months last year"),
        chart=chart,
        rows=rows,
        refreshed_at=refreshed,
        order=20,
    )


def _plans(context: DashboardContext, stats: Any, refreshed: Any) -> Panel:
    rows = [
        Figure(label, f"{n} / {people}", activities_url(context, plan=key), key)
        for key, label, n, people in stats.by_plan
    ]
    chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "70%"],
                "data": [{"name": label, "value": n} for _key, label, n, _p in stats.by_plan],
            }
        ],
    }
    return Panel(
        "plans",
        _("The Three Plans (batches / person-times)"),
        chart=chart,
        rows=rows,
        refreshed_at=refreshed,
        order=30,
    )


def _flows(context: DashboardContext, refreshed: Any) -> Panel | None:
    lines = facts.flows(
        region=context.code, date_from=context.date_from, date_to=context.date_to, partner_length=4
    )
    codes = {context.code[:4] if len(context.code) >= 4 else context.code} | {p for _r, p, _b, _n in lines}
    codes |= {c[:4] for c in codes if len(c) >= 4} | {c[:2] for c in codes}
    name_of = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    home = geo.point(context.code, name_of) if context.code else None
    data: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    rows = []
    for _r, partner, batches, _people in lines[:30]:
        target = geo.point(partner, name_of)
        label = name_of.get(partner, partner)
        rows.append(Figure(label, batches, activities_url(context, region=partner), partner))
        if home is None or target is None:
            continue
        data.append({"coords": [home, target], "value": batches, "name": label})
        points.append({"name": label, "value": [*target, batches]})
    provinces = geo.province_feature_names()
    highlighted = provinces.get(context.code[:2]) if context.code else None
    top = max([d["value"] for d in data] or [1])
    chart = {
        "shiliuMap": {"name": "china", "url": geo.map_url("")},
        "tooltip": {"trigger": "item"},
        "geo": {
            "map": "china",
            "roam": True,
            "zoom": 1.15,
            "itemStyle": {"areaColor": "#e8eef6", "borderColor": "#8aa0b8"},
            "regions": [{"name": highlighted, "itemStyle": {"areaColor": "#f4b183"}}] if highlighted else [],
        },
        "series": [
            {
                "type": "lines",
                "coordinateSystem": "geo",
                "data": [{**d, "lineStyle": {"width": 1 + 5 * d["value"] / top}} for d in data],
                "effect": {"show": True, "symbolSize": 4},
                "lineStyle": {"color": "#c0504d", "opacity": 0.7, "curveness": 0.2},
            },
            {
                "type": "effectScatter",
                "coordinateSystem": "geo",
                "data": points,
                "symbolSize": 8,
                "itemStyle": {"color": "#c0504d"},
            },
        ],
    }
    return Panel(
        "flows",
        _("Exchanges with partner regions (lines weighted by batches)"),
        chart=chart,
        rows=rows,
        refreshed_at=refreshed,
        wide=True,
        order=40,
    )


def _divisions(context: DashboardContext, refreshed: Any) -> Panel | None:
    """The region's divisions one level down, on the province map where there is one: click one to drill down."""
    figures = facts.division_figures(
        region=context.code, date_from=context.date_from, date_to=context.date_to
    )
    child = facts.child_length(context.code)
    children = list(
        Region.objects.filter(code__startswith=context.code, valid_to__isnull=True)
        .annotate(n=Length("code"))
        .filter(n=child)
        .values_list("code", "name")
    )
    if not children:
        return None
    rows = [
        Figure(name, figures.get(code, (0, 0))[0], dashboard_url(context, code), code)
        for code, name in sorted(children, key=lambda c: (-figures.get(c[0], (0, 0))[0], c[0]))
    ]
    chart: dict[str, Any]
    url = geo.map_url(context.code) if len(context.code) == 2 else geo.map_url("") if not context.code else ""
    drill = {
        name if context.code else geo.province_feature_names().get(code, name): dashboard_url(context, code)
        for code, name in children
    }
    data: list[dict[str, Any]] = [
        {
            "name": (name if context.code else geo.province_feature_names().get(code, name)),
            "value": figures.get(code, (0, 0))[0],
        }
        for code, name in children
    ]
    top = max([figures.get(code, (0, 0))[0] for code, _name in children] or [1]) or 1
    if url:
        chart = {
            "shiliuMap": {"name": geo.map_name(context.code), "url": url},
            "shiliuDrill": drill,
            "tooltip": {"trigger": "item"},
            "visualMap": {"min": 0, "max": top, "calculable": False, "orient": "horizontal", "left": "center", "bottom": 0,
                          "inRange": {"color": ["#e8eef6", "#2f5d8a"]}},
            "series": [{"type": "map", "map": geo.map_name(context.code), "data": data, "roam": False}],
        }  # fmt: skip
    else:
        top_rows = rows[:15]
        chart = {
            "shiliuDrill": drill,
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 110, "right": 16, "top": 8, "bottom": 24},
            "xAxis": {"type": "value", "minInterval": 1},
            "yAxis": {"type": "category", "inverse": True, "data": [r.label for r in top_rows]},
            "series": [{"type": "bar", "data": [r.value for r in top_rows]}],
        }
    return Panel(
        "divisions",
        _("Batches by division (click one to drill down)"),
        chart=chart,
        rows=rows,
        refreshed_at=refreshed,
        order=50,
    )


def _partners(context: DashboardContext, stats: Any, refreshed: Any) -> Panel:
    rows = [
        Figure(name, n, activities_url(context, region=code), code) for code, name, n in stats.top_partners
    ]
    chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 110, "right": 16, "top": 8, "bottom": 24},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [r.label for r in rows]},
        "series": [{"type": "bar", "data": [r.value for r in rows]}],
    }
    return Panel(
        "partners",
        _("Top partner regions (batches)"),
        chart=chart,
        rows=rows,
        refreshed_at=refreshed,
        order=60,
    )


def people_cells(values: list[int], exact: bool) -> list[Any]:
    cells, _total = shown_list(values, exact=exact)
    return cells
