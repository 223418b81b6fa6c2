"""The culture library (民族文化数字云平台), publicity lectures (宣讲) and online national-language courses.

Library items are owned by a commission's region; what it marks *public* is readable without login through the
public selectors, which read only the public fields (never ``internal_note`` or the contact).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet


class Kind(models.TextChoices):
    HERITAGE = "heritage", _("Intangible heritage")
    SONG = "song", _("Song")
    DANCE = "dance", _("Dance")
    DRAMA = "drama", _("Drama")
    BOOK = "book", _("Book")
    CRAFT = "craft", _("Craft work")
    EXHIBIT = "exhibit", _("Exhibit")


class Category(models.TextChoices):
    """The ten categories of the national list of intangible cultural heritage."""

    FOLK_LITERATURE = "folk_literature", _("Folk literature")
    MUSIC = "music", _("Traditional music")
    DANCE = "dance", _("Traditional dance")
    DRAMA = "drama", _("Traditional drama")
    QUYI = "quyi", _("Quyi (storytelling and ballad singing)")
    SPORTS = "sports", _("Traditional sports, entertainment and acrobatics")
    FINE_ARTS = "fine_arts", _("Traditional fine arts")
    CRAFTSMANSHIP = "craftsmanship", _("Traditional craftsmanship")
    MEDICINE = "medicine", _("Traditional medicine")
    FOLK_CUSTOM = "folk_custom", _("Folk customs")


class HeritageLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("CC BY 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("CC BY-NC 4.0")
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", _("CC BY-NC-ND 4.0")
    PUBLIC_DOMAIN = "public-domain", _("Public domain")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved (shown by permission)")


class Item(ScopedModel):
    """One entry of the library: a heritage item or a work (song, dance, drama, book, craft, exhibit)."""

    scope_unit_field: ClassVar[str] = "organization"

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HERITAGE)
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(
        pgettext_lazy("heritage", "category"), max_length=16, choices=Category.choices, blank=True
    )
    level = models.CharField(_("level"), max_length=12, choices=HeritageLevel.choices, blank=True)
    heritage_number = models.CharField(_("list number"), max_length=24, blank=True, help_text=_("e.g. Ⅱ-120"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("keeping unit")
    )
    ethnic_groups = models.ManyToManyField("regions.EthnicGroup", blank=True, verbose_name=_("ethnic groups"))
    summary = models.TextField(_("description"), max_length=4000, blank=True)
    creators = models.CharField(_("creators"), max_length=200, blank=True)
    created_from = models.DateField(_("date (from)"), null=True, blank=True)
    created_to = models.DateField(_("date (to)"), null=True, blank=True)
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices)
    credit = models.CharField(_("credit"), max_length=200)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT, db_index=True
    )
    # Never shown on public pages, in the public API or in the search index.
    internal_note = models.TextField(_("internal note"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Segmented words, pinyin and initials of the public fields (search.index_texts); the full-text indexes of
    # both databases are built over these columns (an FTS5 table kept by triggers; a generated tsvector column).
    search_title = models.TextField(blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["visibility", "region"]),
            models.Index(fields=["category", "level"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(created_to__isnull=True)
                | Q(created_from__isnull=True)
                | Q(created_to__gte=F("created_from")),
                name="culture_item_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="heritage") | (~Q(category="") & ~Q(level="")),
                name="culture_heritage_has_category_and_level",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class Bearer(models.Model):
    """A recognised bearer (代表性传承人) of a heritage item: their published name and level, nothing private."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="bearers")
    name = models.CharField(_("name"), max_length=40)
    level = models.CharField(_("level"), max_length=12, choices=HeritageLevel.choices)
    recognised_year = models.PositiveSmallIntegerField(_("year recognised"), null=True, blank=True)

    class Meta:
        ordering = ["item", "name"]

    def __str__(self) -> str:
        return self.name


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio link")
    VIDEO = "video", _("Video link")
    DOCUMENT = "document", _("Document (PDF)")


class Media(models.Model):
    """An image (re-encoded, with a thumbnail), a PDF document, or a link to audio or video hosted elsewhere.

    Files are served by ``culture:media_file`` only, which checks the item may be seen by the viewer."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    file = models.FileField(upload_to="culture/%Y/", blank=True)
    thumbnail = models.FileField(upload_to="culture/thumbs/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Empty: the item's credit.")
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "order", "id"]
        verbose_name_plural = "media"

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()


class Exhibition(ScopedModel):
    """A collection or exhibition of items; a touring one (流动博物馆) travels to venues."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    is_exhibition = models.BooleanField(_("exhibition (not only a collection)"), default=True)
    is_touring = models.BooleanField(_("touring"), default=False)
    items = models.ManyToManyField(Item, blank=True, related_name="exhibitions", verbose_name=_("items"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    licence = models.CharField(_("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY_NC)
    credit = models.CharField(_("credit"), max_length=200)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Venue(models.Model):
    """One stop of an exhibition: where, when, how many visitors."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("venue"), max_length=120)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        ordering = ["exhibition", "opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="culture_venue_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Lectures ---------------------------------------------------------------------------------------------------


class LectureSeries(ScopedModel):
    """A series of publicity lectures (e.g. the weekly 视频大宣讲)."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, verbose_name=_("organising region")
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("organising unit"),
    )
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "lecture series"

    def __str__(self) -> str:
        return self.title


class Lecture(ScopedModel):
    """One session of a series: who spoke on what, where (a venue or a stream), the replay, the audience."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region", "series__region")

    series = models.ForeignKey(LectureSeries, on_delete=models.CASCADE, related_name="sessions")
    topic = models.CharField(_("topic"), max_length=160)
    speaker = models.CharField(_("speaker"), max_length=80)
    held_on = models.DateField(_("date"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, verbose_name=_("region where held")
    )
    venue = models.CharField(_("venue"), max_length=120, blank=True)
    stream_url = models.URLField(_("stream link"), max_length=500, blank=True)
    replay_url = models.URLField(_("replay link"), max_length=500, blank=True)
    attendance = models.PositiveIntegerField(_("attendance on site"), default=0)
    views = models.PositiveIntegerField(_("online views"), default=0)
    plan = models.CharField(
        _("plan"),
        max_length=12,
        blank=True,
        help_text=_("A session under one of the Three Plans counts once in the activity statistics."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["held_on", "region"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(stream_url=""), name="culture_lecture_has_venue_or_stream"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def reach(self) -> int:
        return self.attendance + self.views


# --- Courses ----------------------------------------------------------------------------------------------------


class Course(ScopedModel):
    """An online course of the national common language (国家通用语言文字), open to residents once published."""

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=120)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    text = models.TextField(_("text"), max_length=8000, blank=True)

    class Meta:
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a lesson's short quiz: a prompt and its choices, one line each; ``answer`` counts from 1."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    prompt = models.CharField(_("question"), max_length=200)
    choices = models.TextField(_("choices (one a line)"), max_length=1000)
    answer = models.PositiveSmallIntegerField(_("number of the right choice"))

    class Meta:
        ordering = ["lesson", "id"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


class Enrollment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrollments"
    )
    # The learner's region when enrolling (a resident's community), for the training statistics.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT)
    enrolled_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="culture_one_enrollment_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.course_id}"


class LessonResult(models.Model):
    """A lesson passed (its quiz answered right)."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="results")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="results")
    score = models.PositiveSmallIntegerField(default=0)
    passed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="culture_one_result_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.lesson_id}"
