"""Messages to people outside the platform (an invitation link by e-mail or text message), through a pluggable
backend chosen by ``SHILIU_MESSAGE_BACKEND`` — the way Django picks its e-mail backend.

Shiliu's own inbox (``shiliu.notifications``) reaches people who have an account; this reaches those who do not
have one yet. Backends:

- :class:`ConsoleBackend` (default): writes each message to the log, for the demo and a first installation;
- :class:`LocmemBackend`: keeps messages in :data:`outbox`, for tests (like ``django.core.mail.outbox``);
- :class:`EmailBackend`: e-mail through Django's configured mail backend; a phone number is refused, since
  text messages need a provider contract (write a backend with a ``send(message)`` method for it).

A backend is a class with ``send(message: Message) -> None`` that raises :class:`DeliveryError` when it cannot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("shiliu.messages")

EMAIL = "email"
SMS = "sms"


@dataclass(frozen=True)
class Message:
    """One message to one address: ``channel`` is :data:`EMAIL` or :data:`SMS`."""

    to: str
    subject: str
    body: str
    channel: str = EMAIL


class DeliveryError(Exception):
    """The backend could not hand the message on; the text says why, for the sender."""


class Backend(Protocol):
    def send(self, message: Message) -> None: ...


class ConsoleBackend:
    """Logs the message (recipient, subject, body): nothing leaves the machine."""

    def send(self, message: Message) -> None:
        logger.info("[%s to %s] %s\n%s", message.channel, message.to, message.subject, message.body)


outbox: list[Message] = []


class LocmemBackend:
    """Keeps every message in :data:`outbox` (tests read the invitation links there)."""

    def send(self, message: Message) -> None:
        outbox.append(message)


class EmailBackend:
    """E-mail through ``django.core.mail`` (configure EMAIL_HOST etc.); text messages are refused."""

    def send(self, message: Message) -> None:
        from django.core.mail import send_mail

        if message.channel != EMAIL:
            raise DeliveryError(_("This installation cannot send text messages; invite by e-mail instead."))
        try:
            send_mail(message.subject, message.body, None, [message.to])
        except OSError as exc:
            raise DeliveryError(_("The e-mail could not be sent: %(reason)s") % {"reason": exc}) from exc


def backend() -> Backend:
    path = getattr(settings, "SHILIU_MESSAGE_BACKEND", "shiliu.lib.messaging.ConsoleBackend")
    cls: Any = import_string(path)
    return cls()  # type: ignore[no-any-return]


def send(message: Message) -> None:
    """Hand ``message`` to the configured backend; raises :class:`DeliveryError` when it cannot."""
    backend().send(message)
