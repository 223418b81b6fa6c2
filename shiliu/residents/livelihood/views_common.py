"""What the livelihood pages share: role guards, the form page, showing a service's error on a form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS, Role
from shiliu.lib.forms import attach_errors, error_text

readers = roles_required(*RECORD_READERS)
residents_only = roles_required(Role.RESIDENT)
everyone = roles_required(*RECORD_READERS, Role.RESIDENT)


def form_page(request: HttpRequest, form: Any, *, title: str, cancel: str, submit: str = "") -> HttpResponse:
    return render(
        request,
        "livelihood/form.html",
        {"form": form, "title": title, "cancel": cancel, "submit": submit or _("Save")},
        status=400 if form.errors else 200,
    )


def attach(form: Any, exc: ValidationError | PermissionDenied) -> None:
    attach_errors(form, exc)


def flash_error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, error_text(exc))
