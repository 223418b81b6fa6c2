"""Forms of the ledger: an activity with its participant rows, and evidence."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.models import MAX_COUNT, ActivityType, AgeBand, Category, Gender, Plan
from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.forms import units_under_field
from shiliu.orgs.models import Organization
from shiliu.pairings.models import Pairing
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
    pairing = forms.ModelChoiceField(
        label=_("Under the pairing"),
        queryset=Pairing.objects.none(),
        required=False,
        empty_label=_("Chosen from the two parties"),
        help_text=_("Offered once both parties are chosen; pick one when several pairings connect them."),
    )

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
        fitting = self.fitting_pairings()
        field = cast(forms.ModelChoiceField, self.fields["pairing"])
        field.queryset = Pairing.objects.filter(pk__in=[p.pk for p in fitting])
        if len(fitting) < 2:  # none or one: nothing to choose, the service infers it
            field.widget = forms.HiddenInput()
        style_form(self, small_selects=True)

    def _party(self, side: str) -> tuple[str, int | None]:
        def raw(name: str) -> str:
            value = self.data.get(name) if self.is_bound else self.initial.get(name)
            return str(getattr(value, "pk", value) or "")

        region, unit = raw(f"{side}_region"), raw(f"{side}_unit")
        return (region if region.isdigit() else ""), (int(unit) if unit.isdigit() else None)

    def fitting_pairings(self) -> list[Pairing]:
        """The active pairings connecting the two chosen parties (none until both are chosen)."""
        (first, first_unit), (second, second_unit) = self._party("sending"), self._party("receiving")
        if not first or not second:
            return []
        from .services import connecting_pairings

        by_region = connecting_pairings(first, second)
        with_units = connecting_pairings(first, second, units=(first_unit, second_unit))
        return list({p.pk: p for p in with_units + by_region}.values())


def initial_from_pairing(user: Any, pk: str | None) -> dict[str, Any]:
    """The form's parties and pairing filled in from a pairing the user may see ("登记交流活动" on its page)."""
    from shiliu.pairings.selectors import pairing_list

    if not pk or not pk.isdigit():
        return {}
    pairing = pairing_list(user=user).filter(pk=int(pk)).first()
    if pairing is None:
        return {}
    return {
        "sending_region": pairing.a_region_id,
        "sending_unit": pairing.a_unit_id,
        "receiving_region": pairing.b_region_id,
        "receiving_unit": pairing.b_unit_id,
        "pairing": pairing.pk,
    }


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
