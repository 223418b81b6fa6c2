from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shiliu.exchanges.ledger.models import Plan
from shiliu.lib.forms import DatePicker, style_form
from shiliu.regions.forms import RegionField, RegionPickerWidget
from shiliu.regions.models import EthnicGroup

from .models import Category, Exhibition, HeritageLevel, Item, Kind, Licence, MediaKind, Visibility


def _all(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    region = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)
    ethnic_group = forms.CharField(required=False, max_length=2, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label=pgettext_lazy("heritage", "Category"),
        required=False,
        choices=_all(_("All categories")) + list(Category.choices),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=_all(_("All levels")) + list(HeritageLevel.choices)
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_all(_("All kinds")) + list(Kind.choices)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Chinese, pinyin or initials, e.g. 剪纸 or jianzhi")
        style_form(self)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        region = data["region"] if data["region"].isdigit() else ""
        return {
            "query": data["q"],
            "region": region,
            "ethnic_group": data["ethnic_group"] if data["ethnic_group"].isdigit() else "",
            "category": data["category"],
            "level": data["level"],
            "kind": data["kind"],
        }


class ItemForm(forms.ModelForm):
    region = RegionField(label=_("Region"), widget=RegionPickerWidget())
    ethnic_groups = forms.ModelMultipleChoiceField(
        label=_("Ethnic groups"),
        queryset=EthnicGroup.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Item
        fields = [
            "kind",
            "title",
            "category",
            "level",
            "heritage_number",
            "region",
            "ethnic_groups",
            "summary",
            "creators",
            "created_from",
            "created_to",
            "licence",
            "credit",
            "visibility",
            "internal_note",
            "contact_name",
            "contact_phone",
        ]
        widgets = {
            "created_from": DatePicker(),
            "created_to": DatePicker(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "internal_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].help_text = _(
            "Public items are readable by anyone without logging in; drafts and internal items only in the jurisdiction."
        )
        self.fields["internal_note"].help_text = _("Never shown publicly.")
        style_form(self)

    def _post_clean(self) -> None:  # the service validates the model (its messages, its permission check)
        pass


class BearerForm(forms.Form):
    name = forms.CharField(label=_("Name of the bearer"), max_length=40)
    level = forms.ChoiceField(label=_("Level of recognition"), choices=HeritageLevel.choices)
    recognised_year = forms.IntegerField(
        label=_("Year recognised"), required=False, min_value=1950, max_value=2100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class MediaForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MediaKind.choices)
    upload = forms.FileField(
        label=_("File (image: PNG or JPEG up to 10 MB; document: PDF up to 20 MB)"), required=False
    )
    url = forms.CharField(
        label=_("Link (audio or video: http:// or https://)"), required=False, max_length=500
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=120)
    credit = forms.CharField(label=_("Credit (empty: the item's)"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ExhibitionForm(forms.ModelForm):
    region = RegionField(label=_("Region"), widget=RegionPickerWidget())

    class Meta:
        model = Exhibition
        fields = [
            "title",
            "description",
            "region",
            "is_exhibition",
            "is_touring",
            "visibility",
            "licence",
            "credit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def _post_clean(self) -> None:
        pass


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Venue"), max_length=120)
    region = RegionField(label=_("Region"), widget=RegionPickerWidget())
    opens_on = forms.DateField(label=_("Opens on"), widget=DatePicker())
    closes_on = forms.DateField(label=_("Closes on"), widget=DatePicker())
    visitors = forms.IntegerField(label=_("Visitors"), initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    region = RegionField(label=_("Organising region"), widget=RegionPickerWidget())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class LectureForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=160)
    speaker = forms.CharField(label=_("Speaker"), max_length=80)
    held_on = forms.DateField(label=_("Date"), widget=DatePicker())
    region = RegionField(label=_("Region where held"), widget=RegionPickerWidget())
    venue = forms.CharField(label=_("Venue"), required=False, max_length=120)
    stream_url = forms.CharField(label=_("Stream link"), required=False, max_length=500)
    replay_url = forms.CharField(label=_("Replay link"), required=False, max_length=500)
    attendance = forms.IntegerField(label=_("Attendance on site"), initial=0)
    views = forms.IntegerField(label=_("Online views"), initial=0)
    plan = forms.ChoiceField(
        label=_("Plan"),
        required=False,
        choices=[("", _("None (not an activity of the Three Plans)")), *Plan.choices],
        help_text=_(
            "A session under a plan counts once in the activity statistics, as an activity recorded automatically."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReachForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = RegionField(label=_("Region"), required=False, widget=RegionPickerWidget())
    by = forms.ChoiceField(
        label=_("Rows"), required=False, choices=[("region", _("By region")), ("month", _("By month"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    region = RegionField(label=_("Region"), widget=RegionPickerWidget())
    is_published = forms.BooleanField(label=_("Published (open to residents)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    video_url = forms.CharField(label=_("Video link"), required=False, max_length=500)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class QuestionForm(forms.Form):
    prompt = forms.CharField(label=_("Question"), max_length=200)
    choices = forms.CharField(
        label=_("Choices (one a line)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer = forms.IntegerField(label=_("Number of the right choice"), min_value=1, max_value=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


LICENCES = dict(Licence.choices)
VISIBILITIES = dict(Visibility.choices)
