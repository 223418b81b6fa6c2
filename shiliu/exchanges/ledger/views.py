"""Pages of the ledger: the list (with its Excel export), an activity's page, recording and editing, the confirm /
submit / cancel actions and evidence."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shiliu.exchanges.ledger import derived, selectors, services, workbook
from shiliu.exchanges.ledger.forms import (
    ActivityForm,
    EvidenceForm,
    ParticipationFormSet,
    initial_from_pairing,
    participation_rows,
)
from shiliu.exchanges.ledger.models import Activity, ActivityStatus, Category, Evidence, Plan
from shiliu.exchanges.ledger.panels import activity_panels
from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib.downloads import file_response, xlsx_response
from shiliu.lib.forms import attach_errors, error_text, id_param, require_valid

FILTERS = ("region", "role", "status", "plan", "category", "ethnic_group", "q")


# What each filter of the query string may hold, with the name the message uses for it.
_CHOICES = {
    "role": ("", "sending", "receiving"),
    "status": ActivityStatus.values,
    "plan": Plan.values,
    "category": Category.values,
}
_LABELS = {
    "region": gettext_lazy("region"),
    "role": gettext_lazy("sending or receiving"),
    "status": gettext_lazy("status"),
    "plan": gettext_lazy("plan"),
    "category": gettext_lazy("category"),
    "ethnic_group": gettext_lazy("ethnic group"),
    "type": gettext_lazy("activity type"),
    "pairing": gettext_lazy("pairing"),
    "date_from": gettext_lazy("dates from"),
    "date_to": gettext_lazy("dates to"),
}
_PATTERNS = {"region": re.compile(r"\d{2,12}"), "ethnic_group": re.compile(r"\d{2}")}


def _filters(request: HttpRequest) -> tuple[dict[str, Any], list[str]]:
    """The ledger's filters from the query string, and a message for each value that is not one (a link typed by
    hand, an old bookmark): that filter is left out, and the page says so rather than silently listing more."""
    get = request.GET
    problems: list[str] = []

    def bad(key: str) -> None:
        problems.append(
            _("The filter “%(name)s = %(value)s” is not valid and was left out.")
            % {"name": _LABELS[key], "value": get.get(key, "")[:40]}
        )

    out: dict[str, Any] = {}
    for key in ("region", "role", "status", "plan", "category", "ethnic_group"):
        value = get.get(key, "").strip()
        ok = not value or (
            value in _CHOICES[key] if key in _CHOICES else bool(_PATTERNS[key].fullmatch(value))
        )
        if not ok:
            bad(key)
        out[key] = value if ok else ""
    out["query"] = get.get("q", "")[:40]
    for key, param in (("activity_type", "type"), ("pairing", "pairing")):
        out[key] = id_param(get, param)
        if get.get(param) and out[key] is None:
            bad(param)
    for key in ("date_from", "date_to"):
        try:
            out[key] = parse_date(get.get(key, "")) if get.get(key) else None
        except ValueError:
            out[key] = None
        if get.get(key) and out[key] is None:
            bad(key)
    return out, problems


@login_required
@roles_required(*RECORD_READERS)
def activity_list(request: HttpRequest) -> HttpResponse:
    filters, problems = _filters(request)
    for problem in problems:
        messages.warning(request, problem)
    qs = selectors.activity_list(user=request.user, **filters)
    awaiting_only = request.GET.get("awaiting") == "1"  # the workbench's "activities to confirm"
    if awaiting_only:
        qs = qs.filter(pk__in=selectors.activities_awaiting_confirmation(user=request.user).values("pk"))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "statuses": ActivityStatus.choices,
        "plans": Plan.choices,
        "filtered": any(
            request.GET.get(k) for k in (*FILTERS, "type", "date_from", "date_to", "pairing", "awaiting")
        ),
        "awaiting_only": awaiting_only,
    }
    return render(request, "exchanges/list.html", context)


@login_required
@roles_required(*RECORD_READERS)
def activity_export(request: HttpRequest) -> HttpResponse:
    """The ledger in the import template's columns, so an export re-imports cleanly. A filter that is not valid
    refuses the export (400) instead of exporting more than was asked for."""
    filters, problems = _filters(request)
    if problems:
        raise BadRequest(" ".join(problems))
    activities = (
        selectors.activity_list(user=request.user, **filters)
        .select_related("sending_unit", "receiving_unit")
        .prefetch_related("participations__ethnic_group")
    )
    return xlsx_response(workbook.export_workbook(activities, user=request.user), "activities.xlsx")


def _edit(request: HttpRequest, activity: Activity | None) -> HttpResponse:
    initial: dict[str, Any] = initial_from_pairing(request.user, request.GET.get("pairing"))
    rows_initial: list[dict[str, Any]] = []
    if activity is not None:
        initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS if f != "pairing"}
        rows_initial = [
            {
                "category": p.category,
                "ethnic_group": p.ethnic_group_id,
                "age_band": p.age_band,
                "gender": p.gender,
                "count": p.count,
            }
            for p in activity.participations.all()
        ]
    # htmx asks for the form with the parties chosen so far, to offer the pairings that connect them
    form = ActivityForm(request.POST or (request.GET if request.htmx else None), initial=initial)  # type: ignore[attr-defined]
    formset = ParticipationFormSet(request.POST or None, initial=rows_initial or None, prefix="rows")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if activity is None:
                activity = services.activity_record(
                    actor=request.user,
                    data=form.cleaned_data,
                    participations=participation_rows(formset),
                    submit=request.POST.get("action") != "draft",
                )
            else:
                activity = services.activity_update(
                    actor=request.user,
                    activity=activity,
                    data=form.cleaned_data,
                    participations=participation_rows(formset),
                )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            attach_errors(form, exc)  # row errors ("participations") show above the form
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("exchanges:detail", pk=activity.pk)
    status = 400 if request.method == "POST" else 200
    title = _("Record an activity") if activity is None else _("Edit activity")
    return render(
        request,
        "exchanges/form.html",
        {"form": form, "formset": formset, "title": title, "activity": activity},
        status=status,
    )


@login_required
@roles_required(*RECORD_READERS)
def activity_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
@roles_required(*RECORD_READERS)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    if "edit" not in services.activity_actions(actor=request.user, activity=activity):
        raise PermissionDenied(_("Only the recording side can edit this activity."))
    return _edit(request, activity)


@login_required
@roles_required(*RECORD_READERS)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    user = acting_user(request)
    rows, total = selectors.participation_shown(
        user=user,
        activity=activity,
        rows=list(
            activity.participations.select_related("ethnic_group").order_by("category", "ethnic_group_id")
        ),
    )
    actions = services.activity_actions(actor=user, activity=activity)
    context: dict[str, Any] = {
        "activity": activity,
        "rows": rows,  # (participation, its count as this viewer may see it)
        "total": total,
        "suppressed": total.hidden or any(count.hidden for _r, count in rows),
        "breakdown_withheld": not selectors.owns_activity(user=user, activity=activity),
        "can_confirm": "confirm" in actions,
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        "can_cancel": "cancel" in actions,
        "evidence": activity.evidence.all(),
        "evidence_form": EvidenceForm() if "add_evidence" in actions else None,
    }
    context["panels"] = activity_panels.panels_for(user, activity)
    context["derived_from"] = derived.source_of(activity)
    return render(request, "exchanges/detail.html", context)


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def activity_action(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.activity_confirm(actor=request.user, activity=activity)
            messages.success(request, _("The activity is confirmed and now counts in the statistics."))
        elif action == "submit":
            services.activity_submit(actor=request.user, activity=activity)
            messages.success(request, _("Sent to the other side for confirmation."))
        elif action == "cancel":
            services.activity_cancel(
                actor=request.user, activity=activity, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The activity was cancelled."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:detail", pk=pk)


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, pk=pk)
    try:
        data = require_valid(EvidenceForm(request.POST, request.FILES))
        services.evidence_add(actor=request.user, activity=activity, **data)
        messages.success(request, _("Evidence added."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:detail", pk=pk)


def _evidence(request: HttpRequest, pk: int, evidence_pk: int) -> Evidence:
    activity = selectors.activity_get(user=request.user, pk=pk)
    evidence = Evidence.objects.filter(activity=activity, pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return evidence


@login_required
@roles_required(*RECORD_READERS)
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """Evidence files are served only to people who may see the activity (photos may show children)."""
    evidence = _evidence(request, pk, evidence_pk)
    if not evidence.file:
        raise Http404
    return file_response(evidence.file, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    try:
        services.evidence_remove(actor=request.user, evidence=_evidence(request, pk, evidence_pk))
        messages.success(request, _("Evidence removed."))
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:detail", pk=pk)
