"""Units (单位): commissions, agencies, schools, hospitals, communities, villages, enterprises and the rest."""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib.bounds import NOTE_CHARS, text_limit


class UnitKind(models.TextChoices):
    COMMISSION = "commission", _("Ethnic affairs commission")
    AGENCY = "agency", _("Government agency")
    SCHOOL = "school", _("School")
    HOSPITAL = "hospital", _("Hospital")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    ENTERPRISE = "enterprise", _("Enterprise")
    TOURISM = "tourism", _("Tourism operator")
    SOCIAL_ORG = "social_org", _("Social organisation")
    AID_COMMAND = "aid_command", _("Aid command")


class Locality(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class SchoolStage(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    NINE_YEAR = "nine_year", _("Nine-year school")
    VOCATIONAL = "vocational", _("Vocational school")


phone_validator = RegexValidator(
    regex=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$",
    message=_("Enter a mainland mobile number (11 digits) or a landline such as 0514-87654321."),
)


def mask_phone(phone: str) -> str:
    """Show the first three and last four digits only: 13812345678 → 138****5678."""
    digits = phone.replace("-", "")
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


class Organization(ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)
    scope_unit_field: ClassVar[str] = "pk"

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=UnitKind.choices, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=32, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=24, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("email"), blank=True)
    description = models.TextField(
        _("description"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS)
    )
    locality = models.CharField(_("urban or rural"), max_length=8, choices=Locality.choices, blank=True)
    stage = models.CharField(_("school stage"), max_length=12, choices=SchoolStage.choices, blank=True)
    headcount = models.PositiveIntegerField(_("size (students or staff)"), null=True, blank=True)
    pinyin = models.CharField(max_length=300, db_index=True, editable=False)
    initials = models.CharField(max_length=100, db_index=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo record"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region_id", "kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organization_unique_name_in_region"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="organization_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""


class UnitImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking rows")
    CHECKED = "checked", _("Problems found")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class UnitImport(models.Model):
    """One upload of the units template, checked and written by a background task (``orgs.tasks``).

    The uploader is kept as an id, not a foreign key: accounts sit above orgs in the layers (docs/adr/0007).
    """

    created_by_id = models.PositiveIntegerField(db_index=True)
    file = models.FileField(upload_to="unit-imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=UnitImportStatus.choices, default=UnitImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)  # read from the file
    checked_rows = models.PositiveIntegerField(default=0)  # checked against the units' rules
    created_count = models.PositiveIntegerField(default=0)
    good_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # the first 500: {row, column, message}
    good_rows_only = models.BooleanField(default=False)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unit import")
        verbose_name_plural = _("unit imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in (UnitImportStatus.QUEUED, UnitImportStatus.CHECKING)

    @property
    def percent(self) -> int:
        if not self.is_running:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(50 * (self.processed_rows + self.checked_rows) / self.total_rows))
