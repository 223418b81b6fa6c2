"""Writes of onboarding: invitations (create, resend, revoke, accept), a commission's first staff member, and the
commission's management of the accounts within its jurisdiction.

Who may do what is decided by the jurisdiction layer (``scope_for(...).covers``, ``Scope.q``); every write runs in
one transaction and is in the audit log (Invitation and User are registered with django-auditlog; a second-factor
reset adds an entry with its reason).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import messaging
from shiliu.orgs.models import Organization, UnitKind
from shiliu.orgs.services import organization_create
from shiliu.regions.models import Region

from ..audit import acting_as
from ..models import Invitation, User
from ..services import token_revoke_all, user_create

logger = logging.getLogger("shiliu.messages")

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Roles an invitation may carry: platform administrators are made by `manage.py setup`, residents sign up elsewhere.
INVITABLE_ROLES = (Role.COMMISSION_STAFF, Role.UNIT_COORDINATOR)


def normalise_address(raw: str) -> tuple[str, str]:
    """An e-mail address (lower case) or a mainland mobile number (digits only), and its channel."""
    text = "".join(raw.split()).replace("－", "-")
    digits = text.replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if MOBILE.match(digits):
        return digits, messaging.SMS
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError(
            {
                "address": _("“%(value)s” is neither an e-mail address nor an 11-digit mobile number.")
                % {"value": raw}
            }
        ) from exc
    return text.lower(), messaging.EMAIL


def _require_staff_over(actor: Any, code: str) -> None:
    scope = scope_for(actor)
    if not (scope.is_staff and scope.covers(code)):
        raise PermissionDenied(_("This region is outside your jurisdiction."))


def address_registered(address: str) -> bool:
    return User.objects.filter(Q(username__iexact=address) | Q(email__iexact=address)).exists()


def _message(invitation: Invitation, raw: str, link_base: str, channel: str) -> messaging.Message:
    link = f"{link_base.rstrip('/')}/accounts/invitation/{raw}/"
    where = invitation.organization.name if invitation.organization else invitation.region.name
    subject = _("Your invitation to Shiliu")
    body = _(
        "%(inviter)s invites you to Shiliu as %(role)s of %(where)s. Open this link to set your password "
        "(it works once, until %(expires)s): %(link)s"
    ) % {
        "inviter": str(invitation.invited_by),
        "role": invitation.get_role_display(),
        "where": where,
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
        "link": link,
    }
    return messaging.Message(to=invitation.address, subject=subject, body=body, channel=channel)


def _send(invitation: Invitation, raw: str, link_base: str) -> None:
    """Send the link once the transaction that wrote the invitation has committed: a batch that fails on its fifth
    line, or any later step that rolls back, must not have sent four links that no longer work. A refusal of the
    backend is kept on the invitation (:func:`undelivered`), and the sender resends once the address is right."""
    _address, channel = normalise_address(invitation.address)
    message = _message(invitation, raw, link_base, channel)
    pk = invitation.pk

    def deliver() -> None:
        try:
            messaging.send(message)
        except messaging.DeliveryError as exc:
            logger.warning("Invitation %s was not delivered: %s", pk, exc)
            Invitation.objects.filter(pk=pk).update(delivery_error=str(exc)[:200])
        else:
            Invitation.objects.filter(pk=pk).exclude(delivery_error="").update(delivery_error="")

    transaction.on_commit(deliver)


def undelivered(invitations: Iterable[Invitation]) -> list[Invitation]:
    """Those of ``invitations`` whose message the backend refused (read after the sending transaction committed)."""
    return list(Invitation.objects.filter(pk__in=[i.pk for i in invitations]).exclude(delivery_error=""))


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    address: str,
    role: str,
    region: Region | None = None,
    organization: Organization | None = None,
    display_name: str = "",
    link_base: str,
    replaces: User | None = None,
) -> Invitation:
    """Invite a person to a role inside the actor's jurisdiction and send them the one-time link.

    A coordinator's jurisdiction is their unit's region. Refused, with nothing saved or sent: a role that cannot be
    invited, a region or unit outside the actor's jurisdiction, an address that already has an account or a pending
    invitation.
    """
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": _("Invite commission staff or unit coordinators only.")})
    if role == Role.UNIT_COORDINATOR:
        if organization is None:
            raise ValidationError({"organization": _("Choose the unit the coordinator acts for.")})
        region = organization.region
    if region is None:
        raise ValidationError({"region": _("Choose a region.")})
    _require_staff_over(actor, region.code)
    if (
        organization is not None
        and not Organization.objects.visible_to(actor).filter(pk=organization.pk).exists()
    ):
        raise PermissionDenied(_("The unit is outside your jurisdiction."))
    address, _channel = normalise_address(address)
    if address_registered(address):
        raise ValidationError({"address": _("%(address)s already has an account.") % {"address": address}})
    if Invitation.objects.filter(
        address=address, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        raise ValidationError(
            {
                "address": _("%(address)s already has a pending invitation; send it again instead.")
                % {"address": address}
            }
        )
    raw, key_hash = Invitation.new_key()
    now = timezone.now()
    invitation = Invitation(
        key_hash=key_hash,
        address=address,
        display_name=display_name.strip()[:64],
        role=role,
        region=region,
        organization=organization if role == Role.UNIT_COORDINATOR else None,
        invited_by=actor,
        replaces=replaces,
        created_at=now,
        sent_at=now,
        expires_at=now + dt.timedelta(days=settings.SHILIU_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _send(invitation, raw, link_base)
    return invitation


def _open_invitation(actor: Any, invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_staff_over(actor, locked.region_id)
    if not locked.is_open:
        raise ValidationError(_("This invitation has already been accepted or revoked."))
    return locked


@transaction.atomic
def invitation_resend(*, actor: Any, invitation: Invitation, link_base: str) -> Invitation:
    """Send a pending (or expired) invitation again with a new link: the old link stops working."""
    locked = _open_invitation(actor, invitation)
    raw, locked.key_hash = Invitation.new_key()
    now = timezone.now()
    locked.sent_at, locked.send_count = now, locked.send_count + 1
    locked.expires_at = now + dt.timedelta(days=settings.SHILIU_INVITATION_DAYS)
    locked.save(update_fields=["key_hash", "sent_at", "send_count", "expires_at"])
    _send(locked, raw, link_base)
    return locked


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    locked = _open_invitation(actor, invitation)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    return locked


class InvitationInvalid(Exception):
    """Why a link cannot be used: the message says it in the person's language."""


