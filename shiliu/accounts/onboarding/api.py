# No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""The API of local account management and invitations, scoped like the pages: commission staff and platform
administrators only, each within their jurisdiction."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.api_types import Id, Page, Ref
from shiliu.orgs.selectors import organization_get
from shiliu.regions.models import Region

from ..models import Invitation, InvitationStatus, User
from . import selectors, services

router = Router(tags=["accounts"])


def _staff_only(view: Any) -> Any:
    from functools import wraps

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not scope_for(request.user).is_staff:
            raise PermissionDenied(_("Your role does not give access to this page."))
        return view(request, *args, **kwargs)

    return wrapped


router.add_decorator(_staff_only)

ManagedRole = Literal["commission_staff", "unit_coordinator"]


class AccountOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    region_code: str | None = Field(alias="region_id")
    unit_id: int | None = Field(alias="organization_id")
    is_active: bool


class AccountFilter(Schema):
    q: str = Field("", max_length=50)
    role: ManagedRole | None = None


class AccountPatch(Schema):
    role: ManagedRole
    unit_id: Ref | None = None
    is_active: bool


class ResetIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class ResetOut(Schema):
    devices_removed: int


class InvitationOut(Schema):
    id: int
    address: str
    display_name: str
    role: str
    region_code: str = Field(alias="region_id")
    unit_id: int | None = Field(alias="organization_id")
    status: str
    sent_at: dt.datetime
    send_count: int
    delivery_error: str = Field(
        description="Why the message backend refused the last sending (empty when delivered)."
    )
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    account_id: int | None = Field(alias="user_id")


class InvitationFilter(Schema):
    status: InvitationStatus | None = None


class InvitationIn(Schema):
    address: str = Field(
        ..., min_length=3, max_length=254, description="an e-mail address or a mainland mobile"
    )
    display_name: str = Field("", max_length=64)
    role: ManagedRole
    unit_id: Ref | None = Field(None, description="coordinators: the unit they act for")
    region: str | None = Field(None, pattern=r"^\d{2,12}$", description="staff: their jurisdiction")


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@router.get("/accounts", response=list[AccountOut])
@paginate(Page, limit=50)
def accounts(request: HttpRequest, filters: Query[AccountFilter]) -> QuerySet[User]:
    """Accounts within the caller's jurisdiction (never above or beside it)."""
    return selectors.accounts_manageable(user=request.user, query=filters.q, role=filters.role or "")


@router.get("/accounts/{account_id}", response=AccountOut)
def account(request: HttpRequest, account_id: Id) -> User:
    return selectors.account_get(user=request.user, pk=account_id)


@router.patch("/accounts/{account_id}", response=AccountOut)
def account_update(request: HttpRequest, account_id: Id, payload: AccountPatch) -> User:
    """Change an account's role, unit and access."""
    target = selectors.account_get(user=request.user, pk=account_id)
    unit = organization_get(user=request.user, pk=payload.unit_id) if payload.unit_id else None
    return services.account_update(
        actor=request.user, account=target, role=payload.role, organization=unit, is_active=payload.is_active
    )


@router.post("/accounts/{account_id}/second-factor/reset", response=ResetOut)
def account_second_factor_reset(request: HttpRequest, account_id: Id, payload: ResetIn) -> dict[str, int]:
    """Remove a lost second factor; the reason goes to the audit log."""
    target = selectors.account_get(user=request.user, pk=account_id)
    removed = services.account_reset_second_factor(actor=request.user, account=target, reason=payload.reason)
    return {"devices_removed": removed}


@router.get("/invitations", response=list[InvitationOut])
@paginate(Page, limit=50)
def invitations(request: HttpRequest, filters: Query[InvitationFilter]) -> list[Invitation]:
    """Invitations into the caller's jurisdiction, newest first."""
    return selectors.invitations_visible(user=request.user, status=filters.status or "")


@router.post("/invitations", response={201: InvitationOut})
def invitation_create(request: HttpRequest, payload: InvitationIn) -> Status[Invitation]:
    """Invite a person and send them the one-time link (coordinators: give ``unit_id``; staff: ``region``)."""
    unit = organization_get(user=request.user, pk=payload.unit_id) if payload.unit_id else None
    region = None
    if payload.region:
        region = Region.objects.filter(code=payload.region, valid_to__isnull=True).first()
        if region is None:
            raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": payload.region}})
    invitation = services.invitation_create(
        actor=request.user,
        address=payload.address,
        role=payload.role,
        region=region,
        organization=unit,
        display_name=payload.display_name,
        link_base=_link_base(request),
    )
    return Status(201, invitation)


@router.post("/invitations/{invitation_id}/resend", response=InvitationOut)
def invitation_resend(request: HttpRequest, invitation_id: Id) -> Invitation:
    """Send again with a new link; the earlier link stops working."""
    invitation = selectors.invitation_get(user=request.user, pk=invitation_id)
    return services.invitation_resend(
        actor=request.user, invitation=invitation, link_base=_link_base(request)
    )


@router.post("/invitations/{invitation_id}/revoke", response=InvitationOut)
def invitation_revoke(request: HttpRequest, invitation_id: Id) -> Invitation:
    invitation = selectors.invitation_get(user=request.user, pk=invitation_id)
    return services.invitation_revoke(actor=request.user, invitation=invitation)
