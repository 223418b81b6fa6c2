from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import under
from shiliu.lib.forms import placeholder_empty_choices
from shiliu.regions.forms import RegionField, RegionPickerWidget

from .models import Organization, UnitKind
from .selectors import organization_parent_choices


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *UnitKind.choices]
    )
    region = RegionField(label=_("Region"), required=False)


class OrganizationForm(forms.ModelForm):
    region = RegionField(label=_("Region"), widget=RegionPickerWidget())

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "region",
            "parent",
            "address",
            "contact_name",
            "contact_phone",
            "email",
            "description",
            "locality",
            "stage",
            "headcount",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = cast(forms.ModelChoiceField, self.fields["parent"])
        qs = organization_parent_choices(user=user)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        parent.queryset = qs
        parent.required = False
        if self.instance.pk and self.instance.contact_phone:
            # The form never holds the number in clear: the full phone is shown only by the logged "show".
            self.initial["contact_phone"] = self.instance.masked_phone
            self.fields["contact_phone"].help_text = _(
                "Shown masked. Leave it as it is to keep the number, type a new one to change it, or empty the "
                "field to remove it."
            )
        placeholder_empty_choices(self)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def clean_contact_phone(self) -> str:
        phone: str = self.cleaned_data.get("contact_phone", "").strip()
        kept = self.instance.contact_phone if self.instance.pk else ""
        if kept and phone == self.instance.masked_phone:
            return kept
        if "*" in phone:
            raise ValidationError(_("Type the whole new number, or leave the masked one as it is."))
        return phone


def units_under_field(form: forms.BaseForm, region_field: str) -> QuerySet[Organization]:
    """Units a unit <select> may offer: those under the region the form holds (submitted, or initial when
    editing); none before a region is chosen. The page then fills the list when a region is picked."""
    code = form.data.get(form.add_prefix(region_field)) if form.is_bound else form.initial.get(region_field)
    code = str(getattr(code, "code", code) or "")
    if not code.isdigit():
        return Organization.objects.none()
    return (
        Organization.objects.filter(under("region", code), is_active=True)
        .select_related("region")
        .order_by("name")
    )
