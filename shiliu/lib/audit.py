"""Logging that someone looked at personal data (an auditlog "access" entry), in one place.

Changes to records are logged by django-auditlog itself; a *view* of sensitive personal information (a phone number
shown in full, a roster of minors) is not a change, so the services that show one call :func:`log_access`.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry


def log_access(*, actor: Any, record: Any, purpose: str, fields: tuple[str, ...] = ()) -> LogEntry | None:
    """Record that ``actor`` saw ``fields`` of ``record`` (or the record as a whole) for ``purpose``.

    Field values are never written to the log, only their names.
    """
    return LogEntry.objects.log_create(
        record,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes={field: ["***", "***"] for field in fields},
        additional_data={"purpose": purpose, **({"field": fields[0]} if len(fields) == 1 else {})},
    )
