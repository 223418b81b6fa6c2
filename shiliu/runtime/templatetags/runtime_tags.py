from __future__ import annotations

from django import template
from django.utils.html import format_html

from shiliu.runtime.services import submission_token

register = template.Library()


@register.simple_tag
def submission_field() -> str:
    """A hidden field with a fresh token: the form's second send is recognised and writes nothing twice."""
    return format_html('<input type="hidden" name="submission" value="{}">', submission_token())
