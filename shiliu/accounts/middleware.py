from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from shiliu.jurisdiction.roles import STAFF_ROLES

# What a user who has passed the password but not yet the second factor may still reach: the code page, logging
# in and out, the language switch and static files. Not the rest of /accounts/: enrolling another device there
# would get a session past the second factor with the password alone. /api/ refuses such a session itself.
_OPEN_PATHS = ("accounts:otp_verify", "accounts:login", "accounts:logout")
_OPEN_PREFIXES = ("/i18n/", "/static/", "/api/")


def second_factor_pending(request: HttpRequest) -> bool:
    """A session whose user has confirmed a TOTP device but has not entered a code in this session.

    Pages send it to the code page (below); the API treats it as not logged in (``shiliu.web.api``).
    """
    user = request.user
    return (
        user.is_authenticated
        and not getattr(user, "is_verified", lambda: True)()  # added by OTPMiddleware
        and has_second_factor(user)
    )


# What staff who must set up a second factor may reach before they have one.
_SETUP_PATHS = ("accounts:otp_setup", "accounts:login", "accounts:logout")


def second_factor_missing(user: object) -> bool:
    """Staff (commission staff, platform admins) without a confirmed device, where
    ``SHILIU_STAFF_SECOND_FACTOR`` requires one (on by default in production): they reach only the set-up page,
    and the API does not take their session nor issue them a token. An invited staff member is sent to the set-up
    page on accepting; this holds them there if they leave it."""
    return (
        settings.SHILIU_STAFF_SECOND_FACTOR
        and getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in STAFF_ROLES
        and not has_second_factor(user)
    )


class SecondFactorMiddleware:
    """Users who have confirmed a TOTP device must enter a code before anything else.

    /api/ is left to the API's own authentication, which refuses such a session with a JSON 401.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(_OPEN_PREFIXES)
            and request.path not in {reverse(name) for name in _OPEN_PATHS}
            and second_factor_pending(request)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        if (
            not request.path.startswith(_OPEN_PREFIXES)
            and request.path not in {reverse(name) for name in _SETUP_PATHS}
            and second_factor_missing(request.user)
        ):
            return redirect("accounts:otp_setup")
        return self.get_response(request)


def has_second_factor(user: object) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))
