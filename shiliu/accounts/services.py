"""Writes about accounts: users, API tokens, second-factor devices."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from shiliu.jurisdiction.roles import Role
from shiliu.regions.models import Region

from .audit import acting_as
from .models import ApiToken, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region: Region | None = None,
    organization: Any = None,
    display_name: str = "",
    is_demo: bool = False,
    validate: bool = True,
) -> User:
    """Create a user. Scoped roles need a region; coordinators need a unit inside that region."""
    user = User(
        username=username,
        role=role,
        region=region,
        organization=organization,
        display_name=display_name,
        is_demo=is_demo,
        is_staff=role == Role.PLATFORM_ADMIN,
        is_superuser=role == Role.PLATFORM_ADMIN,
    )
    if (
        role == Role.UNIT_COORDINATOR
        and organization is not None
        and region is not None
        and not organization.region_id.startswith(region.code)
    ):
        raise ValidationError({"organization": _("The unit lies outside the user's jurisdiction.")})
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


class TokenRefused(Exception):
    """Why no token was issued: ``credentials`` (counted by the login lockout), ``otp_required``, ``otp_wrong`` or
    ``otp_setup`` (staff who must set up a second factor first)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_issue(
    *, request: HttpRequest, username: str, password: str, otp: str = "", name: str = ""
) -> tuple[str, ApiToken]:
    """Check the credentials and, for a user who turned on a second factor, the TOTP code; return a new token
    or raise TokenRefused. A token is as strong as a login: it never skips the second factor."""
    from django_otp import match_token

    from .middleware import has_second_factor, second_factor_missing

    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise TokenRefused("credentials")
    if second_factor_missing(user):
        raise TokenRefused("otp_setup")
    if has_second_factor(user):
        if not otp:
            raise TokenRefused("otp_required")
        if match_token(user, otp) is None:  # django-otp throttles repeated wrong codes per device
            raise TokenRefused("otp_wrong")
    with acting_as(user):  # the request is anonymous until the token exists
        return token_create(user=user, name=name)


def token_create(*, user: User, name: str = "") -> tuple[str, ApiToken]:
    """A new token for ``user`` (the raw value, shown once, and the stored record). Callers have checked the
    password and second factor: token_issue for the API, a verified session for the token page."""
    raw, key_hash = ApiToken.new_raw()
    token = ApiToken(
        user=user,
        name=name.strip(),
        key_hash=key_hash,
        prefix=raw[:8],
        expires_at=timezone.now() + dt.timedelta(days=settings.SHILIU_API_TOKEN_DAYS),
    )
    token.full_clean()
    token.save()
    return raw, token


def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied(_("Only the owner can revoke a token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_user(*, raw: str) -> User | None:
    """The user of a live token (see ApiTokenQuerySet.live), or None."""
    token = ApiToken.objects.matching(raw).select_related("user").first()
    if token is None or not token.user.is_active:
        return None
    # Touch at most once a minute, to keep reads cheap.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke_all(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def totp_device_start(*, user: User) -> TOTPDevice:
    """Begin TOTP enrolment: an unconfirmed device replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Shiliu", confirmed=False)


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # Tokens issued so far needed only the password, which is what the second factor guards against.
    token_revoke_all(user=user)
    return device


def user_set_senior_mode(*, user: User, on: bool) -> User:
    """Remember the user's choice of senior mode (长辈模式) on every device they log in from."""
    if user.senior_mode != on:
        user.senior_mode = on
        user.save(update_fields=["senior_mode"])
    return user


def totp_key_for_typing(device: Any) -> str:
    """The device's secret as authenticator apps take it when typed by hand: Base32 (what the QR code's otpauth
    link carries), without padding, in groups of four. django-otp stores it in hex, which no app accepts."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
