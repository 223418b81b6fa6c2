"""Login lockout that an attacker cannot turn against the account's owner.

Three limits, all over the last AXES_COOLOFF_TIME (30 minutes), on the client address of
:func:`shiliu.accounts.client.client_ip`:

- an account from one address: 5 failures lock that pair (django-axes' own rule);
- one address, any accounts: SHILIU_LOCKOUT_ADDRESS_LIMIT failures lock the address (password spraying) for
  every browser but those the account logged in from before;
- an account from anywhere: after SHILIU_LOCKOUT_ACCOUNT_FREE failures every further attempt from a client the
  account has never logged in from waits a delay that doubles with each failure, up to
  SHILIU_LOCKOUT_MAX_DELAY_SECONDS. It is a delay, not a lock: an attacker elsewhere slows guessing down to a
  few tries an hour but cannot keep the owner out, because the owner's browser (a signed cookie set at each
  login) and the addresses the owner logged in from in the last 30 days are never delayed. The owner is told
  in the app when the account crosses the threshold.

A refused attempt is not counted as a failure (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so hammering a
locked door does not keep it locked.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core import signing
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

DEVICE_COOKIE = "shiliu_device"
DEVICE_SALT = "shiliu.accounts.known-device"
DEVICE_DAYS = 180
KNOWN_ADDRESS_DAYS = 30


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)


def _sum(rows: Any) -> int:
    return rows.aggregate(n=Sum("failures_since_start"))["n"] or 0


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful login: this browser is the account's own and is never delayed."""
    names = [n for n in known_devices(request) if n != username][-4:] + [username]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(names, salt=DEVICE_SALT),
        max_age=DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_devices(request: HttpRequest) -> list[str]:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        names = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def _known_client(request: HttpRequest, username: str) -> bool:
    if username in known_devices(request):
        return True
    address = getattr(request, "axes_ip_address", None)
    since = timezone.now() - dt.timedelta(days=KNOWN_ADDRESS_DAYS)
    return (
        bool(address)
        and AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).exists()
    )


def account_delay(request: HttpRequest, username: str | None) -> int:
    """Seconds an unknown client must still wait before trying this account again (0: go ahead)."""
    if not username:
        return 0
    rows = AccessAttempt.objects.filter(username=username, attempt_time__gte=_window_start())
    figures = rows.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    over = (figures["n"] or 0) - settings.SHILIU_LOCKOUT_ACCOUNT_FREE
    if over < 0 or _known_client(request, username):
        return 0
    delay = min(2 ** min(over, 30), settings.SHILIU_LOCKOUT_MAX_DELAY_SECONDS)
    remaining = (figures["last"] + dt.timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, math.ceil(remaining))


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with the address-wide lock and the account-wide delay added."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair = super().get_failures(request, credentials)
        address_rows = AccessAttempt.objects.filter(
            ip_address=getattr(request, "axes_ip_address", None), attempt_time__gte=_window_start()
        )
        address = _sum(address_rows)
        # An office behind one NAT address shares this count; a browser the account logged in from before is
        # still let through (the account's own limit above still applies to it).
        if address >= settings.SHILIU_LOCKOUT_ADDRESS_LIMIT and not _known_client(
            request, get_client_username(request, credentials)
        ):
            return max(pair, get_failure_limit(request, credentials))
        return pair

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        wait = account_delay(request, get_client_username(request, credentials))
        if wait:
            request.shiliu_retry_after = wait  # type: ignore[attr-defined]
            return True
        return False

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and not getattr(request, "shiliu_retry_after", 0):
            _tell_owner(get_client_username(request, credentials))


def _tell_owner(username: str | None) -> None:
    """The failure that crosses the account-wide threshold tells the owner (once an hour at most)."""
    from .models import User
    from .signals import user_notice

    if not username:
        return
    rows = AccessAttempt.objects.filter(username=username, attempt_time__gte=_window_start())
    figures = rows.aggregate(n=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True))
    if figures["n"] != settings.SHILIU_LOCKOUT_ACCOUNT_FREE:
        return
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None:
        return
    text = _(
        "%(n)d failed logins to your account in the last %(minutes)d minutes, from %(addresses)d addresses. "
        "If this was not you, change your password and turn on two-step verification; your own browser is "
        "not slowed down."
    ) % {
        "n": figures["n"],
        "minutes": round(settings.AXES_COOLOFF_TIME * 60),
        "addresses": figures["addresses"],
    }
    key = "login-failures-" + timezone.localtime().strftime("%Y%m%d%H")
    user_notice.send(sender=User, user=owner, text=text[:300], link="", key=key)


def lockout_message(request: HttpRequest) -> str:
    wait = getattr(request, "shiliu_retry_after", 0)
    if wait:
        return _("Too many failed logins to this account: try again in %(seconds)d seconds.") % {
            "seconds": wait
        }
    return _("Too many failed logins: this account is locked for 30 minutes.")


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """What a refused login gets: a JSON error on the API, the lockout page everywhere else."""
    wait = getattr(request, "shiliu_retry_after", 0)
    message = lockout_message(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {"message": message, "wait": wait}, status=429)
    response["Retry-After"] = str(wait or round(settings.AXES_COOLOFF_TIME * 3600))
    return response
