"""Pages of the tourism exchange: study routes, tour groups and the origin → destination visitor flows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.exchanges.tourism import selectors, services
from shiliu.exchanges.tourism.forms import FlowForm, RouteForm, StopFormSet, TourGroupForm
from shiliu.exchanges.tourism.models import RouteStop, TourGroup
from shiliu.exchanges.tourism.panels import route_panels
from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib.confirm import confirmation
from shiliu.lib.downloads import append_row, file_response, workbook_bytes, xlsx_response
from shiliu.lib.forms import attach_errors


@login_required
@roles_required(*RECORD_READERS)
def route_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:40]
    routes = selectors.routes_visible(request.user)
    if query:
        routes = routes.filter(title__icontains=query)
    return render(request, "exchanges/routes.html", {"routes": routes[:100], "q": query})


@login_required
@roles_required(*RECORD_READERS)
def route_new(request: HttpRequest) -> HttpResponse:
    form = RouteForm(request.POST or None)
    formset = StopFormSet(request.POST or None, request.FILES or None, prefix="stops")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        stops = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            route = services.route_create(actor=request.user, data=form.cleaned_data, stops=stops)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The route is published."))
            return redirect("exchanges:route", pk=route.pk)
    return render(
        request,
        "exchanges/route_form.html",
        {"form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
def route_detail(request: HttpRequest, pk: int) -> HttpResponse:
    route = selectors.routes_visible(request.user).filter(pk=pk).first()
    if route is None:
        raise Http404
    context = {
        "route": route,
        "stops": route.stops.select_related("region"),
        "panels": route_panels.panels_for(request.user, route),  # the offers on it, from the menu
        "groups": selectors.tour_groups_visible(request.user).filter(route=route)[:50],
    }
    return render(request, "exchanges/route.html", context)


@login_required
@roles_required(*RECORD_READERS)
def tour_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.tour_groups_visible(request.user)
    page = Paginator(groups, 25).get_page(request.GET.get("page"))
    for group in page:
        group.can_change = services.can_change_tour_group(request.user, group)  # type: ignore[attr-defined]
        group.composition_shown = selectors.composition_shown(request.user, group)  # type: ignore[attr-defined]
    return render(request, "exchanges/tours.html", {"page": page})


def _tour_form(request: HttpRequest, group: TourGroup | None) -> HttpResponse:
    initial = {name: getattr(group, name) for name in services.TOUR_FIELDS} if group else None
    form = TourGroupForm(request.POST or None, initial=initial, routes=selectors.routes_visible(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                services.tour_group_record(actor=request.user, data=form.cleaned_data)
            else:
                services.tour_group_update(actor=request.user, group=group, data=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The tour group is recorded."))
            return redirect("exchanges:tours")
    title = _("Record a tour group") if group is None else _("Correct the tour group")
    return render(
        request,
        "exchanges/menu_form.html",
        {"form": form, "title": title, "submit": _("Save"), "back": "exchanges:tours"},
        status=400 if form.errors else 200,
    )


def _tour_group(request: HttpRequest, pk: int) -> TourGroup:
    group = selectors.tour_groups_visible(request.user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


@login_required
@roles_required(*RECORD_READERS)
def tour_new(request: HttpRequest) -> HttpResponse:
    return _tour_form(request, None)


@login_required
@roles_required(*RECORD_READERS)
def tour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _tour_group(request, pk)
    if not services.can_change_tour_group(request.user, group):
        raise PermissionDenied(_("Record tour groups that leave from or arrive in your jurisdiction."))
    return _tour_form(request, group)


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def tour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = _tour_group(request, pk)
    if not services.can_change_tour_group(request.user, group):
        messages.error(request, _("Record tour groups that leave from or arrive in your jurisdiction."))
        return redirect("exchanges:tours")
    asking = confirmation(
        request,
        title=_("Remove the tour group “%(name)s”?") % {"name": group.name},
        consequences=[
            _("The group and its figures (%(size)d visitors) leave the visitor flows of both regions.")
            % {"size": group.size},
            _("A removed tour group cannot be brought back; record it again if needed."),
        ],
        confirm_label=_("Remove the tour group"),
        back_url=reverse("exchanges:tours"),
    )
    if asking is not None:
        return asking
    try:
        services.tour_group_delete(actor=request.user, group=group)
        messages.success(request, _("The tour group was removed."))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("exchanges:tours")


def _flows(request: HttpRequest) -> tuple[FlowForm, list[dict[str, Any]]]:
    form = FlowForm(request.GET or None)
    level, date_from, date_to, region = 4, None, None, ""
    if form.is_valid():
        level = int(form.cleaned_data["level"] or 4)
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        region = form.cleaned_data["region"].code if form.cleaned_data["region"] else ""
    return form, selectors.visitor_flows(
        user=request.user, level=level, date_from=date_from, date_to=date_to, region=region
    )


@login_required
@roles_required(*RECORD_READERS)
def flows_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    _form, rows = _flows(request)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has a sheet
    append_row(ws, [_("Origin"), _("Destination"), _("Groups"), _("Visitors"), _("Under 18")])
    for r in rows:
        append_row(
            ws,
            [
                r["origin_name"],
                r["destination_name"],
                r["groups"],
                r["visitors"],
                "—" if r["minors"] is None else r["minors"],
            ],
        )
    return xlsx_response(workbook_bytes(wb), "visitor-flows.xlsx")


@login_required
@roles_required(*RECORD_READERS)
def flows(request: HttpRequest) -> HttpResponse:
    form, rows = _flows(request)
    chart = {
        "nodes": sorted(
            {r["origin_name"] + "（出发）" for r in rows} | {r["destination_name"] for r in rows}
        ),
        "links": [
            {"source": r["origin_name"] + "（出发）", "target": r["destination_name"], "value": r["visitors"]}
            for r in rows[:40]
        ],
    }
    context = {
        "form": form,
        "rows": rows,
        "chart": chart,
        "total_groups": sum(r["groups"] for r in rows),
        "total_visitors": sum(r["visitors"] for r in rows),
        "query": request.GET.urlencode(),
    }
    return render(request, "exchanges/flows.html", context)


@login_required
@roles_required(*RECORD_READERS)
def stop_photo(request: HttpRequest, pk: int, stop_pk: int) -> HttpResponse:
    """Stop photos are served by the application (not from /media/), to those who may see the route."""
    route = selectors.routes_visible(request.user).filter(pk=pk).first()
    stop = RouteStop.objects.filter(route=route, pk=stop_pk).first() if route else None
    if stop is None or not stop.photo:
        raise Http404
    return file_response(stop.photo)
