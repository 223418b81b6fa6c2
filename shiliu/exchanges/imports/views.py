"""Pages of the historical import: the template, the upload, the job with its progress bar and its problems."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shiliu.exchanges.imports import reader, services
from shiliu.exchanges.imports.models import ImportJob, ImportStatus
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib import clock
from shiliu.lib.downloads import workbook_bytes, xlsx_response
from shiliu.lib.forms import attach_errors, error_text
from shiliu.runtime.models import WorkerBeat


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk, created_by=acting_user(request)).first()
    if job is None:  # another person's import is not shown, not even its existence
        raise Http404
    return job


@login_required
@roles_required(*RECORD_READERS)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_start(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("exchanges:import_job", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=acting_user(request))[:10]
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "jobs": jobs, "max_rows": reader.MAX_IMPORT_ROWS}
    return render(request, "exchanges/import.html", context, status=status)


@login_required
@roles_required(*RECORD_READERS)
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(workbook_bytes(ledger_workbook.template_workbook()), "ledger-template.xlsx")


@login_required
@roles_required(*RECORD_READERS)
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    template = "exchanges/_import_status.html" if request.htmx else "exchanges/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "worker_missing": _worker_missing(job)})


def _worker_missing(job: ImportJob) -> bool:
    """A job has waited a while and no task worker has beaten lately: nobody will pick it up (say so)."""
    if job.status != ImportStatus.QUEUED or job.created_at > clock.now() - dt.timedelta(seconds=10):
        return False
    since = clock.now() - dt.timedelta(seconds=settings.SHILIU_WORKER_STALE_SECONDS)
    return not WorkerBeat.objects.filter(beat_at__gte=since).exists()


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.import_cancel(actor=request.user, job=_job(request, pk))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The import was cancelled."))
    return redirect("exchanges:import_job", pk=pk)


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.import_retry(actor=request.user, job=_job(request, pk))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:import_job", pk=pk)


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def import_good(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.import_good_rows(actor=request.user, job=job)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("exchanges:import_job", pk=pk)
