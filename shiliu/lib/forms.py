from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

# Primary keys are 64-bit: a larger number names no record (and SQLite cannot compare with it).
MAX_ID = 2**63 - 1


class FormRenderer(TemplatesSetting):
    """Widgets render through TEMPLATES (so apps can define widgets), and ``{{ field.as_field_group }}`` renders
    a field the accessible way everywhere: forms/field.html ties the label to the control and renders help text and
    errors under the ids Django's ``aria-describedby`` points at."""

    field_template_name = "forms/field.html"


def error_text(exc: Exception) -> str:
    """A service error as one line for a flash message."""
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def require_valid(form: forms.BaseForm) -> dict[str, Any]:
    """The cleaned data of a small inline form, or a ValidationError naming each field ("人次：…") for a flash
    message — for forms that post from a detail page and redirect back to it."""
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
                for name, errors in form.errors.items()
                for error in errors
            ]
        )
    return form.cleaned_data


def id_param(query: Mapping[str, Any], name: str) -> int | None:
    """An id from the query string: None when absent or not a number (the filter is ignored, as for any
    unknown value); a 400 with a clear message when it is a number no record can have."""
    raw = query.get(name, "")
    if not raw.isdigit():
        return None
    if len(raw) > 19 or int(raw) > MAX_ID:
        raise BadRequest(_("The parameter %(name)s is not a valid id.") % {"name": name})
    return int(raw)


def date_param(query: QueryDict, name: str) -> dt.date | None:
    """An ISO date from posted data or the query string; None when absent, a ValidationError (for the page's
    message) when it is no date at all, such as 2026-13-45."""
    raw = query.get(name, "")
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(_("The date %(value)s is not valid.") % {"value": raw[:20]})
    return value


def attach_errors(form: forms.BaseForm, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's error on the form: field errors on their fields, the rest (and refusals) on top."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DatePicker(forms.DateInput):
    """A browser date picker. It only accepts ISO dates, whatever the UI language's date format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def no_control_characters(value: Any) -> None:
    """Refuse invisible control characters (a bell, an escape, a text-direction override) pasted into a name or a
    title: they print as nothing or reorder the text around them. Line breaks and tabs are allowed."""
    if isinstance(value, str) and (found := _CONTROL.search(value)):
        raise ValidationError(
            _("Remove the invisible control character (U+%(code)04X) at position %(at)d; retype the text.")
            % {"code": ord(found.group()), "at": found.start() + 1},
            code="control_character",
        )


EMPTY_DASHES = "---------"


def empty_choice_label() -> str:
    """What an empty select reads: "请选择…", not Django's "---------"."""
    return _("Choose…")


def placeholder_empty_choices(form: forms.BaseForm) -> None:
    """Replace Django's "---------" empty choice with a readable placeholder in every select of the form (model
    choice fields' ``empty_label`` and the blank choice of choice fields). :func:`style_form` calls it, so every
    form styled the project's way gets it; forms styled by hand call it themselves."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == EMPTY_DASHES:
                field.empty_label = empty_choice_label()
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if any(value == "" and label == EMPTY_DASHES for value, label in choices):
                field.choices = [
                    (value, empty_choice_label() if value == "" and label == EMPTY_DASHES else label)
                    for value, label in choices
                ]


def style_form(form: forms.BaseForm, *, small_selects: bool = False) -> None:
    """Give every widget its Bootstrap class (the templates render fields as they come), empty selects a readable
    placeholder, and refuse control characters in every text field (:func:`no_control_characters`)."""
    placeholder_empty_choices(form)
    select_class = "form-select form-select-sm" if small_selects else "form-select"
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and no_control_characters not in field.validators:
            field.validators.append(no_control_characters)
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault(
                "class", select_class if isinstance(widget, forms.Select) else "form-control"
            )
