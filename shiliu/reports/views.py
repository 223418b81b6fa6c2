"""Pages of reports: the dashboard, the statistical table, work summaries (request, progress, files, web version),
their approval, and the sentence templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, STAFF_ROLES
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.downloads import file_response, xlsx_response
from shiliu.lib.forms import attach_errors, error_text
from shiliu.regions.models import Region
from shiliu.reports import panels, sentences, services, summary, tables
from shiliu.reports.forms import NoteForm, PeriodForm, SentenceForm
from shiliu.reports.models import ApprovalState, ReportApproval, ReportRun, RunStatus, SentenceTemplate

LAYOUTS = ("desktop", "big", "phone")


def _period(request: HttpRequest) -> tuple[PeriodForm, Region | None, str, dt.date | None, dt.date | None]:
    """The period form (the user's jurisdiction and this year by default); a region outside the jurisdiction is 404."""
    from shiliu.lib import clock

    scope = scope_for(request.user)
    data = request.GET.copy()
    if not data.get("region") and not data.get("region_label") and scope.prefix:
        data["region"] = scope.prefix
    data.setdefault("year", str(clock.today().year))
    form = PeriodForm(data)
    if not form.is_valid():
        return form, None, "", None, None
    region = form.cleaned_data.get("region")
    code = region.code if region else ""
    if not scope.covers(code):
        raise Http404
    date_from, date_to = form.dates()
    return form, region, code, date_from, date_to


@login_required
@roles_required(*RECORD_READERS)
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard (一屏全览) of a region and period: desktop, big screen (?layout=big) and phone layouts."""
    form, region, code, date_from, date_to = _period(request)
    layout = request.GET.get("layout", "desktop")
    layout = layout if layout in LAYOUTS else "desktop"
    shown: list[panels.Panel] = []
    if date_from is not None and date_to is not None:
        context = panels.DashboardContext(
            user=request.user, region=region, code=code, date_from=date_from, date_to=date_to, layout=layout
        )
        shown = panels.panels_for(context)
    path = []
    if region is not None:
        from shiliu.regions.selectors import region_path

        path = [r for r in region_path(region) if scope_for(request.user).covers(r.code)]
    return render(
        request,
        "reports/dashboard_big.html" if layout == "big" else "reports/dashboard.html",
        {
            "form": form,
            "region": region,
            "code": code,
            "panels": shown,
            "charts": {f"chart-data-{p.key}": p.chart for p in shown if p.chart},
            "layout": layout,
            "date_from": date_from,
            "date_to": date_to,
            "path": path,
            "query": request.GET.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
def table(request: HttpRequest) -> HttpResponse:
    """The statistical table of a region and period, as a page and (``?format=xlsx``) as Excel."""
    form, region, code, date_from, date_to = _period(request)
    result = None
    if region is not None and date_from is not None and date_to is not None:
        result = tables.build(user=request.user, region=region, date_from=date_from, date_to=date_to)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(tables.to_xlsx(result), f"statistical-table-{code}.xlsx")
    return render(
        request,
        "reports/table.html",
        {"form": form, "table": result, "plans": tables.plan_labels(), "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )


def _runs_visible(request: HttpRequest) -> Any:
    scope = scope_for(request.user)
    runs = ReportRun.objects.select_related("region")
    if scope.prefix is not None:
        runs = runs.filter(region__code__startswith=scope.prefix)
    return runs


def _run(request: HttpRequest, pk: int) -> ReportRun:
    run: ReportRun = get_object_or_404(_runs_visible(request), pk=pk)
    return run


@login_required
@roles_required(*STAFF_ROLES)
def summaries(request: HttpRequest) -> HttpResponse:
    """Work summaries: request one for a region and period, see the runs and their approval."""
    form, region, code, date_from, date_to = (
        _period(request) if request.method == "GET" else (None, None, "", None, None)
    )
    if request.method == "POST":
        form = PeriodForm(request.POST)
        if form.is_valid():
            region = form.cleaned_data.get("region")
            if region is None or not scope_for(request.user).covers(region.code):
                form.add_error("region", _("Choose a region in your jurisdiction."))
            else:
                start, end = form.dates()
                try:
                    run = services.report_request(
                        actor=request.user, region=region, date_from=start, date_to=end
                    )
                except (ValidationError, PermissionDenied) as exc:
                    attach_errors(form, exc)
                else:
                    return redirect("reports:summary", pk=run.pk)
    runs = _runs_visible(request)[:30]
    approvals = {
        (a.region_id, a.date_from, a.date_to): a
        for a in ReportApproval.objects.filter(region__in=[r.region_id for r in runs])
    }
    rows = [(r, approvals.get((r.region_id, r.date_from, r.date_to))) for r in runs]
    return render(request, "reports/summaries.html", {"form": form, "rows": rows})


@login_required
@roles_required(*STAFF_ROLES)
def summary_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: its progress (polled by htmx while it runs), its files, the web version and its approval."""
    run = _run(request, pk)
    approval = ReportApproval.objects.filter(
        region=run.region, date_from=run.date_from, date_to=run.date_to
    ).first()
    if request.htmx:  # type: ignore[attr-defined]
        if run.status in (RunStatus.QUEUED, RunStatus.RUNNING):
            return render(request, "reports/_progress.html", {"run": run})
        # finished: load the whole page (files, web version, approval) rather than nest it in the progress bar
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.path
        return response
    content = None
    if run.status == RunStatus.DONE and run.requested_by is not None:
        built = summary.build(
            user=run.requested_by, region=run.region, date_from=run.date_from, date_to=run.date_to
        )
        content = summary.to_html(built, for_pdf=False)
    scope = scope_for(request.user)
    can_approve = (
        approval is not None
        and approval.state == ApprovalState.SUBMITTED
        and services._is_level_above(request.user, run.region_id)
    )
    return render(
        request,
        "reports/summary.html",
        {
            "run": run,
            "approval": approval,
            "content": content,
            "can_submit": run.status == RunStatus.DONE
            and scope.covers(run.region_id)
            and not (approval and approval.state in (ApprovalState.SUBMITTED,))
            and not (
                approval and approval.state == ApprovalState.APPROVED and approval.current_run_id == run.pk
            ),
            "can_approve": can_approve,
            "note_form": NoteForm(),
            "events": approval.events.select_related("actor") if approval else [],
        },
    )


@login_required
@roles_required(*STAFF_ROLES)
def summary_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    run = _run(request, pk)
    stored = run.docx if kind == "docx" else run.pdf if kind == "pdf" else None
    if not stored:
        raise Http404
    return file_response(stored, f"work-summary-{run.region_id}-{run.date_from:%Y%m%d}.{kind}")


@login_required
@roles_required(*STAFF_ROLES)
@require_POST
def summary_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    run = _run(request, pk)
    approval = ReportApproval.objects.filter(
        region=run.region, date_from=run.date_from, date_to=run.date_to
    ).first()
    note = request.POST.get("note", "")
    try:
        if action == "submit":
            services.report_submit(actor=request.user, run=run)
            messages.success(request, _("Submitted for approval by the level above."))
        elif action in ("approve", "return") and approval is not None:
            if action == "approve":
                services.report_approve(actor=request.user, approval=approval, note=note)
                messages.success(request, _("Approved; this version is locked."))
            else:
                services.report_return(actor=request.user, approval=approval, note=note)
                messages.success(request, _("Returned for changes."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("reports:summary", pk=run.pk)


@login_required
@roles_required(*STAFF_ROLES)
def sentence_list(request: HttpRequest) -> HttpResponse:
    """The sentence templates, each editable (placeholders only, no code)."""
    current = summary.templates()
    edited = dict(SentenceTemplate.objects.values_list("key", "updated_at"))
    forms = {}
    if request.method == "POST":
        key = request.POST.get("key", "")
        if key not in sentences.DEFAULTS:
            raise Http404
        form = SentenceForm(request.POST, auto_id=f"{key}-%s")
        if form.is_valid():
            try:
                services.sentence_template_save(actor=request.user, key=key, text=form.cleaned_data["text"])
            except (ValidationError, PermissionDenied) as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The sentence was saved."))
                return redirect("reports:sentences")
        forms[key] = form
    rows = [
        (
            key,
            sentences.LABELS.get(key, key),
            forms.get(key) or SentenceForm(initial={"text": text}, auto_id=f"{key}-%s"),
            edited.get(key),
        )
        for key, text in current.items()
    ]
    return render(
        request,
        "reports/sentences.html",
        {"rows": rows, "placeholders": sorted(sentences.PLACEHOLDERS.items())},
    )
