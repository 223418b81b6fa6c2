from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.lib.forms import DatePicker, DateTimePicker, style_form
from shiliu.orgs.forms import units_under_field
from shiliu.orgs.models import Locality, Organization, UnitKind
from shiliu.regions.forms import RegionField, RegionPickerWidget

from .models import ActionItem, Mechanism, Pairing, PairingKind, PairingStatus


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class PairingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PairingKind.choices)
    a_region = RegionField(label=_("Our side: region"), widget=RegionPickerWidget(units_target="id_a_unit"))
    a_unit = UnitChoiceField(
        label=_("Our side: unit (leave empty to pair regions)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    b_region = RegionField(
        label=_("Partner side: region"), widget=RegionPickerWidget(units_target="id_b_unit")
    )
    b_unit = UnitChoiceField(
        label=_("Partner side: unit"), queryset=Organization.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Under region pairing"), queryset=Pairing.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Units are chosen by id; the lists are filled in the browser once a region is picked.
        for name in ("a_unit", "b_unit"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = units_under_field(
                self, name.replace("unit", "region")
            )
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)  # noqa: S101
        parent.queryset = Pairing.objects.visible_to(user).filter(
            status=PairingStatus.ACTIVE, a_unit__isnull=True
        )
        style_form(self)


class RespondForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (PairingStatus.PAUSED, _("Pause")),
            (PairingStatus.ACTIVE, _("Resume")),
            (PairingStatus.ENDED, _("End")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    on = forms.DateField(label=_("Date"), required=False, widget=DatePicker())


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    signed_on = forms.DateField(label=_("Signed on"), widget=DatePicker())
    term_start = forms.DateField(label=_("Term starts"), widget=DatePicker())
    term_end = forms.DateField(label=_("Term ends"), required=False, widget=DatePicker())
    mechanisms = forms.ModelMultipleChoiceField(
        label=_("Mechanisms"),
        queryset=Mechanism.objects.filter(is_standard=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    custom_mechanisms = forms.CharField(
        label=_("Other mechanisms (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(label=_("Signed document (PDF or image, at most 20 MB)"), required=False)
    a_contact = forms.CharField(label=_("Side A contact person"), required=False, max_length=60)
    b_contact = forms.CharField(label=_("Side B contact person"), required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("term_end") and data.get("term_start") and data["term_end"] < data["term_start"]:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return data


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimePicker())
    place = forms.CharField(label=_("Place"), required=False, max_length=120)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attending units"), queryset=Organization.objects.none(), required=False
    )
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = units
        field.widget.attrs["size"] = 8
        style_form(self)


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "owner", "deadline"]
        widgets = {"deadline": DatePicker()}

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101
        owner.queryset = units
        style_form(self)


class CoverageForm(forms.Form):
    region = RegionField(label=_("Region"))
    subject = forms.ChoiceField(
        label=_("Count"),
        choices=[("units", _("Units")), ("townships", _("Townships (region pairings)"))],
        required=False,
    )
    unit_kind = forms.ChoiceField(
        label=_("Unit type"), choices=[("", _("All types")), *UnitKind.choices], required=False
    )
    locality = forms.ChoiceField(
        label=_("Urban or rural"), choices=[("", _("Both")), *Locality.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Pairing kind"), choices=[("", _("All kinds")), *PairingKind.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Pairing kind"), choices=PairingKind.choices, initial=PairingKind.CO_BUILDING
    )
    unit_kind = forms.ChoiceField(label=_("Unit type"), choices=UnitKind.choices, initial=UnitKind.SCHOOL)
    a_region = RegionField(label=_("Group A: region"))
    a_locality = forms.ChoiceField(
        label=_("Group A: urban or rural"),
        choices=[("", _("Both")), *Locality.choices],
        required=False,
        initial="urban",
    )
    max_per_a = forms.IntegerField(
        label=_("Partners per group-A unit, at most"), min_value=1, max_value=20, initial=2
    )
    b_region = RegionField(label=_("Group B: region (each unit gets exactly one partner)"))
    b_locality = forms.ChoiceField(
        label=_("Group B: urban or rural"),
        choices=[("", _("Both")), *Locality.choices],
        required=False,
        initial="rural",
    )
    weight_stage = forms.FloatField(
        label=_("Weight: same school stage"), min_value=0, max_value=10, initial=1
    )
    weight_size = forms.FloatField(label=_("Weight: similar size"), min_value=0, max_value=10, initial=1)
    weight_distance = forms.FloatField(label=_("Weight: nearness"), min_value=0, max_value=10, initial=1)
    existing = forms.ChoiceField(
        label=_("Existing pairings"),
        choices=[
            ("count", _("Count them against the places, do not list them")),
            ("locked", _("List them as kept pairs (never created again)")),
        ],
        initial="count",
        required=False,
        help_text=_(
            "Either way a group-B unit that already has a partner of this type gets no new one, and a group-A "
            "unit's places are reduced by its partners."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
