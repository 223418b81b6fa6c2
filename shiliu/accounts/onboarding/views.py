"""Pages of onboarding: accepting an invitation, a commission's onboarding, coordinators invited from a list, the
invitations and the accounts of a jurisdiction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from shiliu.jurisdiction.decorators import acting_user, roles_required
from shiliu.jurisdiction.roles import STAFF_ROLES, Role
from shiliu.lib.downloads import append_row, workbook_bytes, xlsx_response
from shiliu.lib.forms import attach_errors, error_text
from shiliu.orgs.selectors import organization_parent_choices

from ..models import Invitation, InvitationStatus
from . import bulk, selectors, services
from .forms import (
    AcceptForm,
    AccountForm,
    ColleagueForm,
    CommissionForm,
    CoordinatorsForm,
    HandOverForm,
    ResetSecondFactorForm,
)


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _report_sent(request: HttpRequest, invitations: list[Invitation], done: str) -> None:
    """Say what was done, and name each invitation the message backend refused (it waits in the list to be sent
    again once the address is right)."""
    failed = services.undelivered(invitations)
    if len(failed) < len(invitations):
        messages.success(request, done)
    for invitation in failed:
        messages.warning(
            request,
            _("The invitation to %(address)s was saved but not delivered: %(reason)s")
            % {"address": invitation.address, "reason": invitation.delivery_error},
        )


def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    """The one-time link: the invited person sets their password; staff go on to their second factor."""
    try:
        invitation = services.invitation_for_key(key)
    except services.InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(raw=key, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as exc:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.is_staff_member:
                messages.success(
                    request,
                    _(
                        "Your account is ready. Commission staff protect it with a second factor: set it up now."
                    ),
                )
                return redirect("accounts:otp_setup")
            messages.success(request, _("Your account is ready. Welcome to Shiliu."))
            return redirect("web:home")
    status = 400 if form.errors else 200
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}, status=status
    )


@login_required
@roles_required(*STAFF_ROLES)
def commission_new(request: HttpRequest) -> HttpResponse:
    form = CommissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.commission_onboard(
                actor=acting_user(request),
                region=data["region"],
                unit_name=data["unit_name"],
                address=data["address"],
                display_name=data["display_name"],
                link_base=_link_base(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            _report_sent(
                request,
                [invitation],
                _("The commission of %(region)s is set up; the invitation went to %(address)s.")
                % {"region": invitation.region.name, "address": invitation.address},
            )
            return redirect("accounts:invitations")
    status = 400 if form.errors else 200
    return render(
        request, "accounts/commission_new.html", {"form": form, "title": _("Add a commission")}, status=status
    )


@login_required
@roles_required(*STAFF_ROLES)
def invitation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in InvitationStatus.values:
        status = ""
    invitations = selectors.invitations_visible(user=acting_user(request), status=status)
    page = Paginator(invitations, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": InvitationStatus.choices,
        "query": f"status={status}",
    }
    return render(request, "accounts/invitations.html", context)


@login_required
@roles_required(*STAFF_ROLES)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=acting_user(request), pk=pk)
    try:
        services.invitation_resend(
            actor=acting_user(request), invitation=invitation, link_base=_link_base(request)
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        _report_sent(
            request,
            [invitation],
            _("Sent again to %(address)s; the earlier link no longer works.")
            % {"address": invitation.address},
        )
    return redirect("accounts:invitations")


@login_required
@roles_required(*STAFF_ROLES)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=acting_user(request), pk=pk)
    try:
        services.invitation_revoke(actor=acting_user(request), invitation=invitation)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("The invitation to %(address)s was withdrawn.") % {"address": invitation.address}
        )
    return redirect("accounts:invitations")


@login_required
@roles_required(*STAFF_ROLES)
def coordinators_invite(request: HttpRequest) -> HttpResponse:
    form = CoordinatorsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            lines = (
                bulk.lines_from_workbook(upload)
                if upload
                else bulk.lines_from_text(form.cleaned_data["lines"])
            )
            sent = bulk.coordinators_invite(
                actor=acting_user(request), lines=lines, link_base=_link_base(request)
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            _report_sent(request, sent, _("%(n)d invitations sent.") % {"n": len(sent)})
            return redirect("accounts:invitations")
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("Invite coordinators")}
    return render(request, "accounts/coordinators_invite.html", context, status=status)


@login_required
@roles_required(Role.COMMISSION_STAFF)
def colleague_invite(request: HttpRequest) -> HttpResponse:
    """Staff of a commission invite a colleague: commission staff with the same jurisdiction."""
    actor = acting_user(request)
    form = ColleagueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=actor,
                address=form.cleaned_data["address"],
                role=Role.COMMISSION_STAFF,
                region=actor.region,
                display_name=form.cleaned_data["display_name"],
                link_base=_link_base(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            _report_sent(
                request,
                [invitation],
                _("The invitation went to %(address)s.") % {"address": invitation.address},
            )
            return redirect("accounts:invitations")
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("Invite a colleague")}
    return render(request, "accounts/colleague_invite.html", context, status=status)


@login_required
@roles_required(*STAFF_ROLES)
def coordinators_template(request: HttpRequest) -> HttpResponse:
    """An empty list to fill in: 单位, 姓名, 手机号或邮箱."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    append_row(ws, bulk.HEADERS)
    for column, width in zip("ABC", (36, 12, 24), strict=True):
        ws.column_dimensions[column].width = width  # type: ignore[union-attr]
    return xlsx_response(workbook_bytes(wb), "coordinators-template.xlsx")


