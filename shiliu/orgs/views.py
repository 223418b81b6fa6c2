from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, Role
from shiliu.lib.downloads import workbook_bytes, xlsx_response
from shiliu.lib.forms import attach_errors, error_text

from . import imports, selectors, services, workbook
from .exporters import organizations_xlsx
from .forms import OrganizationFilterForm, OrganizationForm
from .models import Organization, UnitImport

PAGE_SIZE = 25
UNIT_ROLES = RECORD_READERS  # the same roles the API lets in (jurisdiction.decorators.readers_only)


def _filtered(request: HttpRequest) -> tuple[OrganizationFilterForm, QuerySet[Organization]]:
    form = OrganizationFilterForm(request.GET or None)
    filters = {"query": "", "kind": "", "region": ""}
    if form.is_valid():
        region = form.cleaned_data["region"]
        filters = {
            "query": form.cleaned_data["q"],
            "kind": form.cleaned_data["kind"],
            "region": region.code if region else "",
        }
    return form, selectors.organization_list(user=request.user, **filters)


@login_required
@roles_required(*UNIT_ROLES)
def organization_list(request: HttpRequest) -> HttpResponse:
    form, units = _filtered(request)
    if request.htmx and form.errors:  # type: ignore[attr-defined]
        # The filter swaps only the results; its errors belong to the form: load the whole page instead (the error
        # summary then takes the focus).
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.get_full_path()
        return response
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_add": acting_user(request).role in (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF),
    }
    template = "orgs/list.html#results" if request.htmx else "orgs/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@roles_required(*UNIT_ROLES)
def organization_export(request: HttpRequest) -> HttpResponse:
    _form, units = _filtered(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(organizations_xlsx(units.iterator(chunk_size=2000)), f"units-{stamp}.xlsx")


@login_required
@roles_required(*UNIT_ROLES)
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.organization_get(user=request.user, pk=pk)
    context = {
        "unit": unit,
        "can_edit": selectors.organization_can_edit(user=request.user, organization=unit),
        "children": unit.children.all()[:50],
    }
    return render(request, "orgs/detail.html", context)


@login_required
@roles_required(*UNIT_ROLES)
@require_POST
def organization_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a contact phone in full, once, and log who looked (personal information access)."""
    unit = selectors.organization_get(user=request.user, pk=pk)
    services.organization_phone_reveal(actor=request.user, unit=unit)
    return render(request, "orgs/detail.html#phone", {"unit": unit, "revealed": True})


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.organization_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Unit “%(name)s” was added.") % {"name": unit.name})
            return redirect("orgs:detail", pk=unit.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "title": _("Add a unit")},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*UNIT_ROLES)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.organization_get(user=request.user, pk=pk)
    if not selectors.organization_can_edit(user=request.user, organization=unit):
        raise PermissionDenied(_("You may not change this unit."))
    form = OrganizationForm(request.POST or None, instance=unit, user=request.user)
    if acting_user(request).role == Role.UNIT_COORDINATOR:
        for name in ("region", "parent", "kind", "is_active"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.organization_update(actor=request.user, organization=unit, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:detail", pk=unit.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "unit": unit, "title": _("Edit unit")},
        status=400 if form.errors else 200,
    )


# Units from Excel -----------------------------------------------------------------------------------------------


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )


def _unit_import(request: HttpRequest, pk: int) -> UnitImport:
    job = UnitImport.objects.filter(pk=pk, created_by_id=acting_user(request).pk).first()
    if job is None:  # another person's import is not shown, not even its existence
        raise Http404
    return job


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def unit_import_page(request: HttpRequest) -> HttpResponse:
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.unit_import_start(actor=request.user, upload=form.cleaned_data["file"])
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            return redirect("orgs:import_job", pk=job.pk)
    jobs = UnitImport.objects.filter(created_by_id=acting_user(request).pk)[:10]
    status = 400 if form.errors else 200
    context = {"form": form, "jobs": jobs, "max_rows": imports.MAX_ROWS}
    return render(request, "orgs/import.html", context, status=status)


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def unit_import_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(workbook_bytes(workbook.template_workbook()), "units-template.xlsx")


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
def unit_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _unit_import(request, pk)
    template = "orgs/import_job.html#status" if request.htmx else "orgs/import_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job})


@login_required
@roles_required(Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)
@require_POST
def unit_import_good(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        imports.unit_import_good_rows(actor=request.user, job=_unit_import(request, pk))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("orgs:import_job", pk=pk)
