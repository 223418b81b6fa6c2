from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.roles import Role
from shiliu.lib.forms import style_form
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField, RegionPickerWidget

from ..models import Invitation
from . import services


class AcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            try:
                services.check_new_password(one, self.invitation)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CommissionForm(forms.Form):
    region = RegionField(label=_("Jurisdiction of the commission"), widget=RegionPickerWidget())
    unit_name = forms.CharField(
        label=_("Name of the commission"),
        max_length=100,
        required=False,
        help_text=_("Left empty: “<region> Ethnic Affairs Commission”."),
    )
    display_name = forms.CharField(label=_("Name of its first staff member"), max_length=64)
    address = forms.CharField(label=_("Their e-mail or mobile number"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ColleagueForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=64)
    address = forms.CharField(label=_("E-mail or mobile"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class CoordinatorsForm(forms.Form):
    lines = forms.CharField(
        label=_("One coordinator per line: unit, name, mobile number or e-mail"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "新源县第一中学，张老师，13812345678"}),
    )
    file = forms.FileField(
        label=_("Or an Excel list (.xlsx) with the columns 单位, 姓名, 手机号或邮箱"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("lines") or "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Type the list or choose an Excel file."))
        return data


ROLE_CHOICES = [
    (Role.COMMISSION_STAFF.value, Role.COMMISSION_STAFF.label),
    (Role.UNIT_COORDINATOR.value, Role.UNIT_COORDINATOR.label),
]


class AccountForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    organization = forms.ModelChoiceField(
        label=_("Unit (coordinators)"), queryset=Organization.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Active: may log in"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]
        style_form(self)


class ResetSecondFactorForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the second factor reset?"),
        max_length=500,
        help_text=_(
            "For example: phone lost, identity confirmed by telephone with the unit. Kept in the audit log."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class HandOverForm(forms.Form):
    display_name = forms.CharField(label=_("Successor's name"), max_length=64)
    address = forms.CharField(label=_("Successor's e-mail or mobile number"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
