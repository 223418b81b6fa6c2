from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who has passed the password but not yet the second factor may still reach.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/api/")


class SecondFactorMiddleware:
    """Users who have confirmed a TOTP device must enter a code before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(_OPEN_PREFIXES)
            and _has_device(user)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return self.get_response(request)


def _has_device(user: object) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))
