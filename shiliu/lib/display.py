"""How a page is shown to one person: senior mode (长辈模式) for logged-in users and for anonymous visitors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

# Anonymous visitors (the login page) keep their choice in this cookie; logged-in users on their account.
SENIOR_MODE_COOKIE = "shiliu_senior"
_YEAR = 365 * 24 * 3600


def senior_mode(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(getattr(user, "senior_mode", False))
    return request.COOKIES.get(SENIOR_MODE_COOKIE) == "1"


def remember_senior_mode(response: HttpResponse, *, on: bool) -> HttpResponse:
    """Keep the choice for this browser too, so the login page after logging out looks the same."""
    response.set_cookie(SENIOR_MODE_COOKIE, "1" if on else "0", max_age=_YEAR, samesite="Lax", httponly=True)
    return response
