"""Forms of the livelihood pages: they parse input; the services decide (their messages come back onto the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.accounts.models import User
from shiliu.lib import clock
from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField

from . import occupations, selectors
from .models import AidKind, Job, TrainingKind


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


def _occupation_field(**kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Occupation (major group)"), choices=occupations.choices, **kwargs)


class JobFilterForm(_Styled):
    q = forms.CharField(label=_("Post, employer or address"), required=False, max_length=40)
    occupation = forms.ChoiceField(
        label=_("Occupation"),
        required=False,
        choices=lambda: [("", _("All occupations")), *occupations.choices()],
    )


class JobForm(_Styled):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Organization.objects.none())
    title = forms.CharField(label=_("Post"), max_length=60)
    occupation = _occupation_field(help_text=_("职业分类大典 (2022 edition), major groups."))
    place = forms.CharField(label=_("Address"), max_length=100)
    wage_min = forms.IntegerField(label=_("Lowest monthly wage (yuan)"), min_value=0, max_value=1_000_000)
    wage_max = forms.IntegerField(label=_("Highest monthly wage (yuan)"), min_value=0, max_value=1_000_000)
    hours = forms.CharField(
        label=_("Working hours"), max_length=60, help_text=_("e.g. 8 hours a day, 1 day off a week")
    )
    housing = forms.BooleanField(label=_("Housing provided"), required=False)
    meals = forms.BooleanField(label=_("Meals provided"), required=False)
    languages = forms.CharField(
        label=_("Languages"), max_length=60, required=False, help_text=_("e.g. 国家通用语言、哈萨克语")
    )
    requirements = forms.CharField(
        label=_("Requirements"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    openings = forms.IntegerField(label=_("Openings"), min_value=1, max_value=10_000, initial=1)
    recruit_from = RegionField(label=_("Recruits from (origin region)"), required=False)
    closes_on = forms.DateField(label=_("Applications close on"), widget=DatePicker())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = selectors.employer_choices(user=user)  # type: ignore[attr-defined]

    def clean_closes_on(self) -> Any:
        closes_on = self.cleaned_data["closes_on"]
        if closes_on is not None and closes_on < clock.today():
            raise forms.ValidationError(_("The closing date is in the past."))
        return closes_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("wage_min"), data.get("wage_max")
        if low is not None and high is not None and low > high:
            self.add_error("wage_max", _("The highest wage is lower than the lowest wage."))
        return data


class ApplyForm(_Styled):
    note = forms.CharField(label=_("A word to the employer (optional)"), required=False, max_length=200)


class AnswerForm(_Styled):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    answer = forms.CharField(label=_("Answer"), required=False, max_length=200)


class PlacementForm(_Styled):
    started_on = forms.DateField(label=_("Started work on"), widget=DatePicker())
    wage = forms.IntegerField(
        label=_("Monthly wage (yuan)"), required=False, min_value=0, max_value=1_000_000
    )


class RetentionForm(forms.Form):
    months = forms.TypedChoiceField(choices=[(3, "3"), (6, "6")], coerce=int)
    retained = forms.TypedChoiceField(choices=[("1", "yes"), ("0", "no")], coerce=lambda v: v == "1")


class FairForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=100)
    region = RegionField(label=_("Held in"))
    origin_region = RegionField(label=_("For workers from"), required=False)
    held_on = forms.DateField(label=_("Date"), widget=DatePicker())
    place = forms.CharField(label=_("Place"), max_length=100)
    jobs = forms.ModelMultipleChoiceField(
        label=_("Posts at the fair"),
        queryset=Job.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jobs"].queryset = selectors.job_list(user=user, open_only=True).filter(  # type: ignore[attr-defined]
            employer__in=selectors.employer_choices(user=user)
        )


class SeekerNeedForm(_Styled):
    origin_region = RegionField(label=_("Origin region"))
    occupation = _occupation_field()
    wanted = forms.CharField(label=_("Kind of work"), max_length=60)
    place_region = RegionField(label=_("Wanted place"))
    wage_min = forms.IntegerField(
        label=_("Lowest acceptable monthly wage (yuan)"), min_value=0, max_value=1_000_000
    )
    languages = forms.CharField(label=_("Languages"), max_length=60, required=False)
    seekers = forms.IntegerField(label=_("Number of seekers"), min_value=1, max_value=100_000)


class ClassForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=100)
    site = forms.ModelChoiceField(label=_("Training site"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    origin_region = RegionField(label=_("For learners from"), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DatePicker())
    ends_on = forms.DateField(label=_("Ends on"), widget=DatePicker())
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000, initial=30)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.unit_choices(user=user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("The class ends before it starts."))
        return data


class SessionForm(_Styled):
    held_on = forms.DateField(label=_("Date"), widget=DatePicker())
    starts_at = forms.TimeField(label=_("Starts at"), widget=TimePicker())
    ends_at = forms.TimeField(label=_("Ends at"), widget=TimePicker())
    topic = forms.CharField(label=_("Topic"), max_length=100)


class HoursForm(_Styled):
    served_on = forms.DateField(label=_("Date of service"), widget=DatePicker())
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, min_value=0)
    beneficiaries = forms.IntegerField(label=_("People served"), min_value=0, max_value=100_000, initial=0)
    description = forms.CharField(label=_("What was done"), max_length=200)

    def clean_served_on(self) -> Any:
        # Checked here as well as in the service, so a future date is reported together with a bad number of hours.
        served_on = self.cleaned_data["served_on"]
        if served_on is not None and served_on > clock.today():
            raise forms.ValidationError(_("The date is in the future."))
        return served_on

    def clean_hours(self) -> Any:
        hours = self.cleaned_data["hours"]
        if hours is not None and hours > 24:
            raise forms.ValidationError(_("A day has no more than 24 hours."))
        return hours


class DecideForm(_Styled):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    return_reason = forms.CharField(label=_("Reason for returning"), required=False, max_length=200)


class VisitForm(_Styled):
    visited_on = forms.DateField(label=_("Visited on"), widget=DatePicker())
    activities = forms.CharField(label=_("What was done"), max_length=200)
    help_given = forms.CharField(label=_("Help given"), required=False, max_length=200)


class AidForm(_Styled):
    given_on = forms.DateField(label=_("Given on"), widget=DatePicker())
    kind = forms.ChoiceField(label=_("Kind"), choices=AidKind.choices)
    description = forms.CharField(label=_("What was given"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount or value (yuan)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )
    giver = forms.CharField(label=_("Given by"), max_length=60)


class PairingForm(_Styled):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=User.objects.none())
    household = forms.CharField(label=_("Household"), max_length=40, help_text=_("e.g. 买买提·艾力家"))
    region = RegionField(label=_("Household's village or community"))
    members = forms.IntegerField(label=_("Household members"), min_value=1, max_value=30, initial=1)
    paired_on = forms.DateField(label=_("Paired on"), widget=DatePicker())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from shiliu.jurisdiction.scope import scope_for, under

        scope = scope_for(user)
        qs = User.objects.filter(is_active=True).exclude(role="resident")
        if scope.is_coordinator:
            qs = qs.filter(organization_id=scope.unit_id or 0)
        elif not scope.is_everything:
            qs = qs.filter(under("region", scope.prefix or ""))
        self.fields["cadre"].queryset = qs.order_by("username")  # type: ignore[attr-defined]
        self.fields["cadre"].label_from_instance = lambda u: u.display_name or u.username  # type: ignore[attr-defined]


class VerifyForm(_Styled):
    code = forms.CharField(label=_("Verification code"), max_length=20)


def _user_by_login(login: str) -> User:
    user = User.objects.filter(username=login.strip(), is_active=True).first()
    if user is None:
        raise forms.ValidationError(_("No account has the login %(login)s.") % {"login": login.strip()[:40]})
    return user


class TeamForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("e.g. 琼花石榴红志愿服务队"))
    region = RegionField(label=_("Region"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Organization.objects.none(), required=False)
    leader = forms.CharField(label=_("Leader's login"), max_length=150)
    members = forms.CharField(
        label=_("Members' logins"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One login a line; members log their own hours."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.unit_choices(user=user)  # type: ignore[attr-defined]

    def clean_leader(self) -> User:
        return _user_by_login(self.cleaned_data["leader"])

    def clean_members(self) -> list[User]:
        logins = [line for line in self.cleaned_data["members"].splitlines() if line.strip()]
        return [_user_by_login(login) for login in logins[:200]]


class MemberForm(_Styled):
    login = forms.CharField(label=_("Login of the new member"), max_length=150)

    def clean_login(self) -> User:
        return _user_by_login(self.cleaned_data["login"])


class SeekerListUploadForm(_Styled):
    file = forms.FileField(label=_("Seekers' list (.xlsx, from the template)"))
