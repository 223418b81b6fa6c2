"""Forms of the request desk: the resident's form (light, for a phone), the tracking lookup and rating, the staff's
actions on a request, the filters of the queue and the metrics, and the calendar entry."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shiliu.lib.forms import EMPTY_DASHES, DatePicker, no_control_characters, style_form
from shiliu.orgs.models import Organization

from .models import Rating, RequestCategory, RequestKind, Status, Urgency
from .services import MAX_PHOTOS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=RequestKind.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=[("", EMPTY_DASHES)] + list(RequestCategory.choices)
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Organization.objects.none(),
        help_text=_("The community or village where you live or where the problem is."),
        error_messages={"invalid_choice": _("Choose a community from the list.")},
    )
    description = forms.CharField(
        label=_("Describe your request"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        validators=[no_control_characters],
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("Needed without an account: the answer and the tracking number are sent to it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=32, required=False)
    origin = forms.CharField(
        label=_("Home county (optional)"),
        max_length=12,
        required=False,
        help_text=_("The 6-digit code of the county you come from, e.g. 654025 for 新源县."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("At most %(n)d photos of 8 MB each; their location data is removed.") % {"n": MAX_PHOTOS},
    )

    def __init__(self, *args: Any, communities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = cast(forms.ModelChoiceField, self.fields["community"])  # type: ignore[type-arg]
        if communities is not None:
            community.queryset = communities
        community.label_from_instance = lambda o: f"{o.name}（{o.region.name}）"  # type: ignore[method-assign,assignment]
        self.fields["category"].error_messages["required"] = _("Choose what the request is about.")
        self.fields["community"].error_messages["required"] = _("Choose the community the request concerns.")
        self.fields["kind"].error_messages["required"] = _("Choose the type of request.")
        style_form(self)
        self.fields["kind"].widget.attrs.pop("class", None)  # a plain list of radios, like the checkbox lists

    def clean_origin(self) -> Any:
        from shiliu.regions.models import Region

        code = self.cleaned_data["origin"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code, level__in=("county", "township", "village")).first()
        if region is None:
            raise forms.ValidationError(_("No county has this code."))
        return region


class TrackForm(forms.Form):
    number = forms.CharField(label=_("Tracking number"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("How was it handled?"), choices=Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("The phone number you gave"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        self.fields["rating"].widget.attrs.pop("class", None)


# ------------------------------------------------------------------------------------------------ staff actions


class _Action(forms.Form):
    def __init__(self, *args: Any, request: Any = None, targets: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        if "unit" in self.fields and targets is not None:
            self.fields["unit"].queryset = targets  # type: ignore[attr-defined]
            self.fields["unit"].label_from_instance = lambda o: f"{o.name}（{o.region.name}）"  # type: ignore[attr-defined]
        style_form(self, small_selects=True)

    action = ""


class NoteAction(_Action):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SignAction(_Action):
    action = "sign"


class StartAction(NoteAction):
    action = "start"


class DispatchAction(_Action):
    action = "dispatch"
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Empty: by the routing rules"),
    )


class TransferAction(_Action):
    action = "transfer"
    to_origin = forms.BooleanField(label=_("To the origin region's commission"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Or to the unit"), queryset=Organization.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReturnAction(_Action):
    action = "return"
    reason = forms.CharField(label=_("Why is it not yours?"), max_length=500, required=False)


class ReviewAction(_Action):
    action = "review"
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("1", _("Accept the return and dispatch elsewhere")),
            ("0", _("Refuse: the unit handles it")),
        ],
        coerce=lambda v: v == "1",
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EscalateAction(_Action):
    action = "escalate"
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class ExtensionAction(_Action):
    action = "extend"
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ExtensionDecideAction(_Action):
    action = "extension"
    approve = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Refuse"))], coerce=lambda v: v == "1"
    )


class AnswerAction(_Action):
    action = "answer"
    reply = forms.CharField(
        label=_("Answer to the resident"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CloseAction(NoteAction):
    action = "close"


class ReviewCloseAction(_Action):
    action = "review_close"
    note = forms.CharField(label=_("What the review found"), max_length=500, required=False)


class FollowUpAction(_Action):
    action = "followup"
    reached = forms.BooleanField(label=_("Resident reached"), required=False)
    rating = forms.ChoiceField(
        label=_("Rating given on the call"), choices=[("", "—")] + list(Rating.choices), required=False
    )
    note = forms.CharField(label=_("Notes"), max_length=500, required=False)


class ExcludeAction(_Action):
    action = "exclude"
    reason = forms.CharField(
        label=_("Reason for excluding it from assessment"), max_length=300, required=False
    )


class MergeAction(_Action):
    action = "merge"
    into = forms.CharField(label=_("Tracking number of the request to keep"), max_length=20)


ACTIONS: dict[str, type[_Action]] = {
    cls.action: cls
    for cls in (
        SignAction,
        StartAction,
        DispatchAction,
        TransferAction,
        ReturnAction,
        ReviewAction,
        EscalateAction,
        ExtensionAction,
        ExtensionDecideAction,
        AnswerAction,
        CloseAction,
        ReviewCloseAction,
        FollowUpAction,
        ExcludeAction,
        MergeAction,
    )
}


# ------------------------------------------------------------------------------------------------ filters


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Tracking or 12345 number, text"), required=False, max_length=60)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(Status.choices), required=False
    )
    stage = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("All")), ("open", _("Open")), ("overdue", _("Open and overdue"))],
        required=False,
    )
    mine = forms.BooleanField(label=_("Only those with my side"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class MetricsForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Per"), choices=[("unit", _("Unit")), ("region", _("County or district"))], required=False
    )
    start = forms.DateField(label=_("Received from"), required=False, widget=DatePicker())
    end = forms.DateField(label=_("to"), required=False, widget=DatePicker())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end lies before the start."))
        return data


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Holidays"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One day or range per line with its name: 2027-01-01 元旦, or 2027-02-06..2027-02-14 春节."
        ),
    )
    workdays = forms.CharField(
        label=_("Makeup working days (调休)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Saturdays or Sundays that are working days, one per line: 2027-02-20 春节."),
    )
    file = forms.FileField(
        label=_("Or an Excel file"),
        required=False,
        help_text=_("Columns: date, type (休 or 班), name. Replaces the lists above."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holidays"].required = False
        style_form(self)

    @staticmethod
    def parse_lines(text: str) -> list[tuple[dt.date, str]]:
        days: list[tuple[dt.date, str]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            span, _sep, name = line.partition(" ")
            try:
                first_text, _dots, last_text = span.partition("..")
                first = dt.date.fromisoformat(first_text)
                last = dt.date.fromisoformat(last_text) if last_text else first
            except ValueError as exc:
                raise forms.ValidationError(
                    _("Line %(n)d: write a date as 2027-01-01 (or a range 2027-02-06..2027-02-14).")
                    % {"n": number}
                ) from exc
            if last < first or (last - first).days > 31:
                raise forms.ValidationError(_("Line %(n)d: the range is not valid.") % {"n": number})
            day = first
            while day <= last:
                days.append((day, name.strip()))
                day += dt.timedelta(days=1)
        return days


class RoutingRuleForm(forms.Form):
    """A routing rule: a region of the jurisdiction (its division code), a category (empty: the region's default
    unit) and the responsible unit. The service checks the region and the unit against the jurisdiction."""

    region = forms.CharField(
        label=_("Region"),
        max_length=12,
        validators=[no_control_characters],
        help_text=_("The division code, e.g. 321002 or a community's 12 digits."),
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("request", "Category"),
        choices=[("", _("Any category (the region's default unit)"))],
        required=False,
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Any category (the region's default unit)")),
            *RequestCategory.choices,
        ]
        if units is not None:
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        style_form(self)


class SlaRuleForm(forms.Form):
    sign_minutes = forms.IntegerField(label=_("Sign within (working minutes)"))
    answer_minutes = forms.IntegerField(label=_("Answer within (working minutes)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class DeskSettingsForm(forms.Form):
    unrated_days = forms.IntegerField(label=_("Days a resident has to rate"), min_value=1, max_value=90)
    unrated_counts_as = forms.ChoiceField(label=_("An unrated request counts as"), choices=Rating.choices)
    followup_percent = forms.IntegerField(label=_("Share drawn for a follow-up call (%)"))
    weight_resolution = forms.IntegerField(
        label=_("Weight of the resolution rate"), min_value=0, max_value=100
    )
    weight_satisfaction = forms.IntegerField(
        label=_("Weight of the satisfaction rate"), min_value=0, max_value=100
    )
    weight_on_time = forms.IntegerField(label=_("Weight of the on-time rate"), min_value=0, max_value=100)
    amber_percent = forms.IntegerField(label=_("Amber when less than this share of time is left (%)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
