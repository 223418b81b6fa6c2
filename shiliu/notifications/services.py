from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from shiliu.lib import clock

from .models import Notification


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    text: str,
    link: str = "",
    key: str,
    kind: str = "",
    target_id: int | None = None,
) -> int:
    """Send one in-app notification per recipient; a key already sent to a recipient is skipped.

    ``kind`` and ``target_id`` name the record the notice is about (see :mod:`shiliu.notifications.kinds`): the list
    then shows the record's current facts, and :func:`notifications_settle` can close the notice when it is done.
    A new notice about a record marks the recipient's older unread ones about it read, and the list shows only the
    newest notice of each record.
    """
    created = 0
    for user in {u.pk: u for u in recipients}.values():
        obj, made = Notification.objects.get_or_create(
            recipient=user,
            key=key,
            defaults={"text": text, "link": link, "kind": kind, "target_id": target_id},
        )
        created += made
        if made and kind and target_id is not None:
            # A newer notice about the same record (a reminder after the "new item" notice) supersedes the older
            # ones: both read the record's facts now, so the bell counted one item twice.
            Notification.objects.filter(
                recipient=user, kind=kind, target_id=target_id, read_at__isnull=True
            ).exclude(pk=obj.pk).update(read_at=clock.now())
    return created


def notifications_mark_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=clock.now())


def notification_open(*, user: Any, pk: int) -> Notification:
    """Open one of the user's notices: it is read from now on. Raises ``Notification.DoesNotExist`` for another
    user's notice."""
    notice = Notification.objects.get(pk=pk, recipient_id=user.pk)
    if notice.read_at is None:
        notice.read_at = clock.now()
        notice.save(update_fields=["read_at"])
    return notice


def notifications_settle(*, kind: str, target_id: int) -> int:
    """What these notices asked for is done (the proposal answered, the activity confirmed): they no longer wait
    in anyone's bell. Called by the service that did it."""
    return Notification.objects.filter(kind=kind, target_id=target_id, read_at__isnull=True).update(
        read_at=clock.now()
    )


def deliver_user_notice(
    sender: Any, *, user: Any, text: str, key: str, link: str = "", **kwargs: Any
) -> None:
    """Receiver of accounts' ``user_notice``: one notification, once per key."""
    notify(recipients=[user], text=text, link=link, key=key)
