"""How the audit log reads to a person: record types, actions and field names in the interface's language, times
in local time, and only the record's own fields (auditlog also lists reverse relations on a create)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import pgettext_lazy

register = template.Library()

ACTIONS = {
    0: pgettext_lazy("audit action", "Created"),
    1: pgettext_lazy("audit action", "Changed"),
    2: pgettext_lazy("audit action", "Deleted"),
    3: pgettext_lazy("audit action", "Viewed"),
}


@register.filter
def model_name(content_type: ContentType | None) -> str:
    """The translated verbose name of a content type's model (audit log rows)."""
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model else ""


@register.filter
def action_label(entry: Any) -> str:
    return str(ACTIONS.get(entry.action, entry.get_action_display()))


def _shown(field: models.Field | None, value: Any) -> Any:
    if value in (None, "", "None"):
        return ""
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value.replace(" ", "T", 1))
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
    return value


@register.filter
def audit_changes(entry: Any) -> list[tuple[str, Any, Any]]:
    """(field label, old, new) for the record's own fields, in local time, labelled as on the forms."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, change in (entry.changes_dict or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and (field.auto_created and not field.concrete):
                continue  # a reverse relation ("offers", "children"): not a value of this record
        label = str(getattr(field, "verbose_name", name)) if field is not None else name
        old, new = (list(change) + ["", ""])[:2]
        rows.append((label, _shown(field, old), _shown(field, new)))
    return rows