@login_required
@roles_required(*STAFF_ROLES)
def account_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")
    if role not in Role.values:
        role = ""
    accounts = selectors.accounts_manageable(user=acting_user(request), query=query, role=role)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": query,
        "role": role,
        "roles": Role.choices[1:3],
        "query": f"q={query}&role={role}",
    }
    return render(request, "accounts/people.html", context)


@login_required
@roles_required(*STAFF_ROLES)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    account = selectors.account_get(user=actor, pk=pk)
    units = organization_parent_choices(user=actor)
    form = AccountForm(
        initial={
            "role": account.role,
            "organization": account.organization_id,
            "is_active": account.is_active,
        },
        units=units,
    )
    reset_form, handover_form = ResetSecondFactorForm(), HandOverForm()
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "update":
            form = AccountForm(request.POST, units=units)
            if form.is_valid():
                services.account_update(actor=actor, account=account, **form.cleaned_data)
                messages.success(request, _("The account was saved."))
                return redirect("accounts:person", pk=pk)
        elif action == "reset":
            reset_form = ResetSecondFactorForm(request.POST)
            if reset_form.is_valid():
                services.account_reset_second_factor(
                    actor=actor, account=account, reason=reset_form.cleaned_data["reason"]
                )
                messages.success(
                    request, _("The second factor was reset; the person sets up a new one at the next login.")
                )
                return redirect("accounts:person", pk=pk)
        elif action == "handover":
            handover_form = HandOverForm(request.POST)
            if handover_form.is_valid():
                successor = services.coordinator_hand_over(
                    actor=actor, account=account, link_base=_link_base(request), **handover_form.cleaned_data
                )
                _report_sent(
                    request, [successor], _("The account was deactivated and the successor invited.")
                )
                return redirect("accounts:invitations")
    except (ValidationError, PermissionDenied) as exc:
        target = {"update": form, "reset": reset_form, "handover": handover_form}[action or "update"]
        attach_errors(target, exc)
    context = {
        "account": account,
        "form": form,
        "reset_form": reset_form,
        "handover_form": handover_form,
        "has_second_factor": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "title": str(account),
    }
    errors = form.errors or reset_form.errors or handover_form.errors
    return render(request, "accounts/person.html", context, status=400 if errors else 200)
