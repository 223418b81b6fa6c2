"""Forms of the tourism exchange: routes with their stops, tour groups and the flows filter."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField

# --- tourism exchange -----------------------------------------------------------------------------------------


class RouteForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    region = RegionField(label=_("Region"))
    theme = forms.CharField(label=_("Theme"), max_length=120, required=False)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=30, initial=1)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Open to all regions"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class StopForm(forms.Form):
    name = forms.CharField(label=_("Site"), max_length=120)
    region = RegionField(label=_("Region"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class StopRows(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": _("Enter at least one stop.")}


StopFormSet = forms.formset_factory(
    StopForm, formset=StopRows, extra=3, can_delete=True, min_num=1, validate_min=True
)


class TourGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    origin_region = RegionField(label=_("Origin"))
    destination_region = RegionField(label=_("Destination"))
    start_date = forms.DateField(label=_("Start date"), widget=DatePicker())
    end_date = forms.DateField(label=_("End date"), widget=DatePicker())
    agency = forms.CharField(label=_("Travel agency"), max_length=120, required=False)
    size = forms.IntegerField(label=_("Group size"), min_value=1, max_value=10_000)
    minors = forms.IntegerField(label=_("Of whom under 18"), min_value=0, max_value=10_000, initial=0)
    minority_members = forms.IntegerField(
        label=_("Of whom from ethnic minorities"), min_value=0, max_value=10_000, initial=0
    )
    route: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Study route"), queryset=Organization.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, routes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["route"]).queryset = routes
        style_form(self, small_selects=True)


class FlowForm(forms.Form):
    region = RegionField(label=_("Region"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePicker())
    level = forms.ChoiceField(
        label=_("Group by"),
        choices=[("2", _("Province")), ("4", _("Prefecture")), ("6", _("County"))],
        initial="4",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)
