from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from shiliu.lib import clock

from .models import Notification


@transaction.atomic
def notify(*, recipients: Iterable[Any], text: str, link: str = "", key: str) -> int:
    """Send one in-app notification per recipient; a key already sent to a recipient is skipped."""
    created = 0
    for user in {u.pk: u for u in recipients}.values():
        _obj, made = Notification.objects.get_or_create(
            recipient=user, key=key, defaults={"text": text, "link": link}
        )
        created += made
    return created


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


def deliver_user_notice(
    sender: Any, *, user: Any, text: str, key: str, link: str = "", **kwargs: Any
) -> None:
    """Receiver of accounts' ``user_notice``: one notification, once per key."""
    notify(recipients=[user], text=text, link=link, key=key)
