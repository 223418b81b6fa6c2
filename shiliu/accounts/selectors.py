from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone


def audit_entries(
    *,
    user: Any = None,
    model: ContentType | None = None,
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[LogEntry]:
    """The audit trail, newest first. Only platform admins reach this (checked by the view)."""
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if user is not None:
        qs = qs.filter(actor=user)
    if model is not None:
        qs = qs.filter(content_type=model)
    if object_id:
        qs = qs.filter(object_pk=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(timestamp__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(
            timestamp__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    return qs


def api_tokens(*, user: Any) -> QuerySet[Any]:
    """The user's own API tokens, newest first (live, revoked and ended alike): nobody lists anyone else's."""
    from .models import ApiToken

    return ApiToken.objects.filter(user=user).order_by("-created_at")[:50]


def commission_staff_over(code: str) -> list[Any]:
    """Active commission staff whose jurisdiction covers a division code: the people to tell about it."""
    from shiliu.jurisdiction.roles import Role
    from shiliu.regions.models import code_and_ancestors

    from .models import User

    return list(
        User.objects.filter(
            role=Role.COMMISSION_STAFF, is_active=True, region_id__in=code_and_ancestors(code)
        )
    )