def invitation_for_key(raw: str) -> Invitation:
    """The invitation of a link that can still be accepted, or :class:`InvitationInvalid` with the reason."""
    invitation = (
        Invitation.objects.select_related("region", "organization", "invited_by")
        .filter(key_hash=Invitation.hash_key(raw or ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(
            _(
                "This invitation link is not valid: it may have been sent again since. Ask for a new invitation."
            )
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used. Log in with your password."))
    if invitation.revoked_at is not None:
        raise InvitationInvalid(_("This invitation was withdrawn. Ask the commission for a new one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(_("This invitation has expired. Ask the commission to send it again."))
    return invitation


@transaction.atomic
def invitation_accept(*, raw: str, password: str) -> User:
    """Create the invited person's account with the password they chose; the link is spent.

    The invitation row is locked first, so the same link opened twice at once makes one account. A successor's
    predecessor was deactivated when the invitation was made; the unit passes to the new account here.
    """
    found = invitation_for_key(raw)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    invitation = invitation_for_key(raw)  # checked again under the lock
    if address_registered(invitation.address):
        raise InvitationInvalid(_("An account with this address exists already. Log in with your password."))
    _address, channel = normalise_address(invitation.address)
    with acting_as(invitation.invited_by):
        user = user_create(
            username=invitation.address,
            password=password,
            role=invitation.role,
            region=invitation.region,
            organization=invitation.organization,
            display_name=invitation.display_name,
        )
        if channel == messaging.EMAIL:
            user.email = invitation.address
            user.save(update_fields=["email"])
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    return user


def check_new_password(password: str, invitation: Invitation) -> None:
    """The platform's password rules, applied to the account the invitation will make."""
    validate_password(password, User(username=invitation.address, display_name=invitation.display_name))


@transaction.atomic
def commission_onboard(
    *,
    actor: Any,
    region: Region,
    unit_name: str,
    address: str,
    display_name: str,
    link_base: str,
) -> Invitation:
    """A commission joins: its unit in ``region`` (created unless it exists) and the invitation of its first staff
    member, whose jurisdiction is ``region``. The platform admin does this anywhere; a commission for the
    prefectures and counties under it (never for its own region's peers above or beside)."""
    scope = scope_for(actor)
    if not (scope.is_staff and scope.covers(region.code)):
        raise PermissionDenied(_("This region is outside your jurisdiction."))
    if not scope.is_everything and region.code == scope.prefix:
        raise PermissionDenied(_("Invite colleagues of your own commission from the accounts page."))
    name = unit_name.strip() or _("%(region)s Ethnic Affairs Commission") % {"region": region.name}
    unit = Organization.objects.filter(region=region, name=name).first()
    if unit is None:
        unit = organization_create(
            actor=actor, data={"name": name, "kind": UnitKind.COMMISSION, "region": region}
        )
    return invitation_create(
        actor=actor,
        address=address,
        role=Role.COMMISSION_STAFF,
        region=region,
        display_name=display_name,
        link_base=link_base,
    )


# Local account management -------------------------------------------------------------------------------------


def _manageable(actor: Any, account: User) -> User:
    """The account, locked, if it lies within the actor's jurisdiction and is not the actor nor an administrator."""
    scope = scope_for(actor)
    locked = User.objects.select_for_update().filter(pk=account.pk).first()
    if (
        locked is None
        or not scope.is_staff
        or locked.role == Role.PLATFORM_ADMIN
        or not scope.covers(locked.region_id)
    ):
        raise PermissionDenied(_("This account is outside your jurisdiction."))
    if locked.pk == actor.pk:
        raise PermissionDenied(_("You cannot change your own role or access here."))
    return locked


@transaction.atomic
def account_update(
    *, actor: Any, account: User, role: str, organization: Organization | None, is_active: bool
) -> User:
    """Change an account's role, unit and access, within the actor's jurisdiction. A coordinator's jurisdiction
    becomes their unit's region; staff keep theirs."""
    locked = _manageable(actor, account)
    if role not in INVITABLE_ROLES and role != locked.role:
        raise ValidationError({"role": _("Choose commission staff or unit coordinator.")})
    if role == Role.UNIT_COORDINATOR:
        if organization is None:
            raise ValidationError({"organization": _("Choose the unit the coordinator acts for.")})
        if not Organization.objects.visible_to(actor).filter(pk=organization.pk).exists():
            raise PermissionDenied(_("The unit is outside your jurisdiction."))
        locked.region = organization.region
    elif role == Role.COMMISSION_STAFF:
        organization = None
    locked.role, locked.organization, locked.is_active = role, organization, is_active
    locked.full_clean()
    locked.save()
    if not is_active:
        token_revoke_all(user=locked)
    return locked


@transaction.atomic
def account_reset_second_factor(*, actor: Any, account: User, reason: str) -> int:
    """Remove a lost authenticator: the person logs in with their password and enrols a new one. Their API tokens
    are revoked. The reason is written to the audit log."""
    reason = reason.strip()
    if len(reason) < 4:
        raise ValidationError({"reason": _("Say why the second factor is reset (at least 4 characters).")})
    locked = _manageable(actor, account)
    removed, _detail = TOTPDevice.objects.filter(user=locked).delete()
    token_revoke_all(user=locked)
    LogEntry.objects.log_create(
        locked,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"second_factor": ["on" if removed else "off", "reset"]},
        additional_data={"reason": reason[:500]},
    )
    return removed


@transaction.atomic
def coordinator_hand_over(
    *, actor: Any, account: User, address: str, display_name: str, link_base: str
) -> Invitation:
    """A coordinator leaves: their account is deactivated now and a successor is invited for the same unit. The old
    account, its records and the invitation naming it as predecessor stay in the history."""
    locked = _manageable(actor, account)
    if locked.role != Role.UNIT_COORDINATOR or locked.organization is None:
        raise ValidationError(_("Only a unit coordinator's account is handed over to a successor."))
    invitation = invitation_create(
        actor=actor,
        address=address,
        role=Role.UNIT_COORDINATOR,
        organization=locked.organization,
        display_name=display_name,
        link_base=link_base,
        replaces=locked,
    )
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    token_revoke_all(user=locked)
    return invitation
