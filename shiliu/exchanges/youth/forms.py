"""Forms of the youth exchange: programmes, pupils (one or a whole class), letters, online classes and their report."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.forms import UnitChoiceField
from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.forms import units_under_field
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField, RegionPickerWidget

# --- youth exchange -------------------------------------------------------------------------------------------


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, initial="书信手拉手")
    school_a = UnitChoiceField(label=_("Our school (A)"), queryset=Organization.objects.none())
    class_a = forms.CharField(label=_("Class at school A"), max_length=40, help_text=_("e.g. 初一（2）班"))
    school_b_region = RegionField(
        label=_("Partner school: region"),
        widget=RegionPickerWidget(units_target="id_school_b", units_kind="school"),
    )
    school_b = UnitChoiceField(label=_("Partner school (B)"), queryset=Organization.objects.none())
    class_b = forms.CharField(label=_("Class at school B"), max_length=40)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school_a"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["school_b"]).queryset = units_under_field(
            self, "school_b_region"
        ).filter(kind="school")
        style_form(self, small_selects=True)


class StudentForm(forms.Form):
    side = forms.ChoiceField(label=_("Class"), choices=[("a", "A"), ("b", "B")])
    code = forms.CharField(
        label=_("Student code"), max_length=20, help_text=_("letters, digits, hyphens — no names")
    )
    grade = forms.IntegerField(label=_("Grade"), min_value=1, max_value=12)
    age = forms.IntegerField(label=_("Age"), min_value=5, max_value=19)
    interests = forms.CharField(label=_("Interests"), max_length=120, required=False)
    consent_on = forms.DateField(label=_("Guardian consent on"), required=False, widget=DatePicker())

    def __init__(self, *args: Any, sides: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["side"]).choices = sides
        style_form(self, small_selects=True)


class StudentsForm(forms.Form):
    side = forms.ChoiceField(label=_("Class"), choices=[("a", "A"), ("b", "B")])
    text = forms.CharField(
        label=_("Pupils, one a line: code grade age interests"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "A-01 7 12 绘画 足球\nA-02 7 13 阅读"}),
        max_length=8000,
    )
    consent_on = forms.DateField(
        label=_("Guardian consent on (for all of them, if signed)"), required=False, widget=DatePicker()
    )

    def __init__(self, *args: Any, sides: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["side"]).choices = sides
        style_form(self, small_selects=True)


class LetterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=[("ab", "A → B"), ("ba", "B → A")])
    sent_on = forms.DateField(label=_("Sent on"), widget=DatePicker())
    count = forms.IntegerField(label=_("Letters"), min_value=1, max_value=20, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class OnlineClassForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    title = forms.CharField(label=_("Title"), max_length=120)
    host = UnitChoiceField(label=_("Host school"), queryset=Organization.objects.none())
    partner_region = RegionField(
        label=_("Partner school: region"),
        widget=RegionPickerWidget(units_target="id_partner", units_kind="school"),
    )
    partner = UnitChoiceField(label=_("Partner school"), queryset=Organization.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts at (the host school's local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=10, max_value=240, initial=45
    )
    meeting_url = forms.URLField(label=_("Meeting link"), assume_scheme="https")
    classes_host = forms.CharField(label=_("Classes of the host school"), max_length=120)
    classes_partner = forms.CharField(label=_("Classes of the partner school"), max_length=120)

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        from .models import OnlineClassKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = OnlineClassKind.choices
        cast(forms.ModelChoiceField, self.fields["host"]).queryset = schools
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = units_under_field(
            self, "partner_region"
        ).filter(kind="school")
        style_form(self, small_selects=True)


class OnlineReportForm(forms.Form):
    attendance_sending = forms.IntegerField(
        label=_("Attendance at the host school"), min_value=0, max_value=5000
    )
    attendance_receiving = forms.IntegerField(
        label=_("Attendance at the partner school"), min_value=0, max_value=5000
    )
    replay_url = forms.URLField(label=_("Replay link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)
