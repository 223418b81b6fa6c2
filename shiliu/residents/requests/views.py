"""Pages of the request desk.

For residents (and anyone without an account): the request form (an installable web-app page that keeps a draft),
the tracking lookup and the public tracking page with its rating form — no personal data on it. For staff and unit
coordinators: the queue with each clock's time left, a request with the actions its roles allow, the metrics with
their formulas and drill-downs, and (administrators) the official calendar.
"""

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

from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.downloads import file_response, xlsx_response
from shiliu.lib.forms import attach_errors

from . import config, selectors, services
from .exporters import metrics_xlsx
from .forms import (
    ACTIONS,
    CalendarYearForm,
    DeskSettingsForm,
    MetricsForm,
    QueueFilterForm,
    RateForm,
    RequestForm,
    RoutingRuleForm,
    SlaRuleForm,
    TrackForm,
)
from .models import Channel, ExtensionStatus, ServiceRequest, Status
from .sla import time_left

PAGE_SIZE = 25
readers = roles_required(*RECORD_READERS)
_FIELD_NAMES = {"origin_region": "origin", "received_at": "description"}


def _attach(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        exc = ValidationError({_FIELD_NAMES.get(k, k): v for k, v in exc.message_dict.items()})
    attach_errors(form, exc)


# ------------------------------------------------------------------------------------------------ residents


def request_new(request: HttpRequest) -> HttpResponse:
    """The request form, for a resident's phone (signed in or not) and for staff taking a request by phone."""
    form = RequestForm(request.POST or None, request.FILES or None, communities=selectors.community_choices())
    staff = scope_for(request.user).reads_records
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.request_file(
                actor=request.user,
                data=services.RequestInput(
                    kind=data["kind"],
                    category=data["category"],
                    description=data["description"],
                    community=data["community"],
                    urgency=data["urgency"],
                    phone=data["phone"],
                    contact_name=data["contact_name"],
                    origin_region=data["origin"],
                    channel=Channel.STAFF if staff else Channel.WEB,
                    photos=data["photos"],
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                _("Your request was received. Its tracking number is %(n)s.") % {"n": filed.tracking_number},
            )
            if staff:
                return redirect("residents:requests:detail", pk=filed.pk)
            return redirect("residents:requests:public", number=filed.tracking_number)
    return render(
        request,
        "residents/requests/new.html",
        {"form": form, "title": _("Ask for help"), "staff": staff},
        status=400 if form.errors else 200,
    )


def request_track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        if ServiceRequest.objects.filter(tracking_number=number).exists():
            return redirect("residents:requests:public", number=number)
        form.add_error("number", _("No request has this tracking number."))
    mine = selectors.my_requests(user=request.user)[:20]
    return render(
        request,
        "residents/requests/track.html",
        {"form": form, "mine": mine},
        status=400 if form.errors else 200,
    )


def request_public(request: HttpRequest, number: str) -> HttpResponse:
    """The public tracking page: status and timeline, never a name, phone, description or answer text (those reach
    the resident by text message, or on this page when signed in as the filer)."""
    tracked = selectors.request_by_tracking(number=number)
    owner = request.user.is_authenticated and tracked.filed_by_id == request.user.pk
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_rate(
                request=tracked,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("residents:requests:public", number=tracked.tracking_number)
    context = {
        "tracked": tracked,
        "owner": owner,
        "timeline": selectors.public_timeline(request=tracked),
        "form": form,
        "can_rate": tracked.status == Status.CLOSED and not tracked.rating,
    }
    return render(request, "residents/requests/public.html", context, status=400 if form.errors else 200)


def manifest(request: HttpRequest) -> HttpResponse:
    """The web-app manifest of the request form (installable on a phone's home screen)."""
    import json

    body = {
        "name": _("Shiliu — ask for help"),
        "short_name": _("Ask for help"),
        "start_url": reverse("residents:requests:new"),
        "scope": reverse("residents:requests:new"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b02a37",
        "lang": "zh-CN",
        "icons": [{"src": "/static/shiliu/favicon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")


# The form's service worker, served from the form's own path so its scope is the form page (a file under /static/
# could only control /static/). Network first; when the signal drops, the form page and the static files it used
# come from the cache, and request_draft.js refills the draft from this phone's storage. Nothing but the form page
# (which shows no personal data) and static files is cached; POSTs are never touched.
SERVICE_WORKER = """'use strict';
var CACHE = 'shiliu-request-form-v1';
self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) { return; }
  var keep = request.mode === 'navigate' || new URL(request.url).pathname.indexOf('/static/') === 0;
  if (!keep) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) { return hit || Response.error(); });
  }));
});
"""


def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(SERVICE_WORKER, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


# ------------------------------------------------------------------------------------------------ staff


@login_required
@readers
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "stage": form.cleaned_data["stage"],
            "query": form.cleaned_data["q"],
            "mine": form.cleaned_data["mine"],
        }
    for key in ("unit", "district", "handler_region", "metric", "start", "end"):
        value = request.GET.get(key, "").strip()
        if value:
            filters[key] = value
    if "unit" in filters:
        try:
            filters["unit"] = int(filters["unit"])
        except ValueError as exc:
            raise Http404 from exc
    for key in ("start", "end"):
        if key in filters:
            import datetime as dt

            try:
                filters[key] = dt.date.fromisoformat(filters[key])
            except ValueError:
                filters.pop(key)
    requests = selectors.request_list(user=request.user, **filters)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    desk = selectors.desk_settings()
    rows = [(r, time_left(r, settings=desk)) for r in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "residents/requests/queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "drill": filters.get("metric", ""),
        },
    )


def _actions(request: HttpRequest, tracked: ServiceRequest, bound: Any = None) -> list[Any]:
    roles = selectors.request_roles(user=request.user, request=tracked)
    status = tracked.status
    names: list[str] = []
    if roles.dispatcher and status in (Status.RECEIVED, Status.REVIEW):
        names.append("dispatch")
    if roles.handler and status == Status.DISPATCHED:
        names += ["sign", "transfer", "return"]
    if roles.handler and status == Status.SIGNED:
        names += ["start", "answer", "transfer", "return", "extend"]
    if roles.handler and status == Status.HANDLING:
        names += ["answer", "transfer", "extend"]
    if roles.dispatcher and status == Status.RETURNED:
        names.append("review")
    if (roles.dispatcher or roles.first) and status == Status.ANSWERED:
        names.append("close")
    if roles.dispatcher and status == Status.REVIEW:
        names.append("review_close")
    if roles.above and tracked.extensions.filter(status=ExtensionStatus.PENDING).exists():
        names.append("extension")
    if (roles.above or roles.dispatcher) and tracked.is_open:
        names.append("escalate")
    if (
        roles.dispatcher
        and tracked.followup_drawn
        and status in (Status.CLOSED, Status.RATED)
        and not hasattr(tracked, "followup")
    ):
        names.append("followup")
    if roles.dispatcher and status in (Status.RECEIVED, Status.DISPATCHED):
        names.append("merge")
    if roles.above and not tracked.excluded:
        names.append("exclude")
    targets = selectors.transfer_targets(request=tracked)
    forms = []
    for name in names:
        if bound is not None and bound.action == name:
            forms.append(bound)
        else:
            forms.append(ACTIONS[name](request=tracked, targets=targets))
    return forms


def _detail(
    request: HttpRequest, tracked: ServiceRequest, bound: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "tracked": tracked,
        "roles": selectors.request_roles(user=request.user, request=tracked),
        "events": selectors.request_events(request=tracked),
        "clock": time_left(tracked),
        "actions": _actions(request, tracked, bound),
        "duplicates": selectors.duplicate_candidates(request=tracked) if tracked.is_open else [],
        "extensions": tracked.extensions.select_related("asked_by", "decided_by"),
        "photos": tracked.photos.all(),
    }
    return render(request, "residents/requests/detail.html", context, status=status)


@login_required
@readers
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_get(user=request.user, pk=pk))


@login_required
@readers
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    tracked = selectors.request_get(user=request.user, pk=pk)
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request=tracked, targets=selectors.transfer_targets(request=tracked))
    if form.is_valid():
        try:
            _run(request, tracked, action, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("residents:requests:detail", pk=pk)
    tracked.refresh_from_db()
    return _detail(request, tracked, bound=form, status=400)


def _run(request: HttpRequest, tracked: ServiceRequest, action: str, data: dict[str, Any]) -> None:
    user = request.user
    if action == "dispatch":
        services.request_dispatch(actor=user, request=tracked, unit=data["unit"])
    elif action == "sign":
        services.request_sign(actor=user, request=tracked)
    elif action == "start":
        services.request_start(actor=user, request=tracked, note=data["note"])
    elif action == "transfer":
        services.request_transfer(
            actor=user, request=tracked, unit=data["unit"], to_origin=data["to_origin"], note=data["note"]
        )
    elif action == "return":
        services.request_return(actor=user, request=tracked, reason=data["reason"])
    elif action == "review":
        services.request_return_review(
            actor=user, request=tracked, uphold=data["uphold"], unit=data["unit"], note=data["note"]
        )
    elif action == "escalate":
        if not data["reason"].strip():
            raise ValidationError({"reason": _("Say why the request is escalated.")})
        services.request_escalate(actor=user, request=tracked, reason=data["reason"])
    elif action == "extend":
        services.extension_ask(actor=user, request=tracked, days=data["days"], reason=data["reason"])
    elif action == "extension":
        pending = tracked.extensions.filter(status=ExtensionStatus.PENDING).first()
        if pending is None:
            raise ValidationError(_("No extension is waiting for a decision."))
        services.extension_decide(actor=user, extension=pending, approve=data["approve"])
    elif action == "answer":
        services.request_answer(actor=user, request=tracked, reply=data["reply"])
    elif action == "close":
        services.request_close(actor=user, request=tracked, note=data["note"])
    elif action == "review_close":
        services.request_review_close(actor=user, request=tracked, note=data["note"])
    elif action == "followup":
        services.followup_record(
            actor=user, request=tracked, reached=data["reached"], rating=data["rating"], note=data["note"]
        )
    elif action == "exclude":
        services.request_exclude(actor=user, request=tracked, reason=data["reason"])
    elif action == "merge":
        into = selectors.request_list(user=user).filter(tracking_number=data["into"].strip().upper()).first()
        if into is None:
            raise ValidationError({"into": _("No request you can see has this tracking number.")})
        services.request_merge(actor=user, request=tracked, into=into)


@login_required
@readers
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    tracked = selectors.request_get(user=request.user, pk=pk)
    stored = tracked.photos.filter(pk=photo_pk).first()
    if stored is None:
        raise Http404
    return file_response(stored.image, f"{tracked.tracking_number}-{stored.pk}.jpg")


def _metrics(request: HttpRequest) -> tuple[MetricsForm, list[selectors.Figures], dict[str, Any]]:
    form = MetricsForm(request.GET or None)
    params: dict[str, Any] = {}
    if form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if v}
    figures = selectors.metrics(user=request.user, **params)
    return form, figures, params


@login_required
@readers
def metrics_page(request: HttpRequest) -> HttpResponse:
    form, figures, params = _metrics(request)
    desk = selectors.desk_settings()
    ranked = sorted(figures, key=lambda f: -(f.score(desk) or -1))
    period = {k: v.isoformat() for k, v in params.items() if k in ("start", "end")}
    rows = [(f, f.score(desk), {**f.filters, **period}) for f in ranked]
    query = request.GET.urlencode()
    return render(
        request,
        "residents/requests/metrics.html",
        {"form": form, "rows": rows, "desk": desk, "query": query, "now": clock.now()},
        status=400 if form.errors else 200,
    )


@login_required
@readers
def metrics_export(request: HttpRequest) -> HttpResponse:
    form, figures, _params = _metrics(request)
    if form.errors:  # a bad period is said on the page, never exported as if unfiltered
        return metrics_page(request)
    stamp = clock.now().strftime("%Y%m%d-%H%M")
    return xlsx_response(metrics_xlsx(figures, selectors.desk_settings()), f"request-metrics-{stamp}.xlsx")


@login_required
@roles_required(Role.PLATFORM_ADMIN)
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The official calendar: the years it knows, and a form (or an Excel file) to enter the next year."""
    from shiliu.runtime.calendar import calendar_year_enter
    from shiliu.runtime.models import CalendarDay, CalendarYear

    from .imports import calendar_rows_from_xlsx

    form = CalendarYearForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                holidays, workdays = calendar_rows_from_xlsx(data["file"])
            else:
                holidays = CalendarYearForm.parse_lines(data["holidays"])
                workdays = CalendarYearForm.parse_lines(data["workdays"])
            calendar_year_enter(actor=request.user, year=data["year"], holidays=holidays, workdays=workdays)
        except ValidationError as exc:
            field = "file" if data["file"] else "holidays"
            for message in exc.messages:
                form.add_error(field, message)
        else:
            messages.success(request, _("The calendar of %(y)d was saved.") % {"y": data["year"]})
            return redirect("residents:requests:calendar")
    years = CalendarYear.objects.all()
    this_year = clock.today().year
    known = set(years.values_list("year", flat=True))
    missing = [y for y in (this_year, this_year + 1) if y not in known]
    upcoming = CalendarDay.objects.filter(day__gte=clock.today()).order_by("day")[:30]
    return render(
        request,
        "residents/requests/calendar.html",
        {"form": form, "years": years, "missing": missing, "upcoming": upcoming},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def hotline_import(request: HttpRequest) -> HttpResponse:
    """Upload a day's 12345 orders (the template's columns); a task checks and files them, with progress."""
    from django import forms as dj_forms

    from .imports import hotline_import_start
    from .models import HotlineImport

    class UploadForm(dj_forms.Form):
        file = dj_forms.FileField(label=_("Excel file of the day's 12345 orders"))

    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = hotline_import_start(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect(f"{reverse('residents:requests:hotline_import')}?job={started.pk}")
    job: HotlineImport | None = None
    job_id = request.GET.get("job", "")
    if job_id.isdigit():
        job = HotlineImport.objects.filter(pk=int(job_id), created_by_id=request.user.pk).first()
        if job is None:
            raise Http404
    return render(
        request,
        "residents/requests/hotline_import.html",
        {"form": form, "job": job},
        status=400 if form.errors else 200,
    )


def hotline_template(request: HttpRequest) -> HttpResponse:
    from .imports import template_bytes

    return xlsx_response(template_bytes(), "12345-orders-template.xlsx")


# ------------------------------------------------------------------------------------------------ configuration

config_staff = roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)


def _rule_units(user: Any) -> Any:
    from shiliu.orgs.models import Organization

    return Organization.objects.visible_to(user).filter(is_active=True).order_by("region_id", "name")


@login_required
@config_staff
def rules_page(request: HttpRequest) -> HttpResponse:
    """The routing rules of the jurisdiction's regions."""
    page = Paginator(config.routing_rules_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "residents/requests/rules.html", {"page": page, "rules": page.object_list})


@login_required
@config_staff
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add a routing rule, or change one of the jurisdiction's (another jurisdiction's: 404)."""
    rule = config.routing_rule_get(user=request.user, pk=pk) if pk is not None else None
    initial = {"region": rule.region_id, "category": rule.category, "unit": rule.unit} if rule else None
    form = RoutingRuleForm(request.POST or None, initial=initial, units=_rule_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            config.routing_rule_save(
                actor=request.user,
                rule=rule,
                region=data["region"].strip(),
                category=data["category"],
                unit=data["unit"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The routing rule was saved."))
            return redirect("residents:requests:rules")
    return render(
        request,
        "residents/requests/rule_form.html",
        {"form": form, "rule": rule},
        status=400 if form.errors else 200,
    )


@login_required
@config_staff
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a routing rule of the jurisdiction, after a confirmation page."""
    from shiliu.lib.confirm import confirmation

    rule = config.routing_rule_get(user=request.user, pk=pk)
    asked = confirmation(
        request,
        title=_("Delete this routing rule?"),
        consequences=[
            _("New requests of %(region)s will no longer be routed to %(unit)s by this rule.")
            % {"region": rule.region.name, "unit": rule.unit.name}
        ],
        confirm_label=_("Delete the rule"),
        back_url=reverse("residents:requests:rules"),
    )
    if asked is not None:
        return asked
    config.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("The routing rule was deleted."))
    return redirect("residents:requests:rules")


