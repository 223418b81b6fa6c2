from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType

register = template.Library()


@register.filter
def model_name(content_type: ContentType | None) -> str:
    """The translated verbose name of a content type's model (audit log rows)."""
    model = content_type.model_class() if content_type else None
    return str(model._meta.verbose_name) if model else ""


@register.simple_tag
def submission_field() -> str:
    """A hidden field with a fresh token: the form's second send is recognised and writes nothing twice."""
    from django.utils.html import format_html

    from shiliu.core.services import submission_token

    return format_html('<input type="hidden" name="submission" value="{}">', submission_token())
