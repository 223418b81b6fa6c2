from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType

register = template.Library()


@register.filter
def model_name(content_type: ContentType | None) -> str:
    """The translated verbose name of a content type's model (audit log rows)."""
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model else ""
