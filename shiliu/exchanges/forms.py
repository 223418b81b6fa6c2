from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shiliu.lib.forms import DatePicker, style_form
from shiliu.orgs.forms import units_under_field
from shiliu.orgs.models import Organization
from shiliu.regions.forms import RegionField, RegionPickerWidget
from shiliu.regions.models import EthnicGroup

from .models import MAX_COUNT, ActivityType, AgeBand, Category, Gender, Plan


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.region.name}）"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    activity_type = forms.ModelChoiceField(
        label=_("Type"), queryset=ActivityType.objects.filter(is_active=True)
    )
    plan_embedding = forms.BooleanField(label=Plan.EMBEDDING.label, required=False)
    plan_youth = forms.BooleanField(label=Plan.YOUTH.label, required=False)
    plan_tourism = forms.BooleanField(label=Plan.TOURISM.label, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DatePicker())
    end_date = forms.DateField(label=_("End date"), widget=DatePicker())
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    sending_region = RegionField(
        label=_("Sending party: region"), widget=RegionPickerWidget(units_target="id_sending_unit")
    )
    sending_unit = UnitChoiceField(
        label=_("Sending party: unit (optional)"), queryset=Organization.objects.none(), required=False
    )
    receiving_region = RegionField(
        label=_("Receiving party: region"), widget=RegionPickerWidget(units_target="id_receiving_unit")
    )
    receiving_unit = UnitChoiceField(
        label=_("Receiving party: unit (optional)"), queryset=Organization.objects.none(), required=False
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sending_unit", "receiving_unit"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = units_under_field(
                self, name.replace("unit", "region")
            )
        style_form(self, small_selects=True)


class ParticipationForm(forms.Form):
    # Blank first choices: an untouched extra row posts nothing and is skipped, rather than counting as filled in.
    category = forms.ChoiceField(label=_("Category"), choices=[("", "---------"), *Category.choices])
    ethnic_group = forms.ModelChoiceField(
        label=_("Ethnic group"), queryset=EthnicGroup.objects.all(), to_field_name="code"
    )
    age_band = forms.ChoiceField(label=_("Age"), choices=[("", "---------"), *AgeBand.choices])
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    count = forms.IntegerField(label=_("Person-times"), min_value=1, max_value=MAX_COUNT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


class ParticipationRows(forms.BaseFormSet):
    # Django's "Please submit at least 1 form." tells a person nothing about what to do.
    default_error_messages = {"too_few_forms": _("Enter at least one row of participants.")}


ParticipationFormSet = forms.formset_factory(
    ParticipationForm, formset=ParticipationRows, extra=3, can_delete=True, min_num=1, validate_min=True
)


def participation_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, not deleted rows of a valid formset."""
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class StatsForm(forms.Form):
    region = RegionField(label=_("Region"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    date_to = forms.DateField(label=_("To"), required=False, widget=DatePicker())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, small_selects=True)


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


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    file = forms.FileField(label=_("File (photo: PNG/JPEG; document: PDF or .xlsx)"), required=False)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    caption = forms.CharField(label=_("Caption"), max_length=120, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import EvidenceKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = EvidenceKind.choices
        style_form(self, small_selects=True)


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
