"""The period picker of the dashboard and the reports: a region and a year, a quarter or a month of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock
from shiliu.lib.forms import style_form
from shiliu.regions.forms import RegionField


def period_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("year", _("Whole year"))]
    choices += [(f"q{q}", _("Quarter %(q)d") % {"q": q}) for q in range(1, 5)]
    choices += [(f"m{m}", _("Month %(m)d") % {"m": m}) for m in range(1, 13)]
    return choices


def period_dates(year: int, period: str) -> tuple[dt.date, dt.date]:
    if period.startswith("q"):
        q = int(period[1:])
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    elif period.startswith("m"):
        start = dt.date(year, int(period[1:]), 1)
        end_month = start.month
    else:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    nxt = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


class PeriodForm(forms.Form):
    region = RegionField(label=_("Region"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this = clock.today().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this, this - 6, -1)]  # type: ignore[attr-defined]
        self.fields["period"].choices = period_choices()  # type: ignore[attr-defined]
        style_form(self, small_selects=True)

    def dates(self) -> tuple[dt.date, dt.date]:
        return period_dates(self.cleaned_data["year"], self.cleaned_data.get("period") or "year")


class SentenceForm(forms.Form):
    text = forms.CharField(label=_("Sentence"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
