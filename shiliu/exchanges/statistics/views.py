"""The statistics page and its Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shiliu.exchanges.ledger.models import ActivityType, Category
from shiliu.exchanges.statistics import exports, selectors
from shiliu.exchanges.statistics.forms import StatsForm
from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.downloads import xlsx_response


def _stats(request: HttpRequest) -> tuple[StatsForm, Any, Any]:
    """The statistics form (the user's own jurisdiction by default) and, when valid, both sets of figures."""
    scope = scope_for(request.user)
    data = request.GET.copy()
    if not data.get("region") and not data.get("region_label") and scope.prefix:
        data["region"] = scope.prefix
    form = StatsForm(data if data.get("region") or data.get("region_label") else None)
    if not form.is_valid():
        return form, None, None
    cd = form.cleaned_data
    period = {"region": cd["region"].code, "date_from": cd["date_from"], "date_to": cd["date_to"]}
    level, within = _partner_view(request)
    return (
        form,
        selectors.activity_stats(user=request.user, **period, partner_level=level, partner_within=within),
        selectors.youth_and_tourism_stats(user=request.user, **period),
    )


def _partner_view(request: HttpRequest) -> tuple[int, str]:
    """The level partner regions roll up to (province, prefecture, county) and the partner expanded, if any."""
    level = request.GET.get("partner_level", "")
    within = request.GET.get("partner_within", "")
    return (
        int(level) if level.isdigit() and int(level) in selectors.PARTNER_LEVELS else 6,
        within if within.isdigit() and len(within) < 6 else "",
    )


@login_required
@roles_required(*RECORD_READERS)
def statistics_export(request: HttpRequest) -> HttpResponse:
    """The statistics page as a workbook: one sheet a table, every count of people exactly as the page shows it
    (the same :class:`~shiliu.exchanges.selectors.Stats`, so the same cells are hidden)."""
    form, stats, more = _stats(request)
    if stats is None:
        raise Http404
    cd = form.cleaned_data
    content = exports.statistics_workbook(
        region=cd["region"], date_from=cd["date_from"], date_to=cd["date_to"], stats=stats, more=more
    )
    return xlsx_response(content, "exchange-statistics.xlsx")


@login_required
@roles_required(*RECORD_READERS)
def statistics(request: HttpRequest) -> HttpResponse:
    form, stats, more = _stats(request)
    base = partner_base = ""
    if stats is not None:
        cd = form.cleaned_data
        parts = [f"region={cd['region'].code}", "status=confirmed"]
        parts += [f"{k}={cd[k].isoformat()}" for k in ("date_from", "date_to") if cd[k]]
        base = "&".join(parts)
        partner_base = "&".join(
            parts[1:]
        )  # a partner's activities: the same period, the partner as the region
    level, within = _partner_view(request)
    keep = request.GET.copy()
    for name in ("partner_level", "partner_within"):
        keep.pop(name, None)
    context = {
        "partner_level": level,
        "partner_within": within,
        "partner_levels": [(2, _("Province")), (4, _("Prefecture")), (6, _("County"))],
        "keep": keep.urlencode(),
        "form": form,
        "stats": stats,
        "more": more,
        "base": base,
        "partner_base": partner_base,
        "types": ActivityType.objects.all(),
        "categories": Category.choices,
    }
    return render(request, "exchanges/stats.html", context)
