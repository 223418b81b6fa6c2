from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, Role
from shiliu.jurisdiction.scope import any_under, under
from shiliu.lib import clock
from shiliu.lib.downloads import file_response, xlsx_response
from shiliu.lib.filters import Filters
from shiliu.lib.forms import attach_errors, error_text
from shiliu.orgs.models import Organization
from shiliu.runtime.services import AlreadySubmitted

from . import proposal as proposals
from . import selectors, services
from .exporters import coverage_xlsx
from .forms import (
    ActionItemForm,
    AgreementForm,
    CoverageForm,
    MeetingForm,
    PairingForm,
    ProposalForm,
    RespondForm,
    StatusForm,
)
from .models import ActionItem, JointMeeting, PairingKind, PairingStatus
from .panels import panels_for

READERS = RECORD_READERS  # the same roles the API lets in (jurisdiction.decorators.readers_only)
STAFF = (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)


@login_required
@roles_required(*READERS)
def pairing_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(request.GET)
    status = filters.choice("status", PairingStatus.values, _("status"))
    kind = filters.choice("kind", PairingKind.values, _("kind"))
    # the workbench's "pairings begun this year"
    started_year = filters.parsed("started", lambda v: int(v) if 2000 <= int(v) <= 2100 else None, _("year"))
    # the dashboard's "active pairings" of a region: pairings with a party in or under it
    region = filters.parsed("region", lambda v: v if v.isdigit() and len(v) <= 12 else None, _("region"))
    for problem in filters.problems:
        messages.warning(request, problem)
    qs = selectors.pairing_list(
        user=request.user, status=status, kind=kind, query=request.GET.get("q", "")[:40]
    )
    awaiting_only = request.GET.get("awaiting") == "1"  # the workbench's "proposals to answer"
    if awaiting_only:
        qs = qs.filter(pk__in=selectors.pairing_awaiting(user=request.user).values("pk"))
    if started_year:
        qs = qs.filter(started_on__year=started_year)
    if region:
        qs = qs.filter(any_under(("a_region", "b_region"), region))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "awaiting": selectors.pairing_awaiting(user=request.user)[:20],
        "overdue": selectors.overdue_count(user=request.user),
        "statuses": PairingStatus.choices,
        "kinds": PairingKind.choices,
        "current_status": status,
        "current_kind": kind,
        "awaiting_only": awaiting_only,
        "started_year": started_year,
        "can_propose": acting_user(request).role in STAFF,
    }
    return render(request, "pairings/list.html", context)


@login_required
@roles_required(*STAFF)
def pairing_new(request: HttpRequest) -> HttpResponse:
    form = PairingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = services.pairing_propose(
                actor=request.user,
                kind=data["kind"],
                a_region=data["a_region"],
                a_unit=data["a_unit"],
                b_region=data["b_region"],
                b_unit=data["b_unit"],
                parent=data["parent"],
                note=data["note"],
            )
        except PermissionDenied as exc:
            form.add_error("a_region", str(exc))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The proposal was sent to the partner side."))
            return redirect("pairings:detail", pk=pairing.pk)
    return render(
        request,
        "pairings/form.html",
        {"form": form, "title": _("Propose a pairing")},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*READERS)
def unit_options(request: HttpRequest) -> JsonResponse:
    """Active units of a region (names only: the public directory), for the pairing form's unit lists."""
    code = request.GET.get("region", "")
    if not code.isdigit() or not 2 <= len(code) <= 12:
        return JsonResponse({"units": []})
    units = Organization.objects.filter(under("region", code), is_active=True)
    kind = request.GET.get("kind", "")
    if kind:
        units = units.filter(kind=kind[:20])
    units = units.select_related("region").order_by("region_id", "name")[:500]
    return JsonResponse({"units": [{"id": u.pk, "name": u.name, "region": u.region.name} for u in units]})


