"""Pages of the registry. Every page is for the roles that read records; residents get 403, and a record the user may
not see is a 404 (selectors.py decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib import clock
from shiliu.lib.downloads import xlsx_response
from shiliu.lib.forms import attach_errors, error_text
from shiliu.runtime.exports import export_start

from . import imports, selectors, services
from .exporters import EXPORT_KIND
from .forms import (
    ConsentForm,
    DeclineForm,
    HandoverForm,
    ResidentEditForm,
    ResidentFilterForm,
    ResidentForm,
    RevealForm,
    WithdrawForm,
)
from .models import Consent, ConsentScope, Resident, ResidentImport

PAGE_SIZE = 25
readers = roles_required(*RECORD_READERS)


def _filtered(request: HttpRequest) -> tuple[ResidentFilterForm, QuerySet[Resident]]:
    form = ResidentFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: form.cleaned_data[k] for k in ("need", "status", "side")}
        filters["query"] = form.cleaned_data["q"]
    return form, selectors.resident_list(user=request.user, **filters)


@login_required
@readers
def resident_list(request: HttpRequest) -> HttpResponse:
    form, residents = _filtered(request)
    page = Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_register": selectors.community_choices(user=request.user).exists(),
        "incoming": selectors.handover_incoming(user=request.user)[:20],
    }
    return render(request, "residents/list.html", context)


@login_required
@readers
def resident_export(request: HttpRequest) -> HttpResponse:
    """Start the export in the background (runtime.exports) and show its progress; filters that are not valid
    are refused here (400) rather than exporting more than was asked for."""
    form, _residents = _filtered(request)
    if form.errors:
        raise BadRequest(" ".join(str(m) for errors in form.errors.values() for m in errors))
    job = export_start(user=request.user, kind=EXPORT_KIND, params=request.GET.dict())
    back = reverse("residents:home") + (f"?{request.GET.urlencode()}" if request.GET else "")
    return redirect(f"{reverse('runtime:export', args=[job.pk])}?{urlencode({'back': back})}")


@login_required
@readers
def resident_new(request: HttpRequest) -> HttpResponse:
    form = ResidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = (
            services.ConsentInput(
                scopes=data["consent_scopes"],
                method=data["consent_method"],
                given_on=data["consent_given_on"],
                note=data["consent_note"],
            )
            if data["consent_scopes"]
            else None
        )
        try:
            resident = services.resident_register(
                actor=request.user, data={**form.placement_data(), **form.sensitive_data()}, consent=consent
            )
        except (ValidationError, PermissionDenied) as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": resident.name})
            return redirect("residents:detail", pk=resident.pk)
    status = 400 if form.errors else 200
    return render(
        request, "residents/form.html", {"form": form, "title": _("Register a resident")}, status=status
    )


# Service field names → form field names.
_FORM_FIELDS = {
    "household_members": "household",
    "residence_unit": "community",
    "residence_region": "community",
    "scopes": "consent_scopes",
    "method": "consent_method",
    "given_on": "consent_given_on",
    "note": "consent_note",
}


def _attach(form: Any, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        exc = ValidationError({_FORM_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})
    attach_errors(form, exc)


def _detail_context(request: HttpRequest, resident: Resident, access: selectors.Access) -> dict[str, Any]:
    manage = access == selectors.Access.MANAGE
    return {
        "resident": resident,
        "manage": manage,
        "consents": resident.consents.select_related("recorded_by", "withdrawn_by") if manage else [],
        "history": selectors.resident_history(resident=resident) if manage else [],
        "pending": selectors.resident_history(resident=resident).filter(status="pending").first()
        if manage
        else None,
        "reveal_form": RevealForm(),
    }


@login_required
@readers
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident, access = selectors.resident_get(user=request.user, pk=pk)
    services.resident_viewed(actor=request.user, resident=resident, access=access)
    return render(request, "residents/detail.html", _detail_context(request, resident, access))


@login_required
@readers
@require_POST
def resident_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a protected number in full once, with the reason logged; the page is not cached and not redirected to,
    so reloading it does not show the number again."""
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    context = _detail_context(request, resident, selectors.Access.MANAGE)
    if form.is_valid():
        field = form.cleaned_data["field"]
        try:
            value = services.resident_reveal(
                actor=request.user, resident=resident, field=field, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("residents:detail", pk=pk)
        context["revealed"] = {field: value}
        return render(request, "residents/detail.html", context)
    context["reveal_error"] = form.data.get("field", "id_number")
    context["reveal_form"] = form
    return render(request, "residents/detail.html", context, status=400)


@login_required
@readers
def resident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    form = ResidentEditForm(request.POST or None, resident=resident)
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_update(actor=request.user, resident=resident, data=form.changes())
        except (ValidationError, PermissionDenied) as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("residents:detail", pk=pk)
    context = {"form": form, "title": _("Edit %(name)s") % {"name": resident.name}, "resident": resident}
    return render(request, "residents/form.html", context, status=400 if form.errors else 200)


@login_required
@readers
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                actor=request.user, resident=resident, consent=services.ConsentInput(**form.cleaned_data)
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("residents:detail", pk=pk)
    context = {
        "form": form,
        "title": _("Record consent of %(name)s") % {"name": resident.name},
        "resident": resident,
    }
    return render(request, "residents/form.html", context, status=400 if form.errors else 200)


def _consent(request: HttpRequest, pk: int, consent_pk: int) -> tuple[Resident, Consent]:
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    consent = resident.consents.filter(pk=consent_pk).first()
    if consent is None:
        raise Http404
    return resident, consent


@login_required
@readers
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    """A confirmation page that says exactly what will be erased and what kept, then the withdrawal."""
    resident, consent = _consent(request, pk, consent_pk)
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                method=form.cleaned_data["method"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("residents:consent_done", pk=pk, consent_pk=consent.pk)
    others = set()
    for other in resident.consents.filter(withdrawn_at__isnull=True).exclude(pk=consent.pk):
        others.update(other.scopes)
    labels = dict(ConsentScope.choices)
    context = {
        "resident": resident,
        "consent": consent,
        "form": form,
        "erase": [labels[s] for s in consent.scopes if s not in others],
        "still_covered": [labels[s] for s in consent.scopes if s in others],
        "kept": services.kept_on_withdrawal(),
    }
    return render(request, "residents/withdraw.html", context, status=400 if form.errors else 200)


@login_required
@readers
def consent_done(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    resident, consent = _consent(request, pk, consent_pk)
    if consent.in_force:
        return redirect("residents:consent_withdraw", pk=pk, consent_pk=consent_pk)
    context = {"resident": resident, "consent": consent, "kept": services.kept_on_withdrawal()}
    return render(request, "residents/withdrawn.html", context)


@login_required
@readers
def handover_new(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["to_region"]
        try:
            services.handover_start(
                actor=request.user,
                resident=resident,
                to_region=region,
                to_unit=selectors.community_in_region(code=region.code),
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The handover waits for the receiving community to accept it."))
            return redirect("residents:detail", pk=pk)
    context = {"form": form, "title": _("Hand %(name)s over") % {"name": resident.name}, "resident": resident}
    return render(request, "residents/form.html", context, status=400 if form.errors else 200)


@login_required
@readers
@require_POST
def handover_decide(request: HttpRequest, pk: int) -> HttpResponse:
    handover = selectors.handover_get_incoming(user=request.user, pk=pk)
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            services.handover_accept(actor=request.user, handover=handover)
            messages.success(
                request, _("%(name)s now lives in your community.") % {"name": handover.resident.name}
            )
            return redirect("residents:detail", pk=handover.resident_id)
        form = DeclineForm(request.POST)
        form.is_valid()
        services.handover_decline(
            actor=request.user, handover=handover, reason=form.cleaned_data.get("decline_reason", "")
        )
        messages.success(request, _("The handover was declined."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("residents:home")


@login_required
@readers
@require_POST
def handover_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    resident = selectors.resident_managed_get(user=request.user, pk=pk)
    handover = selectors.resident_history(resident=resident).filter(status="pending").first()
    if handover is None:
        raise Http404
    try:
        services.handover_cancel(actor=request.user, handover=handover)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The handover was withdrawn."))
    return redirect("residents:detail", pk=pk)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


@login_required
@readers
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(actor=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("residents:import_job", pk=job.pk)
    jobs = ResidentImport.objects.filter(created_by=acting_user(request))[:10]
    context = {"form": form, "jobs": jobs, "max_rows": imports.MAX_IMPORT_ROWS}
    return render(request, "residents/import.html", context, status=400 if form.errors else 200)


@login_required
@readers
def import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(imports.template_bytes(), "residents-template.xlsx")


@login_required
@readers
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = ResidentImport.objects.filter(pk=pk, created_by=acting_user(request)).first()
    if job is None:  # another person's import is not shown, not even its existence
        raise Http404
    template = "residents/import_job.html#status" if request.htmx else "residents/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})
