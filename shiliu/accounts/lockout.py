"""What a locked-out login gets: a JSON error on the API, the lockout page everywhere else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many failed logins: this account is locked for 30 minutes.")}, status=429
        )
    return render(request, "accounts/locked_out.html", status=429)
