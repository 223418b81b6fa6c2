"""The activity ledger of the Three Plans: one record per exchange, two sides, counted once.

An activity has a sending and a receiving party (regions, optionally units). The side that records it submits it;
the other side confirms it (or corrects and confirms). Statistics use confirmed activities only, each counted once
and attributed to each side by its role. Participation is counts by category × ethnic group × age band × gender —
no names. Evidence (photos, documents, links) shows an activity took place."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock
from shiliu.lib.bounds import TEXT_CHARS, text_limit, work_date
from shiliu.lib.names import localized

MAX_COUNT = 100_000  # one row of one activity; "580多名干部群众" is the scale, a million is a typo


class Plan(models.TextChoices):
    EMBEDDING = "embedding", _("Embedded development")
    YOUTH = "youth", _("Youth exchange")
    TOURISM = "tourism", _("Tourism exchange")


class PlanFlags(models.Model):
    """Which of the Three Plans a record serves (at least one): activities and the offers they come from."""

    plan_embedding = models.BooleanField(_("embedded development"), default=False)
    plan_youth = models.BooleanField(_("youth exchange"), default=False)
    plan_tourism = models.BooleanField(_("tourism exchange"), default=False)

    class Meta:
        abstract = True

    @property
    def has_plan(self) -> bool:
        return self.plan_embedding or self.plan_youth or self.plan_tourism

    @property
    def plans(self) -> list[str]:
        """The labels of the plans served, in the plans' order."""
        return [str(label) for value, label in Plan.choices if getattr(self, f"plan_{value}")]


class ActivityType(models.Model):
    """A maintained taxonomy (互访考察, 夏令营/冬令营, 研学 …), seeded by a migration, extended by admins."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Side(models.TextChoices):
    SENDING = "sending", _("Sending party")
    RECEIVING = "receiving", _("Receiving party")


class Activity(PlanFlags, ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("sending_region", "receiving_region")

    title = models.CharField(_("title"), max_length=120)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities"
    )
    start_date = models.DateField(_("start date"), db_index=True, validators=[work_date])
    end_date = models.DateField(_("end date"), validators=[work_date])
    place = models.CharField(_("place"), max_length=120, blank=True)
    sending_region = models.ForeignKey(
        "regions.Region", verbose_name=_("sending region"), on_delete=models.PROTECT, related_name="+"
    )
    sending_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("sending unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiving_region = models.ForeignKey(
        "regions.Region", verbose_name=_("receiving region"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("receiving unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pairing = models.ForeignKey(
        "pairings.Pairing",
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    summary = models.TextField(
        _("summary"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.DRAFT,
        db_index=True,
    )
    recorded_by_side = models.CharField(_("recorded by"), max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=clock.now)
    is_demo = models.BooleanField(default=False, editable=False)
    imported = models.BooleanField(default=False, editable=False)  # written by the historical import
    # A derived activity (最多报一次) belongs to the record of another module it came from (a job fair, a training
    # class, a lecture …): that module writes it through ledger.derived, and the ledger never edits it.
    source_kind = models.CharField(_("derived from"), max_length=30, blank=True, default="", editable=False)
    source_ref = models.CharField(max_length=40, blank=True, default="", editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="activity_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(plan_embedding=True)
                | models.Q(plan_youth=True)
                | models.Q(plan_tourism=True),
                name="activity_has_a_plan",
            ),
            # The historical import's idea of "the same activity" (title, start, both regions), held by the
            # database: two imports of the same file at the same moment cannot both write it.
            models.UniqueConstraint(
                fields=["title", "start_date", "sending_region", "receiving_region"],
                condition=models.Q(imported=True) & ~models.Q(status="cancelled"),
                name="activity_imported_once",
            ),
            models.UniqueConstraint(
                fields=["source_kind", "source_ref"],
                condition=~models.Q(source_kind=""),
                name="activity_one_per_source",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_derived(self) -> bool:
        return bool(self.source_kind)

    @property
    def other_side(self) -> str:
        return Side.RECEIVING if self.recorded_by_side == Side.SENDING else Side.SENDING

    def party_label(self, side: str) -> str:
        unit = getattr(self, f"{side}_unit")
        return unit.name if unit else getattr(self, f"{side}_region").name


class Category(models.TextChoices):
    CADRE = "cadre", _("Cadres")
    TEACHER = "teacher", _("Teachers")
    STUDENT = "student", _("Students")
    MEDICAL = "medical", _("Medical staff")
    WORKER = "worker", _("Enterprise staff")
    PUBLIC = "public", _("General public")
    OTHER = "other", _("Others")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    FROM_18_TO_35 = "18_35", _("18–35")
    OVER_35 = "o35", _("Over 35")


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "u", _("Not recorded")


class Participation(models.Model):
    """Person-times of one cell: category × ethnic group × age band × gender."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    ethnic_group = models.ForeignKey(
        "regions.EthnicGroup", verbose_name=_("ethnic group"), on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(_("age"), max_length=6, choices=AgeBand.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    count = models.PositiveIntegerField(
        _("person-times"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)]
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category", "ethnic_group", "age_band", "gender"],
                name="participation_one_row_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1, count__lte=MAX_COUNT), name="participation_count_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.category}/{self.ethnic_group_id}/{self.age_band}/{self.gender} × {self.count}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A photo, a document or a link that shows the activity took place."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="link") & ~models.Q(url=""))
                | (~models.Q(kind="link") & ~models.Q(file="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.url or self.file.name
