"""The page of an export job (progress, then the download) and the download itself, for the person who asked."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from shiliu.lib.downloads import file_response

from .models import ExportJob, ExportStatus


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk).first()
    # Someone else's export (it may hold what only they may see): not found.
    if job is None or job.user_id != request.user.pk:
        raise Http404
    return job


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "runtime/_export_status.html", {"job": job})
    back = request.GET.get("back", "")
    context = {
        "job": job,
        "back": back
        if url_has_allowed_host_and_scheme(back, allowed_hosts=None)
        else "",  # a path on this site
        "hours": settings.SHILIU_EXPORT_HOURS,
    }
    return render(request, "runtime/export.html", context)


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    return file_response(job.file, filename=job.filename)
