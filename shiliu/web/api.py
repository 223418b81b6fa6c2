"""The HTTP API (django-ninja): OpenAPI docs at /api/docs, schema at /api/openapi.json.

Authentication: ``POST /api/token`` exchanges a username and password for a bearer token, sent as
``Authorization: Bearer <token>``. Browser pages may call the read endpoints with their session. Every
endpoint reads through the same scoped selectors as the web UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.security import HttpBearer, SessionAuth

from shiliu.accounts.api import router as accounts_router
from shiliu.accounts.middleware import second_factor_missing, second_factor_pending
from shiliu.accounts.services import token_user
from shiliu.culture.api import public_router as culture_public_router
from shiliu.culture.api import router as culture_router
from shiliu.exchanges.api import router as exchanges_router
from shiliu.indicators.api import router as indicators_router
from shiliu.lib.api_types import ErrorOut, ObjectParser
from shiliu.orgs.api import router as orgs_router
from shiliu.pairings.api import router as pairings_router
from shiliu.regions.api import router as regions_router
from shiliu.reports.api import router as reports_router
from shiliu.residents.api import router as residents_router
from shiliu.residents.livelihood.api import router as livelihood_router
from shiliu.residents.requests.api import hotline_router
from shiliu.residents.requests.api import public_router as public_requests_router
from shiliu.residents.requests.api import router as requests_router

logger = logging.getLogger("shiliu.web.api")


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(raw=token)
        if user is not None:
            request.user = user
        return user


# What each error status means; every operation declares the ones it can answer with (see _declare_errors).
ERRORS = {
    400: "The body is not a JSON object, or the request holds a NUL character.",
    401: "Not authenticated: log in (with the second factor, when turned on) or send a valid API token.",
    403: "Outside the caller's jurisdiction or role.",
    404: "No such record visible to the caller.",
    413: "The request body is larger than the upload limit.",
    422: "The request is not valid; ``errors`` names the problems.",
    429: "Too many failed logins.",
}


def _declare_errors(schema: dict[str, Any]) -> None:
    """Add the error responses an operation can give to its OpenAPI description, all with the one error body.

    Authenticated operations answer 401 and 403; operations with input 400 and 422 (and 413 when they take a
    body); operations naming a record in the path or the body 404.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            codes: set[int] = set()
            has_body = "requestBody" in operation
            params = operation.get("parameters", [])
            if operation.get("security"):
                codes |= {401, 403}
            if has_body or params:
                codes |= {400, 422}
            if has_body:
                codes |= {404, 413}
            if any(p.get("in") == "path" for p in params):
                codes.add(404)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), {"description": ERRORS[code], **ref})


class ShiliuAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``shiliu_<app>_api_<function>``: named by the app, not the module, so that code can move inside an app
        (the exchanges features each have their own api module) without changing what clients call it."""
        module = operation.view_func.__module__.split(".")
        app = module[1] if len(module) > 2 and module[0] == "shiliu" else "_".join(module)
        return f"shiliu_{app}_api_{operation.view_func.__name__}"

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _declare_errors(schema)
        return schema


class VerifiedSession(SessionAuth):
    """The browser's session, on the same terms as the pages: a user who turned on a second factor must have
    entered the code in this session, or the API answers 401 as if nobody had logged in."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if second_factor_pending(request) or second_factor_missing(request.user):
            return None
        return super().authenticate(request, key)


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's docs and schema are for people who use it: a logged-in session (past the second factor, when
    one is on) or a valid token. Anonymous visitors are sent to the login page (docs) or get a 401 (schema).
    See docs/adr/0004-api-docs-need-a-login.md."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not second_factor_pending(request):
            return view(request, *args, **kwargs)
        scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and raw.strip() and token_user(raw=raw.strip()) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return on_auth_error(request, AuthenticationError())
        if second_factor_pending(request):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return redirect_to_login(request.get_full_path())

    return wrapped


api = ShiliuAPI(
    title="Shiliu API",
    version="1",
    description="Scoped access to Shiliu's records. Lists page as {items, count}.",
    urls_namespace="api",
    auth=[BearerToken(), VerifiedSession()],
    parser=ObjectParser(),
    docs_url="/docs",
    docs_decorator=_docs_access,
    openapi_url="/openapi.json",
)
api.add_router("/", accounts_router)
api.add_router("/", regions_router)
api.add_router("/", orgs_router)
api.add_router("/", pairings_router)
api.add_router("/", exchanges_router)
api.add_router("/", residents_router)
api.add_router("/", requests_router)
api.add_router("/", hotline_router)
api.add_router("/", public_requests_router)
api.add_router("/", culture_router)
api.add_router("/", culture_public_router)
api.add_router("/", livelihood_router)
api.add_router("/", indicators_router)
api.add_router("/", reports_router)


def _error(request: HttpRequest, status: int, detail: Any, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request,
        401,
        _(
            "Authentication required: log in (with the code of two-step verification, when it is on) or send "
            "a valid API token."
        ),
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # django-ninja's "Cannot parse request body"
        return _error(request, 400, _("The request body must be a JSON object."))
    return _error(request, exc.status_code, str(exc))


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
