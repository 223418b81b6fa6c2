from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiliu.lib.forms import DatePicker, style_form
from shiliu.lib.idnumbers import validate_id_number
from shiliu.orgs.models import Organization, phone_validator
from shiliu.regions.forms import RegionField, RegionPickerWidget
from shiliu.regions.models import EthnicGroup

from .models import ConsentMethod, ConsentScope, Need, Resident, ResidentStatus
from .selectors import community_choices


class ResidentFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or ID number"), required=False, max_length=32)
    need = forms.ChoiceField(
        label=gettext_lazy("Need"), required=False, choices=[("", gettext_lazy("All needs")), *Need.choices]
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All")), *ResidentStatus.choices],
    )
    side = forms.ChoiceField(
        label=gettext_lazy("Whose residents"),
        required=False,
        choices=[
            ("", gettext_lazy("All I may see")),
            ("manage", gettext_lazy("Living in my jurisdiction")),
            ("origin", gettext_lazy("From my jurisdiction, living elsewhere")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


_SPLIT = re.compile(r"[\s,，、;；]+")


def parse_household(text: str) -> list[dict[str, Any]]:
    """One member a line, "relation name year": 配偶 马力 1988 (the year may be left out)."""
    members: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in _SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        if len(parts) < 2 or len(parts) > 3 or (len(parts) == 3 and not parts[2].isdigit()):
            raise ValidationError(
                _("Line %(n)d: write the relation, the name and the year of birth, e.g. 配偶 马力 1988.")
                % {"n": number}
            )
        members.append(
            {"relation": parts[0], "name": parts[1], "birth_year": int(parts[2]) if len(parts) == 3 else None}
        )
    return members


def format_household(members: list[dict[str, Any]]) -> str:
    return "\n".join(
        " ".join(str(p) for p in (m.get("relation"), m.get("name"), m.get("birth_year")) if p)
        for m in members
    )


class SensitiveFields(forms.Form):
    """The fields a consent must cover; shared by the registration and the edit form."""

    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        required=False,
        max_length=18,
        help_text=gettext_lazy("18 characters; checked for its birth date and check character."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=16)
    ethnic_group = forms.ModelChoiceField(
        label=gettext_lazy("Ethnic group"), required=False, queryset=EthnicGroup.objects.order_by("code")
    )
    household = forms.CharField(
        label=gettext_lazy("Household members"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line: relation, name, year of birth — e.g. 配偶 马力 1988."),
    )
    skills = forms.CharField(label=gettext_lazy("Skills"), required=False, max_length=200)
    language = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("e.g. 哈萨克语、国家通用语言"),
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Needs"), required=False, choices=Need.choices, widget=forms.CheckboxSelectMultiple
    )
    needs_note = forms.CharField(
        label=gettext_lazy("About the needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_household(self) -> list[dict[str, Any]]:
        return parse_household(self.cleaned_data.get("household", ""))

    def clean_id_number(self) -> str | None:
        value: str = self.cleaned_data.get("id_number", "").strip()
        return validate_id_number(value) if value else ""

    def clean_phone(self) -> str | None:
        value: str = self.cleaned_data.get("phone", "").strip().replace(" ", "")
        if value:
            phone_validator(value)
        return value

    def sensitive_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id_number": data["id_number"],
            "phone": data["phone"],
            "ethnic_group": data["ethnic_group"],
            "household_members": data["household"],
            "skills": data["skills"],
            "language": data["language"],
            "needs": data["needs"],
            "needs_note": data["needs_note"],
        }


def _community_label(unit: Organization) -> str:
    return f"{unit.name}（{unit.region.name}）"


class ResidentForm(SensitiveFields):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=32)
    origin_region = RegionField(
        label=gettext_lazy("Origin region (流出地)"),
        widget=RegionPickerWidget(),
        help_text=gettext_lazy("The county, township or village the resident comes from."),
    )
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Residence community (流入地)"), queryset=Organization.objects.none()
    )
    moved_in_on = forms.DateField(label=gettext_lazy("Moved in on"), widget=DatePicker())
    consent_scopes = forms.MultipleChoiceField(
        label=gettext_lazy("The resident agreed to record"),
        required=False,
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only what is ticked here may be filled in below."),
    )
    consent_method = forms.ChoiceField(
        label=gettext_lazy("How the consent was given"),
        choices=[("", "—"), *ConsentMethod.choices],
        required=False,
    )
    consent_given_on = forms.DateField(
        label=gettext_lazy("Consent given on"), widget=DatePicker(), required=False
    )
    consent_note = forms.CharField(
        label=gettext_lazy("Consent note"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("e.g. the paper form's number"),
    )

    field_order = [
        "name",
        "origin_region",
        "community",
        "moved_in_on",
        "consent_scopes",
        "consent_method",
        "consent_given_on",
        "consent_note",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = cast(forms.ModelChoiceField, self.fields["community"])
        community.queryset = community_choices(user=user)
        community.label_from_instance = _community_label  # type: ignore[method-assign,assignment]
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consent_scopes"):
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Say how the consent was given."))
            if not data.get("consent_given_on"):
                self.add_error("consent_given_on", _("Enter the date the consent was given."))
        return data

    def placement_data(self) -> dict[str, Any]:
        unit = self.cleaned_data["community"]
        return {
            "name": self.cleaned_data["name"],
            "origin_region": self.cleaned_data["origin_region"],
            "residence_region": unit.region,
            "residence_unit": unit,
            "moved_in_on": self.cleaned_data["moved_in_on"],
        }


class ResidentEditForm(SensitiveFields):
    name = forms.CharField(label=gettext_lazy("Full name"), max_length=32)
    origin_region = RegionField(label=gettext_lazy("Origin region (流出地)"), widget=RegionPickerWidget())
    moved_in_on = forms.DateField(label=gettext_lazy("Moved in on"), widget=DatePicker())

    field_order = ["name", "origin_region", "moved_in_on"]

    def __init__(self, *args: Any, resident: Resident, **kwargs: Any) -> None:
        self.resident = resident
        initial = {
            "name": resident.name,
            "origin_region": resident.origin_region,
            "moved_in_on": resident.moved_in_on,
            # The form never holds a protected number in clear: the masked one stays unless a new one is typed.
            "id_number": resident.id_number_masked,
            "phone": resident.phone_masked,
            "ethnic_group": resident.ethnic_group_id,
            "household": format_household(resident.household_members),
            "skills": resident.skills,
            "language": resident.language,
            "needs": resident.need_list,
            "needs_note": resident.needs_note,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for name in ("id_number", "phone"):
            self.fields[name].help_text = _(
                "Shown masked. Leave it as it is to keep the number, type a new one to change it, or empty the field "
                "to remove it."
            )
        style_form(self)

    def _kept(self, name: str, masked: str) -> bool:
        value: str = self.cleaned_data.get(name, "").strip()
        if masked and value == masked:
            return True  # unchanged
        if "*" in value:
            raise ValidationError(_("Type the whole new number, or leave the masked one as it is."))
        return False

    def clean_id_number(self) -> str | None:
        return None if self._kept("id_number", self.resident.id_number_masked) else super().clean_id_number()

    def clean_phone(self) -> str | None:
        return None if self._kept("phone", self.resident.phone_masked) else super().clean_phone()

    def changes(self) -> dict[str, Any]:
        data = {
            "name": self.cleaned_data["name"],
            "origin_region": self.cleaned_data["origin_region"],
            "moved_in_on": self.cleaned_data["moved_in_on"],
            **self.sensitive_data(),
        }
        for name in ("id_number", "phone"):
            if data[name] is None:
                del data[name]
        return data


class ConsentForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("The resident agrees to record"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(label=gettext_lazy("How the consent was given"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=gettext_lazy("Given on"), widget=DatePicker())
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class WithdrawForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How the withdrawal was made"), choices=ConsentMethod.choices
    )
    withdrawn_on = forms.DateField(label=gettext_lazy("Withdrawn on"), widget=DatePicker())
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the data listed above is erased at once and cannot be restored."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RevealForm(forms.Form):
    field = forms.ChoiceField(
        choices=[("id_number", "id_number"), ("phone", "phone")], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=gettext_lazy("Why do you need the full number?"), min_length=2, max_length=200
    )


class HandoverForm(forms.Form):
    to_region = RegionField(
        label=gettext_lazy("Receiving community or village"),
        widget=RegionPickerWidget(level="village"),
        help_text=gettext_lazy("Type the community's name or pinyin and pick it from the list."),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=gettext_lazy("Reason for declining"), max_length=200, required=False
    )