@login_required
@roles_required(Role.PLATFORM_ADMIN)
def settings_page(request: HttpRequest) -> HttpResponse:
    """The national rules (administrators): the SLA rules and the desk settings."""
    from .models import DeskSettings, SlaRule

    desk = DeskSettings.current()
    fields = list(DeskSettingsForm.base_fields)
    form = DeskSettingsForm(request.POST or None, initial={f: getattr(desk, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            config.desk_settings_save(actor=request.user, values=form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The desk settings were saved."))
            return redirect("residents:requests:settings")
    return render(
        request,
        "residents/requests/settings.html",
        {"form": form, "sla_rules": SlaRule.objects.order_by("kind", "urgency")},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(Role.PLATFORM_ADMIN)
def sla_edit(request: HttpRequest, pk: int) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from .models import SlaRule

    rule = get_object_or_404(SlaRule, pk=pk)
    initial = {"sign_minutes": rule.sign_minutes, "answer_minutes": rule.answer_minutes}
    form = SlaRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            config.sla_rule_save(actor=request.user, rule=rule, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The SLA rule was saved."))
            return redirect("residents:requests:settings")
    return render(
        request,
        "residents/requests/rule_form.html",
        {"form": form, "rule": rule, "title": _("Edit the SLA rule"), "back": "residents:requests:settings"},
        status=400 if form.errors else 200,
    )
