"""Who did it: every audit entry names its actor, whichever way the write came in.

django-auditlog's middleware reads ``request.user`` when the request arrives. A page's session user is known by
then; an API call's is not — django-ninja authenticates the bearer token later, inside the view — so API writes
were logged without an actor. Here the actor is read when the entry is written instead:

- in a request, from ``request.user`` at that moment (session, bearer token or any later authentication);
- in a task or a command, from :func:`acting_as`, which the task enters with the user it works for.

The request's client address comes from :func:`shiliu.accounts.client.client_ip` (the trusted proxy's header only
when configured) rather than auditlog's own reading of X-Forwarded-For, which any client can forge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from auditlog.cid import set_cid
from auditlog.context import set_extra_data
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse

from .client import client_ip

_request: ContextVar[HttpRequest | None] = ContextVar("shiliu_audit_request", default=None)
_actor: ContextVar[Any] = ContextVar("shiliu_audit_actor", default=None)


class AuditMiddleware:
    """Replaces ``auditlog.middleware.AuditlogMiddleware``: same correlation id and address, actor read late."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_cid(request)
        token = _request.set(request)
        try:
            with set_extra_data(context_data={"remote_addr": client_ip(request), "remote_port": None}):
                return self.get_response(request)
        finally:
            _request.reset(token)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Name ``user`` as the actor of every audit entry written inside the block (tasks, commands)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    user = _actor.get()
    if user is None:
        request = _request.get()
        user = getattr(request, "user", None) if request is not None else None
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


def fill_actor(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save of LogEntry: name the actor unless the writer named one."""
    if instance.actor_id is None:
        actor = current_actor()
        if actor is not None:
            instance.actor = actor
            instance.actor_email = getattr(actor, "email", None) or None
