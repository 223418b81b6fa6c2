"""The statistics filter: a region (the user's jurisdiction by default) and a period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.lib.forms import DatePicker, style_form
from shiliu.regions.forms import RegionField


class StatsForm(forms.Form):
    region = RegionField(label=_("Region"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePicker())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)
