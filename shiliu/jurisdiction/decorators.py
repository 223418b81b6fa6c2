"""View guards: the roles a page admits, and the acting user typed as Shiliu's user model."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .scope import scope_for

if TYPE_CHECKING:
    from shiliu.accounts.models import User  # a type only: the layer itself works on any user with a scope


def roles_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse (403) users whose role is not one of ``roles``; use after ``login_required``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied(_("Your role does not give access to this page."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def readers_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """For API routers on records: the roles the pages let in (RECORD_READERS), others get 403 as on the pages."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not scope_for(request.user).reads_records:
            raise PermissionDenied(_("Your role does not give access to these records."))
        return view(request, *args, **kwargs)

    return wrapped


def acting_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind ``login_required``, typed as Shiliu's user model."""
    return cast("User", request.user)
