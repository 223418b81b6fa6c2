"""Forms of the exchange menu: offers, packages and bookings."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.forms import UnitChoiceField
from shiliu.exchanges.ledger.models import ActivityType, Plan
from shiliu.exchanges.menu.models import CostBorneBy, Offer
from shiliu.exchanges.tourism.models import StudyRoute
from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.models import Organization


class OfferForm(forms.Form):
    host = UnitChoiceField(label=_("Host unit"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Title"), max_length=120)
    activity_type = forms.ModelChoiceField(
        label=_("Type"), queryset=ActivityType.objects.filter(is_active=True)
    )
    plan_embedding = forms.BooleanField(label=Plan.EMBEDDING.label, required=False)
    plan_youth = forms.BooleanField(label=Plan.YOUTH.label, required=False)
    plan_tourism = forms.BooleanField(label=Plan.TOURISM.label, required=False)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10_000)
    duration_days = forms.IntegerField(label=_("Duration (days)"), min_value=1, max_value=60, initial=1)
    seasons = forms.CharField(label=_("Seasons"), max_length=60, required=False)
    min_age = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=120, required=False)
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=120, required=False)
    cost_borne_by = forms.ChoiceField(label=_("Cost borne by"), choices=CostBorneBy.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("Photo (PNG or JPEG, optional)"), required=False)
    route = forms.ModelChoiceField(
        label=_("Study route (optional)"), queryset=StudyRoute.objects.none(), required=False
    )
    is_public = forms.BooleanField(label=_("Open to all regions (not only paired ones)"), required=False)

    def __init__(self, *args: Any, units: Any, routes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["host"]).queryset = units
        if routes is not None:
            cast(forms.ModelChoiceField, self.fields["route"]).queryset = routes
        style_form(self, small_selects=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("min_age") is not None
            and data.get("max_age") is not None
            and data["max_age"] < data["min_age"]
        ):
            self.add_error("max_age", _("The oldest age is below the youngest."))
        return data


class OfferChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.host.name}，{obj.capacity}）"


class PackageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    offers = OfferChoices(
        label=_("Offers (of one host)"), queryset=Offer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(label=_("Open to all regions (not only paired ones)"), required=False)

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["offers"]).queryset = offers
        style_form(self, small_selects=True)


class BookingForm(forms.Form):
    guest = UnitChoiceField(label=_("Booking unit"), queryset=Organization.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DatePicker())
    end_date = forms.DateField(label=_("To"), widget=DatePicker())
    group_size = forms.IntegerField(label=_("Group size"), min_value=1, max_value=10_000)
    composition = forms.CharField(label=_("Group composition"), max_length=200, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["guest"]).queryset = units
        style_form(self, small_selects=True)
