"""Migrant residents (流动人口): who moved from an origin region (流出地) to live in a community of a residence
region (流入地), with the consent that covers what is recorded about them, and their handovers between communities.

A resident is a two-sided record: the residence side (its commission, and the community's coordinator) manages it;
the origin side's commission reads its own people living elsewhere (a few fields, read-only). Sensitive fields are
stored only under a consent that covers them: the ID number (encrypted, with a keyed hash to find it, and a masked
copy to show), the phone number (encrypted, masked copy), the ethnic group and the household members.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock
from shiliu.lib.bounds import NOTE_CHARS, text_limit
from shiliu.lib.crypto import EncryptedField


class Need(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment")
    HEALTH = "health", _("Medical care")
    SCHOOLING = "schooling", _("Schooling")
    HOUSING = "housing", _("Housing")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other")


class ConsentScope(models.TextChoices):
    """What a consent covers; each scope names the fields it allows to be stored."""

    IDENTITY = "identity", _("ID number")
    CONTACT = "contact", _("Phone number")
    ETHNICITY = "ethnicity", _("Ethnic group")
    HOUSEHOLD = "household", _("Household members")
    PROFILE = "profile", _("Skills, language and needs")


# The Resident fields each scope covers (stored only while a consent covering the scope is in force).
SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    ConsentScope.IDENTITY: ("id_number_encrypted", "id_number_hash", "id_number_masked"),
    ConsentScope.CONTACT: ("phone_encrypted", "phone_masked"),
    ConsentScope.ETHNICITY: ("ethnic_group",),
    ConsentScope.HOUSEHOLD: ("household_members",),
    ConsentScope.PROFILE: ("skills", "language", "needs", "needs_note"),
}


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed paper form")
    VERBAL = "verbal", _("Verbal, witnessed")
    ONLINE = "online", _("Online, by the resident")


class ResidentStatus(models.TextChoices):
    ACTIVE = "active", _("Living here")
    MOVING = "moving", _("Handover pending")


ID_CONTEXT = "residents.Resident.id_number"
PHONE_CONTEXT = "residents.Resident.phone"
ENCRYPTED_FIELDS = (
    EncryptedField(
        "residents.Resident", "id_number_encrypted", ID_CONTEXT, "id_number_hash", normalise="upper"
    ),
    EncryptedField("residents.Resident", "phone_encrypted", PHONE_CONTEXT),
)


class Resident(models.Model):
    # The residence side manages the record; the origin side reads a few fields (selectors.py says which).
    scope_region_fields: ClassVar[tuple[str, ...]] = ("residence_region", "origin_region")

    name = models.CharField(_("name"), max_length=32)
    origin_region = models.ForeignKey(
        "regions.Region", verbose_name=_("origin region"), on_delete=models.PROTECT, related_name="+"
    )
    residence_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("residence community"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The community or village (12-digit division code) the resident lives in."),
    )
    residence_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    moved_in_on = models.DateField(_("moved in on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ResidentStatus.choices, default=ResidentStatus.ACTIVE
    )
    # Sensitive fields, each stored only under a consent covering it (SCOPE_FIELDS).
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    ethnic_group = models.ForeignKey(
        "regions.EthnicGroup",
        verbose_name=_("ethnic group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    household_members = models.JSONField(_("household members"), default=list, blank=True)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    language = models.CharField(_("languages"), max_length=100, blank=True)
    # ",employment,health," — a delimited list, so "needs health" is one portable LIKE on SQLite and PostgreSQL.
    needs = models.CharField(_("needs"), max_length=100, blank=True)
    needs_note = models.TextField(
        _("about the needs"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS)
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("migrant resident")
        verbose_name_plural = _("migrant residents")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One person, one record: a resident who moves on is handed over, not registered again.
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~models.Q(id_number_hash=""),
                name="resident_unique_id_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(origin_region=models.F("residence_region")),
                name="resident_origin_is_not_residence",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def need_list(self) -> list[str]:
        return [n for n in self.needs.split(",") if n]

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(n, n)) for n in self.need_list]


class Consent(models.Model):
    """A resident's consent to store some of their data: what (scopes), when, how, recorded by whom; withdrawable.

    A withdrawal keeps the consent row (the proof that processing had a basis, and when it ended) and says what was
    erased and what was kept.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    scopes = models.JSONField(_("covers"), default=list)
    method = models.CharField(_("how given"), max_length=10, choices=ConsentMethod.choices)
    given_on = models.DateField(_("given on"))
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("e.g. the paper form's number")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=clock.now, editable=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_method = models.CharField(
        _("how withdrawn"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased = models.JSONField(default=list, blank=True)  # the scopes whose data the withdrawal erased

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.resident_id}: {', '.join(self.scopes)}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(ConsentScope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]

    @property
    def erased_labels(self) -> list[str]:
        labels = dict(ConsentScope.choices)
        return [str(labels.get(s, s)) for s in self.erased]


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving community")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Withdrawn")


class Handover(models.Model):
    """A resident moving on from one community to another: the sending side proposes, the receiving side accepts
    (the record then moves) or declines with a reason. Every handover stays as the resident's history."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="handovers")
    from_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_region = models.ForeignKey(
        "regions.Region", verbose_name=_("receiving community"), on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("receiving community"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(status="pending"),
                name="handover_one_pending_per_resident",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.from_region_id} → {self.to_region_id}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking rows")
    CHECKED = "checked", _("Problems found")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ResidentImport(models.Model):
    """One upload of the registry template, checked and written (all rows or none) by a background task."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/residents/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # the first 500: {row, column, message}
    problem_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.FAILED):
            return 100
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING)


# The request desk's models live in their sub-package and register here, in the residents app.
from .requests.models import (  # noqa: E402
    DeskSettings,
    Extension,
    FollowUp,
    HotlineImport,
    RequestEvent,
    RequestPhoto,
    RoutingRule,
    ServiceRequest,
    SlaRule,
)

__all__ = [
    "Consent",
    "DeskSettings",
    "Extension",
    "FollowUp",
    "Handover",
    "HotlineImport",
    "RequestEvent",
    "RequestPhoto",
    "Resident",
    "ResidentImport",
    "RoutingRule",
    "ServiceRequest",
    "SlaRule",
]
# The livelihood services (jobs, training, volunteers, cadre–family pairing) live in their own sub-package; their
# models are imported here so the app (and its migrations) own them.
from .livelihood.models import (  # noqa: E402, F401
    Application,
    Attendance,
    Enrolment,
    Job,
    JobFair,
    KinshipAid,
    KinshipPairing,
    KinshipVisit,
    Placement,
    SeekerNeed,
    TrainingClass,
    TrainingSession,
    VolunteerHours,
    VolunteerTeam,
)
