"""Panels of the modules beside exchanges, each shown only when its app is installed (registered from
:class:`shiliu.reports.apps.ReportsConfig`). Each reuses its module's own selectors — never a second count."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.lib import clock
from shiliu.reports.panels import DashboardContext, Figure, Panel


def requests_panel(context: DashboardContext) -> list[Panel]:
    """Requests received in the period and the honest on-time rate of the request desk (open requests past their
    deadline count as late), read live from the requests (no analytics table: the refresh time is now)."""
    from shiliu.residents.requests import selectors

    district = context.code
    qs = selectors.request_list(
        user=context.user, district=district, start=context.date_from, end=context.date_to
    )
    now = clock.now()
    names = ("all", "due", "on_time", "open_overdue")
    counts = qs.aggregate(**{n: Count("pk", filter=selectors.metric_q(n, now=now)) for n in names})
    if not counts["all"]:
        return []
    figures = selectors.Figures(key=district, label="", counts=counts, filters={})
    base = {"district": district, "start": context.date_from.isoformat(), "end": context.date_to.isoformat()}

    def queue(metric: str) -> str:
        params = {k: v for k, v in {**base, "metric": metric}.items() if v}
        return f"{reverse('residents:requests:queue')}?{urlencode(params)}"

    rate = figures.on_time_rate
    return [
        Panel(
            "requests",
            _("Requests"),
            figures=[
                Figure(_("Requests received"), counts["all"], queue("all"), "requests"),
                Figure(
                    _("Answered on time"),
                    "—" if rate is None else f"{100 * rate:.0f}%",
                    queue("on_time"),
                    "on-time",
                    note=_("%(on_time)d of %(due)d due; overdue open ones count as late")
                    % {"on_time": counts["on_time"], "due": counts["due"]},
                ),
                Figure(
                    _("Open past their deadline"), counts["open_overdue"], queue("open_overdue"), "overdue"
                ),
            ],
            refreshed_at=now,
            wide=True,
            order=20,
        )
    ]


def volunteer_panel(context: DashboardContext) -> list[Panel]:
    """Approved volunteer hours of the teams under the region, from livelihood's own statistics (per county, by
    year: the module keeps no finer period, so the panel says which year it counts)."""
    from shiliu.residents.livelihood import selectors

    year = context.date_from.year
    rows = [
        r
        for r in selectors.volunteer_statistics(user=context.user, year=year)["regions"]
        if r["code"].startswith(context.code)
    ]
    if not rows:
        return []
    hours = sum(r["hours"] for r in rows)
    served = sum(r["served"] for r in rows)
    url = f"{reverse('livelihood:statistics')}?{urlencode({'year': year})}"
    return [
        Panel(
            "volunteers",
            _("Volunteer service"),
            figures=[
                Figure(_("Volunteer hours"), f"{float(hours):g}", url, "volunteer-hours", note=str(year)),
                Figure(_("People served"), served, url, "volunteer-served", note=str(year)),
            ],
            refreshed_at=clock.now(),
            order=25,
        )
    ]
