"""The 12345 hotline: orders (工单) come in through a signed, idempotent intake (the API) or an Excel file of a day's
orders; status changes and replies go back through a pluggable connector chosen by ``SHILIU_HOTLINE_CONNECTOR``,
like the message backends of ``shiliu.lib.messaging``:

- :class:`ConsoleConnector` (default): logs each update, for development and the demo;
- :class:`LocmemConnector`: keeps updates in :data:`sent`, for tests.

A connector is a class with ``send(update: HotlineUpdate) -> None``. A request is handled once whatever channel it
came by: the order number is unique on the request, and a second delivery of the same order returns the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import ServiceRequest

logger = logging.getLogger("shiliu.hotline")


@dataclass(frozen=True)
class HotlineUpdate:
    order_number: str
    tracking_number: str
    status: str
    text: str
    at: dt.datetime


class Connector(Protocol):
    def send(self, update: HotlineUpdate) -> None: ...


class ConsoleConnector:
    def send(self, update: HotlineUpdate) -> None:
        logger.info(
            "[12345 %s] %s %s: %s", update.order_number, update.tracking_number, update.status, update.text
        )


sent: list[HotlineUpdate] = []


class LocmemConnector:
    def send(self, update: HotlineUpdate) -> None:
        sent.append(update)


def connector() -> Connector:
    path = getattr(settings, "SHILIU_HOTLINE_CONNECTOR", "shiliu.residents.requests.hotline.ConsoleConnector")
    cls: Any = import_string(path)
    return cls()  # type: ignore[no-any-return]


def send_update(*, request: ServiceRequest, text: str) -> None:
    """Tell the hotline platform about a request that came from it (a failure is logged, never blocks the work)."""
    from shiliu.lib import clock

    if not request.hotline_order_number:
        return
    update = HotlineUpdate(
        order_number=request.hotline_order_number,
        tracking_number=request.tracking_number,
        status=request.status,
        text=text,
        at=clock.now(),
    )
    try:
        connector().send(update)
    except Exception:  # a platform outage must not undo the answer
        logger.exception("The 12345 connector failed for %s", request.hotline_order_number)


def signature_of(body: bytes) -> str:
    secret = getattr(settings, "SHILIU_HOTLINE_SECRET", "")
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(body: bytes, signature: str) -> bool:
    """HMAC-SHA256 of the raw body with the shared secret; no secret configured means no intake at all."""
    if not getattr(settings, "SHILIU_HOTLINE_SECRET", ""):
        return False
    return hmac.compare_digest(signature_of(body), (signature or "").strip().lower())
