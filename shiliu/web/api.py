"""The HTTP API (django-ninja): OpenAPI docs at /api/docs, schema at /api/openapi.json.

Authentication: ``POST /api/token`` exchanges a username and password for a bearer token, sent as
``Authorization: Bearer <token>``. Browser pages may call the read endpoints with their session. Every
endpoint reads through the same scoped selectors as the web UI.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from shiliu.accounts.api import router as accounts_router
from shiliu.accounts.services import token_user
from shiliu.exchanges.api import router as exchanges_router
from shiliu.orgs.api import router as orgs_router
from shiliu.pairings.api import router as pairings_router
from shiliu.regions.api import router as regions_router

logger = logging.getLogger("shiliu.api")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(raw=token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Shiliu API",
    version="1",
    description="Scoped access to Shiliu's records. Lists page as {items, count}.",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", accounts_router)
api.add_router("/", regions_router)
api.add_router("/", orgs_router)
api.add_router("/", pairings_router)
api.add_router("/", exchanges_router)


def _error(request: HttpRequest, status: int, detail: Any, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Authentication required: log in or send a valid API token."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("You do not have permission for this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(NinjaValidationError)
def on_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"loc": e.get("loc"), "msg": e.get("msg")} for e in exc.errors]
    return _error(request, 422, _("The request is not valid."), errors=errors)


@api.exception_handler(DjangoValidationError)
def on_model_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, _("The request is not valid."), errors=errors)


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else (a bug, the database gone): logged with its traceback, answered as JSON, never as a page."""
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return _error(request, 500, _("Server error: the error has been logged; please try again later."))
