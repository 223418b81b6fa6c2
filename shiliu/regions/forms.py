"""The region picker: a form field holding a division code, searched by pinyin in the browser."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region
from .selectors import region_full_name


class RegionPickerWidget(forms.Widget):
    template_name = "regions/widgets/picker.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        level: str = "",
        units_target: str = "",
        units_kind: str = "",
    ) -> None:
        super().__init__(attrs)
        self.level = level
        # The id of a <select> to fill with the chosen region's units (pairing forms), and their kind if only one.
        self.units_target = units_target
        self.units_kind = units_kind

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = value.code if isinstance(value, Region) else (value or "")
        region = Region.objects.filter(code=code).first() if code else None
        context["widget"].update(
            code=code,
            label=region_full_name(region) if region else "",
            level=self.level,
            units_target=self.units_target,
            units_kind=self.units_kind,
        )
        return context


class RegionField(forms.Field):
    """A division code, validated against the loaded divisions."""

    widget = RegionPickerWidget
    default_error_messages = {
        "unknown": _("Unknown division code %(code)s."),
        "retired": _("Division %(code)s is no longer in force; choose its successor."),
    }

    def to_python(self, value: Any) -> Region | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Region):
            return value
        code = str(value).strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        if region.valid_to is not None:
            raise forms.ValidationError(self.error_messages["retired"], code="retired", params={"code": code})
        return region

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Region) else value
