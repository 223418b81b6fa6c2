# No "from __future__ import annotations": django-ninja reads these annotations at import time.
import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.api_types import ErrorOut

from . import services
from .lockout import lockout_message

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=4096)
    otp: str = Field(
        "",
        pattern=r"^(\d{6})?$",
        description="the 6-digit TOTP code, for users who turned on two-step verification",
    )
    name: str = Field(
        "", max_length=60, description="what the token is for, shown on the account's token page"
    )


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime = Field(description="unless unused for SHILIU_API_TOKEN_IDLE_DAYS first")


class MeOut(Schema):
    username: str
    display_name: str
    role: str
    region_code: str | None
    unit_id: int | None


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut}, exclude_none=True)
def token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange a username and password (and the TOTP code, when two-step verification is on) for a bearer
    token. Failures count towards the login lockout."""
    try:
        raw, issued = services.token_issue(
            request=request,
            username=payload.username,
            password=payload.password,
            otp=payload.otp,
            name=payload.name,
        )
    except services.TokenRefused as refused:
        if getattr(request, "axes_locked_out", False):
            return Status(429, {"detail": lockout_message(request)})
        messages = {
            "otp_required": _(
                "Two-step verification is on for this account: send the 6-digit code of your authenticator "
                "app in the otp field."
            ),
            "otp_wrong": _("The code is wrong or has expired."),
            "otp_setup": _(
                "Staff accounts need two-step verification: set it up in the web app first (account menu, "
                "two-step verification)."
            ),
        }
        return Status(401, {"detail": messages.get(refused.reason, _("Wrong username or password."))})
    return Status(200, {"token": raw, "expires_at": issued.expires_at})


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    scope = scope_for(user)
    return {
        "username": user.get_username(),
        "display_name": getattr(user, "display_name", ""),
        "role": scope.role,
        "region_code": scope.prefix,
        "unit_id": scope.unit_id,
    }


from .onboarding.api import router as onboarding_router  # noqa: E402 - after this router's own operations

router.add_router("/", onboarding_router)
