"""The region picker: a form field holding a division code, searched by pinyin in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region
from .selectors import region_full_name


@dataclass(frozen=True)
class PickedRegion:
    """What the picker sends: the code of the suggestion picked, and the text shown in the box when sent."""

    code: str
    label: str


def _squash(text: str) -> str:
    return "".join(text.split())


def region_labels(region: Region) -> set[str]:
    """The texts the picker may show for a region (whitespace ignored): its full path as the server writes it,
    "parent name" as the browser writes a suggestion, and its own name."""
    labels = {region_full_name(region), region.name}
    if region.parent_id:
        labels.add(f"{region.parent.name}{region.name}")  # type: ignore[union-attr]
    return {_squash(label) for label in labels}


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

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        code = data.get(name)
        label = data.get(f"{name}_label")
        if label is None:  # the API and older clients send the code alone
            return code
        return PickedRegion(code=(code or "").strip(), label=label.strip())

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_label" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, PickedRegion):
            # Sent back with an error: show exactly what the person typed.
            code, label = value.code, value.label
        else:
            code = value.code if isinstance(value, Region) else (value or "")
            region = Region.objects.filter(code=code).first() if code else None
            label = region_full_name(region) if region else ""
        context["widget"].update(
            code=code,
            label=label,
            level=self.level,
            units_target=self.units_target,
            units_kind=self.units_kind,
        )
        return context


class RegionField(forms.Field):
    """A division code, validated against the loaded divisions and against the text the picker showed."""

    widget = RegionPickerWidget
    default_error_messages = {
        "unknown": _("Unknown division code %(code)s."),
        "retired": _("Division %(code)s is no longer in force; choose its successor."),
        "not_picked": _(
            "“%(label)s” was not picked from the suggestions: type a name, pinyin or initials and choose a region "
            "from the list."
        ),
        "mismatch": _(
            "The text “%(label)s” does not match the region chosen before, %(name)s (%(code)s): type again and "
            "choose a region from the list."
        ),
    }

    def to_python(self, value: Any) -> Region | None:
        label = ""
        if isinstance(value, PickedRegion):
            value, label = value.code, value.label
            if not value and label:
                raise forms.ValidationError(
                    self.error_messages["not_picked"], code="not_picked", params={"label": label}
                )
        if value in self.empty_values:
            return None
        if isinstance(value, Region):
            return value
        code = str(value).strip()
        region = Region.objects.filter(code=code).select_related("parent").first()
        if region is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        if region.valid_to is not None:
            raise forms.ValidationError(self.error_messages["retired"], code="retired", params={"code": code})
        if label and _squash(label) not in region_labels(region):
            # The box says one place and the hidden code another (a stale code): never guess which was meant.
            raise forms.ValidationError(
                self.error_messages["mismatch"],
                code="mismatch",
                params={"label": label, "name": region_full_name(region), "code": region.code},
            )
        return region

    def prepare_value(self, value: Any) -> Any:
        return value.code if isinstance(value, Region) else value

    def has_changed(self, initial: Any, data: Any) -> bool:
        if isinstance(data, PickedRegion):
            data = data.code
        return super().has_changed(initial, data)
