"""Forms of the ledger: an activity with its participant rows, and evidence."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.models import MAX_COUNT, ActivityType, AgeBand, Category, Gender, Plan
from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.forms import units_under_field
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField, RegionPickerWidget
from shiliu.regions.models import EthnicGroup


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    activity_type = forms.ModelChoiceField(
        label=_("Type"), queryset=ActivityType.objects.filter(is_active=True)
    )
    plan_embedding = forms.BooleanField(label=Plan.EMBEDDING.label, required=False)
    plan_youth = forms.BooleanField(label=Plan.YOUTH.label, required=False)
    plan_tourism = forms.BooleanField(label=Plan.TOURISM.label, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DatePicker())
    end_date = forms.DateField(label=_("End date"), widget=DatePicker())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    sending_region = RegionField(
        label=_("Sending party: region"), widget=RegionPickerWidget(units_target="id_sending_unit")
    )
    sending_unit = UnitChoiceField(
        label=_("Sending party: unit (optional)"), queryset=Organization.objects.none(), required=False
    )
    receiving_region = RegionField(
        label=_("Receiving party: region"), widget=RegionPickerWidget(units_target="id_receiving_unit")
    )
    receiving_unit = UnitChoiceField(
        label=_("Receiving party: unit (optional)"), queryset=Organization.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    # The three plan boxes are one question: the page groups them in a fieldset with a legend.
    plan_names = ("plan_embedding", "plan_youth", "plan_tourism")

    @property
    def plan_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.plan_names]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sending_unit", "receiving_unit"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = units_under_field(
                self, name.replace("unit", "region")
            )
        style_form(self, small_selects=True)


class ParticipationForm(forms.Form):
    # Blank first choices: an untouched extra row posts nothing and is skipped, rather than counting as filled in.
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *Category.choices])
    ethnic_group = forms.ModelChoiceField(
        label=_("Ethnic group"), queryset=EthnicGroup.objects.all(), to_field_name="code"
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "---------"), *AgeBand.choices])
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    count = forms.IntegerField(label=_("Person-times"), min_value=1, max_value=MAX_COUNT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class ParticipationRows(forms.BaseFormSet):
    # Django's "Please submit at least 1 form." tells a person nothing about what to do.
    default_error_messages = {"too_few_forms": _("Enter at least one row of participants.")}


ParticipationFormSet = forms.formset_factory(
    ParticipationForm, formset=ParticipationRows, extra=3, can_delete=True, min_num=1, validate_min=True
)


def participation_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    file = forms.FileField(label=_("File (photo: PNG/JPEG; document: PDF or .xlsx)"), required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import EvidenceKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = EvidenceKind.choices
        style_form(self, small_selects=True)
