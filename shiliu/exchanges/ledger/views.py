"""Pages of the ledger: the list (with its Excel export), an activity's page, recording and editing, the confirm /
submit / cancel actions and evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.exchanges.ledger import selectors, services, workbook
from shiliu.exchanges.ledger.forms import (
    ActivityForm,
    EvidenceForm,
    ParticipationFormSet,
    initial_from_pairing,
    participation_rows,
)
from shiliu.exchanges.ledger.models import Activity, ActivityStatus, Evidence, Plan
from shiliu.exchanges.ledger.panels import activity_panels
from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib.downloads import file_response, xlsx_response
from shiliu.lib.forms import attach_errors, error_text, id_param, require_valid

FILTERS = ("region", "role", "status", "plan", "category", "ethnic_group", "q")


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    out: dict[str, Any] = {
        key: get.get(key, "")[:40] for key in ("region", "role", "status", "plan", "category", "ethnic_group")
    }
    out["query"] = get.get("q", "")[:40]
    out["activity_type"] = id_param(get, "type")
    out["pairing"] = id_param(get, "pairing")
    from django.utils.dateparse import parse_date

    for key in ("date_from", "date_to"):
        try:
            out[key] = parse_date(get.get(key, "")) if get.get(key) else None
        except ValueError:
            out[key] = None
    return out


@login_required
@roles_required(*RECORD_READERS)
def activity_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.activity_list(user=request.user, **_filters(request))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "statuses": ActivityStatus.choices,
        "plans": Plan.choices,
        "filtered": any(request.GET.get(k) for k in (*FILTERS, "type", "date_from", "date_to", "pairing")),
    }
    return render(request, "exchanges/list.html", context)


@login_required
@roles_required(*RECORD_READERS)
def activity_export(request: HttpRequest) -> HttpResponse:
    """The ledger in the import template's columns, so an export re-imports cleanly."""
    activities = (
        selectors.activity_list(user=request.user, **_filters(request))
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
        "can_confirm": "confirm" in actions,
        "can_edit": "edit" in actions,
        "can_submit": "submit" in actions,
        "can_cancel": "cancel" in actions,
        "evidence": activity.evidence.all(),
        "evidence_form": EvidenceForm() if "add_evidence" in actions else None,
    }
    context["panels"] = activity_panels.panels_for(user, activity)
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