@login_required
@roles_required(*READERS)
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    user = acting_user(request)
    meetings = pairing.meetings.prefetch_related("attendees", "action_items__owner")
    actions = services.pairing_actions(actor=user, pairing=pairing)
    context = {
        "pairing": pairing,
        "events": pairing.events.select_related("actor"),
        "agreements": pairing.agreements.prefetch_related("mechanisms"),
        "meetings": meetings,
        "children": pairing.children.select_related("a_unit", "b_unit"),
        # panels the apps above add (the exchanges recorded under this pairing …)
        "panels": panels_for(user, pairing),
        "can_answer": "answer" in actions,
        "can_manage": "manage" in actions,
        "respond_form": RespondForm(),
        "status_form": StatusForm(),
        "today": clock.today(),
    }
    return render(request, "pairings/detail.html", context)


@login_required
@roles_required(*READERS)
def agreement_document(request: HttpRequest, pk: int, agreement_pk: int) -> HttpResponse:
    """The signed document, served to those who may see the pairing (never from a public media path)."""
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    agreement = pairing.agreements.filter(pk=agreement_pk).first()
    if agreement is None or not agreement.document:
        raise Http404
    return file_response(agreement.document)


@login_required
@roles_required(*STAFF)
@require_POST
def pairing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.pairing_respond(
                actor=request.user,
                pairing=pairing,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your answer was recorded."))
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("pairings:detail", pk=pk)


@login_required
@roles_required(*STAFF)
@require_POST
def pairing_status(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.pairing_change_status(
                actor=request.user,
                pairing=pairing,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The pairing's status was changed."))
    else:
        messages.error(request, _("The request is not valid."))
    return redirect("pairings:detail", pk=pk)


@login_required
@roles_required(*STAFF)
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_record(
                actor=request.user,
                pairing=pairing,
                title=data["title"],
                signed_on=data["signed_on"],
                term_start=data["term_start"],
                term_end=data["term_end"],
                document=data["document"],
                mechanisms=data["mechanisms"],
                custom_mechanisms=data["custom_mechanisms"].splitlines(),
                a_contact=data["a_contact"],
                b_contact=data["b_contact"],
            )
        except PermissionDenied as exc:
            raise exc
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The agreement was recorded."))
            return redirect("pairings:detail", pk=pk)
    return render(
        request,
        "pairings/form.html",
        {"form": form, "title": _("Record an agreement"), "pairing": pairing},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*STAFF)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, units=selectors.partner_units(pairing=pairing))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_schedule(actor=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The joint meeting was scheduled."))
            return redirect("pairings:detail", pk=pk)
    return render(
        request,
        "pairings/form.html",
        {"form": form, "title": _("Schedule a joint meeting"), "pairing": pairing},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*STAFF)
def action_item_new(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        JointMeeting, pk=meeting_pk, pairing__in=selectors.pairing_list(user=request.user).values("pk")
    )
    form = ActionItemForm(request.POST or None, units=selectors.partner_units(pairing=meeting.pairing))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The action item was added."))
            return redirect("pairings:detail", pk=meeting.pairing_id)
    return render(
        request,
        "pairings/form.html",
        {"form": form, "title": _("Add an action item"), "pairing": meeting.pairing},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*READERS)
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ActionItem, pk=pk, pairing__in=selectors.pairing_list(user=request.user).values("pk")
    )
    try:
        services.action_item_set_status(actor=request.user, item=item, status=request.POST.get("status", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The action item was updated."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/pairings/") else "pairings:items")


@login_required
@roles_required(*READERS)
def action_item_list(request: HttpRequest) -> HttpResponse:
    due = request.GET.get("due", "")
    if due in ("overdue", "soon"):  # the workbench's "action items overdue / due within 3 days"
        items = selectors.action_items_due(user=request.user, due=due)
    else:
        due = ""
        items = selectors.action_items(user=request.user, only_open=request.GET.get("open") == "1")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "pairings/items.html",
        {"page": page, "today": clock.today(), "only_open": request.GET.get("open") == "1", "due": due},
    )


def _coverage(request: HttpRequest) -> tuple[CoverageForm, Any]:
    form = CoverageForm(request.GET or None)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.coverage(
        user=request.user,
        region=data["region"].code,
        kind=data["kind"],
        locality=data["locality"],
        unit_kind=data["unit_kind"],
        subject=data["subject"] or "units",
    )


@login_required
@roles_required(*READERS)
def coverage(request: HttpRequest) -> HttpResponse:
    form, cov = _coverage(request)
    return render(
        request, "pairings/coverage.html", {"form": form, "coverage": cov, "query": request.GET.urlencode()}
    )


@login_required
@roles_required(*READERS)
def coverage_export(request: HttpRequest) -> HttpResponse:
    form, cov = _coverage(request)
    if cov is None:
        return redirect("pairings:coverage")
    data = form.cleaned_data
    title = f"{data['region'].name} {dict(form.fields['unit_kind'].choices).get(data['unit_kind'], '')}"  # type: ignore[attr-defined]
    return xlsx_response(coverage_xlsx(cov, title), "coverage.xlsx")


def _pair_set(values: list[str]) -> set[tuple[int, int]]:
    pairs = set()
    for value in values:
        a, _sep, b = value.partition("-")
        if a.isdigit() and b.isdigit():
            pairs.add((int(a), int(b)))
    return pairs


@login_required
@roles_required(*STAFF)
def proposal(request: HttpRequest) -> HttpResponse:
    """Ask for an optimal pairing, strike or lock pairs and re-solve, then create the accepted pairs at once."""
    form = ProposalForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        a_units = proposals.units_for(
            user=request.user,
            region=data["a_region"].code,
            unit_kind=data["unit_kind"],
            locality=data["a_locality"],
        )
        b_units = proposals.units_for(
            user=request.user,
            region=data["b_region"].code,
            unit_kind=data["unit_kind"],
            locality=data["b_locality"],
        )
        removed = _pair_set(request.POST.getlist("removed")) | _pair_set(request.POST.getlist("remove"))
        locked = _pair_set(request.POST.getlist("lock"))
        weights = proposals.Weights(data["weight_stage"], data["weight_size"], data["weight_distance"])
        result = proposals.propose(
            a_units=a_units,
            b_units=b_units,
            max_per_a=data["max_per_a"],
            weights=weights,
            removed=removed,
            locked=locked,
            existing=data["existing"] or proposals.EXISTING_COUNT,
        )
        action = request.POST.get("action")
        coverage = f"{reverse('pairings:coverage')}?region={data['b_region'].code}&unit_kind={data['unit_kind']}&locality={data['b_locality']}"
        if action == "confirm":
            # Create exactly the pairs the confirmation listed (not a new solve: the pairings made meanwhile
            # would change it), each checked to lie in the two groups the user may act for.
            a_by_id = {u.pk: u for u in a_units}
            b_by_id = {u.pk: u for u in b_units}
            chosen = [
                (a_by_id[a], b_by_id[b])
                for a, b in sorted(_pair_set(request.POST.getlist("pair")))
                if a in a_by_id and b in b_by_id
            ]
            if not chosen:
                messages.error(request, _("Nothing was created: no pair was chosen."))
                return redirect(reverse("pairings:proposal"))
            try:
                created = services.pairings_create_many(
                    actor=request.user,
                    kind=data["kind"],
                    pairs=chosen,
                    max_per_a=data["max_per_a"],
                    token=request.POST.get("submission", ""),
                    link=coverage,
                )
            except AlreadySubmitted as exc:
                messages.info(request, str(exc))
                return redirect(exc.link or coverage)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(
                    request,
                    _("Nothing was created: %(error)s") % {"error": error_text(exc)},
                )
            else:
                messages.success(
                    request,
                    ngettext("%(n)d pairing was created.", "%(n)d pairings were created.", len(created))
                    % {"n": len(created)},
                )
                return redirect(coverage)
        context = {
            "form": form,
            "result": result,
            "removed": sorted(f"{a}-{b}" for a, b in removed),
            "a_count": len(a_units),
            "b_count": len(b_units),
            # "Create these pairings" first shows what will happen, with the count, and asks to confirm.
            "confirming": action == "create" and bool(result.new_pairs),
        }
        return render(request, "pairings/proposal.html", context)
    return render(
        request, "pairings/proposal.html", {"form": form, "result": None}, status=400 if form.errors else 200
    )
