from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiliu.lib.forms import DatePicker, style_form

from . import periods
from .models import (
    Aggregation,
    DataElement,
    DataValue,
    EmbeddedRuleSetting,
    IndicatorKind,
    RecognitionKind,
    SiteKind,
)


class PeriodField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("label", gettext_lazy("Period"))
        kwargs.setdefault("help_text", gettext_lazy("2026, 2026Q3 or 2026-09"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value).strip()
        if value:
            try:
                periods.period_type(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return str(value)


class ChooseEntryForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Community or village"))
    period = PeriodField()

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, f"{r.name} ({r.code})") for r in regions
        ]
        style_form(self)


def group_field(element: DataElement, group: str) -> str:
    return f"v_{element.code}__{group}"


def shown_value(value: float | None, value_type: str) -> float | int | None:
    """A stored value as the form shows it: whole numbers without ".0", others without float noise."""
    if value is None:
        return None
    if value_type == "integer" or float(value).is_integer():
        return int(round(value))
    return round(value, 4)


class EntryForm(forms.Form):
    """One field per typed element (per ethnic group for elements by group), a comment per element, the source."""

    source = forms.CharField(
        label=gettext_lazy("Source of the values"),
        max_length=120,
        help_text=gettext_lazy("Where the figures come from, e.g. 社区台账 2026-09"),
    )

    def __init__(
        self,
        *args: Any,
        elements: list[DataElement],
        existing: dict[tuple[int, str | None], DataValue],
        groups: list[tuple[str, str]],
        locked: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.elements = elements
        self.rows: list[dict[str, Any]] = []
        first_source = next((v.source for v in existing.values() if not v.derived), "")
        self.fields["source"].initial = first_source
        for element in elements:
            row: dict[str, Any] = {"element": element, "fields": [], "derived": None}
            if element.is_derived:
                row["derived"] = existing.get((element.pk, None))
                self.rows.append(row)
                continue
            step = "1" if element.value_type == "integer" else "any"
            keys: list[tuple[str, str | None, str]] = (
                [(group_field(element, g), g, name) for g, name in groups]
                if element.by_ethnic_group
                else [(f"v_{element.code}", None, str(element.name))]
            )
            for key, group, label in keys:
                current = existing.get((element.pk, group))
                self.fields[key] = forms.FloatField(
                    label=label if group is None else f"{element.name} · {label}",
                    required=False,
                    initial=shown_value(current.value, element.value_type) if current else None,
                    widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal"}),
                )
                row["fields"].append(key)
            comment_key = f"c_{element.code}"
            current_comment = next(
                (v.comment for (e, _g), v in existing.items() if e == element.pk and v.comment), ""
            )
            self.fields[comment_key] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": element.name},
                required=False,
                max_length=200,
                initial=current_comment,
            )
            row["comment"] = comment_key
            self.rows.append(row)
        style_form(self)
        if locked:
            for field in self.fields.values():
                field.disabled = True

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "bound": [self[k] for k in row["fields"]],
                "comment_field": self[row["comment"]] if row.get("comment") else None,
            }
            for row in self.rows
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class IndicatorForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=40, help_text=gettext_lazy("lower-case letters, digits and _")
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=IndicatorKind.choices)
    numerator = forms.CharField(label=gettext_lazy("Numerator"), max_length=200, required=False)
    denominator = forms.CharField(label=gettext_lazy("Denominator"), max_length=200, required=False)
    factor = forms.FloatField(label=gettext_lazy("Factor"), initial=1.0)
    expression = forms.CharField(
        label=gettext_lazy("Expression"),
        max_length=400,
        required=False,
        help_text=gettext_lazy("Codes, numbers, + − × ÷, parentheses, min, max, abs"),
    )
    unit = forms.CharField(label=gettext_lazy("Unit of measure"), max_length=16, required=False)
    aggregation = forms.ChoiceField(
        label=gettext_lazy("Aggregation up the region tree"), choices=Aggregation.choices
    )
    period_aggregation = forms.ChoiceField(
        label=gettext_lazy("Aggregation over periods"), choices=Aggregation.choices[:2]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RunForm(forms.Form):
    system = forms.ChoiceField(label=gettext_lazy("Indicator system"))
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    period = PeriodField()
    aggregation = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[("arithmetic", gettext_lazy("Weighted sum")), ("topsis", "TOPSIS")],
    )
    normalisation = forms.ChoiceField(
        label=gettext_lazy("Normalisation"),
        choices=[
            ("minmax", gettext_lazy("Min–max")),
            ("rank", gettext_lazy("Rank")),
            ("zscore", gettext_lazy("z-score")),
        ],
    )

    def __init__(self, *args: Any, systems: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["system"]).choices = [(s.pk, s.name) for s in systems]
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, f"{r.name} ({r.code})") for r in regions
        ]
        style_form(self)


class EmbeddingForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    period = PeriodField()
    before = PeriodField(label=gettext_lazy("Compare with period"), required=False)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, f"{r.name} ({r.code})") for r in regions
        ]
        style_form(self)


class RuleForm(forms.ModelForm):
    class Meta:
        model = EmbeddedRuleSetting
        fields = ["min_groups", "min_group_share", "min_evenness", "max_largest_share", "min_population"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("min_group_share", "min_evenness", "max_largest_share"):
            v = data.get(name)
            if v is not None and not 0 <= v <= 1:
                self.add_error(name, _("A share lies between 0 and 1."))
        return data


class SiteForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    designated_on = forms.DateField(label=gettext_lazy("Designated on"), widget=DatePicker())
    run = forms.ChoiceField(label=gettext_lazy("Supporting evaluation"), required=False)
    review_years = forms.IntegerField(
        label=gettext_lazy("Review every (years)"), min_value=1, max_value=10, initial=3
    )
    is_public = forms.BooleanField(label=gettext_lazy("On the public list"), required=False)

    def __init__(self, *args: Any, regions: Any, runs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, f"{r.name} ({r.code})") for r in regions
        ]
        cast(forms.ChoiceField, self.fields["run"]).choices = [("", "—")] + [(r.pk, r.title) for r in runs]
        style_form(self)


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RecognitionKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    citation = forms.CharField(
        label=gettext_lazy("Citation"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    awarded_on = forms.DateField(label=gettext_lazy("Awarded on"), widget=DatePicker())
    is_public = forms.BooleanField(label=gettext_lazy("On the public list"), required=False)

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [
            (r.code, f"{r.name} ({r.code})") for r in regions
        ]
        style_form(self)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
