"""Users, roles, jurisdiction scope and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shiliu.jurisdiction.roles import Role


class User(AbstractUser):
    """A person using Shiliu. Their jurisdiction is ``region`` (a division code prefix); coordinators are
    also tied to ``organization``, the unit they act for."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Records in this division and below are visible. Empty only for platform administrators."
        ),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)
    # 长辈模式 (MIIT's requirements for older users): larger text and controls, high contrast, main tasks first.
    senior_mode = models.BooleanField(
        _("senior mode"),
        default=False,
        help_text=_("Larger text and buttons, stronger contrast and your main tasks first, on every device."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="platform_admin") | models.Q(region__isnull=False),
                name="user_scoped_roles_have_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="unit_coordinator") | models.Q(organization__isnull=False),
                name="user_coordinator_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.PLATFORM_ADMIN

    @property
    def is_staff_member(self) -> bool:
        """Commission staff and platform admins: the roles offered a second factor."""
        return self.role in (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def matching(self, raw: str) -> ApiTokenQuerySet:
        return self.filter(key_hash=_hash_token(raw)).live()

    def live(self) -> ApiTokenQuerySet:
        """Not revoked, not past its lifetime, and used (or created) within the idle timeout."""
        now = timezone.now()
        idle_since = now - dt.timedelta(days=settings.SHILIU_API_TOKEN_IDLE_DAYS)
        return self.filter(revoked_at__isnull=True, expires_at__gt=now).filter(
            models.Q(last_used_at__gte=idle_since)
            | models.Q(last_used_at__isnull=True, created_at__gte=idle_since)
        )


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the raw token is shown once.

    A token lives SHILIU_API_TOKEN_DAYS from its creation and dies sooner when unused for
    SHILIU_API_TOKEN_IDLE_DAYS; its owner lists and revokes it on the account's token page.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("what the token is for"))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def idle_expires_at(self) -> dt.datetime:
        return (self.last_used_at or self.created_at) + dt.timedelta(days=settings.SHILIU_API_TOKEN_IDLE_DAYS)

    @property
    def ends_at(self) -> dt.datetime:
        """When the token stops working unless used again: its lifetime or its idle timeout, the sooner."""
        return min(self.expires_at, self.idle_expires_at)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.ends_at > timezone.now()

    @classmethod
    def new_raw(cls) -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")


class Invitation(models.Model):
    """A one-time link that lets a person create their account with a role fixed by whoever invited them.

    Only a SHA-256 of the link's token is stored; the link works once, until ``expires_at``, and dies when revoked
    or sent again (a resend makes a new token). ``replaces`` names the coordinator whose unit the new account takes
    over: that account was deactivated when the successor was invited, and both stay in the history.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    address = models.CharField(_("e-mail or mobile number"), max_length=254, db_index=True)
    display_name = models.CharField(_("name"), max_length=64, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="invitations_sent"
    )
    replaces = models.ForeignKey(
        User,
        verbose_name=_("successor of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor_invitations",
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitation",
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    # Sent once the invitation is saved (never from inside its transaction, so a rolled-back invitation sends no
    # link); when the backend refused, why — shown in the list with the resend button.
    delivery_error = models.CharField(_("not delivered"), max_length=200, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit_coordinator") | models.Q(organization__isnull=False),
                name="invitation_coordinator_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_role_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)

    @property
    def is_open(self) -> bool:
        """Not accepted and not revoked: it may be sent again (an expired one too) or revoked."""
        return self.accepted_at is None and self.revoked_at is None

    @classmethod
    def new_key(cls) -> tuple[str, str]:
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_token(raw)
