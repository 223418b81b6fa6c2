"""The request desk (诉求, 诉速办): a resident's request, its closed loop and its full history.

The loop: 受理 RECEIVED → 派单 DISPATCHED → 签收 SIGNED → 办理 HANDLING → 答复 ANSWERED → 办结 CLOSED → 评价 RATED,
with 回访 (a follow-up call) recorded on a sample of closed requests. A unit that disputes a dispatch sends it back
(退单) to RETURNED, where the dispatcher decides; a resident's 不满意 puts it in REVIEW. Every move is a
:class:`RequestEvent`; the request carries the current state and the clocks.

Parties (who sees a request, decided by ``selectors.py`` with the jurisdiction layer):
- the *receiving* side: the community the request concerns (``region``/``community``), whose commission dispatches;
- the *handling* side: the unit or commission working on it now (``handling_region``/``handling_unit``);
- the *first handler* (首办负责): the first unit it was dispatched to, which stays responsible and sees its progress;
- the *supervisor* (督办): the level above, once the request is escalated.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock
from shiliu.lib.bounds import NOTE_CHARS, text_limit
from shiliu.lib.crypto import EncryptedField

from ..models import Need


class RequestKind(models.TextChoices):
    """The request's nature; with the urgency it sets the SLA clock."""

    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


# The subject matter (what routing rules look at): the registry's needs.
RequestCategory = Need


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Channel(models.TextChoices):
    WEB = "web", _("Online form")
    STAFF = "staff", _("Taken by staff (phone or in person)")
    HOTLINE = "hotline", _("12345 hotline")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")  # 受理
    DISPATCHED = "dispatched", _("Dispatched")  # 派单
    SIGNED = "signed", _("Signed for")  # 签收
    HANDLING = "handling", _("Being handled")  # 办理
    ANSWERED = "answered", _("Answered")  # 答复
    CLOSED = "closed", _("Closed")  # 办结
    RATED = "rated", _("Rated")  # 评价
    RETURNED = "returned", _("Returned, awaiting the dispatcher")  # 退单待审
    REVIEW = "review", _("Reopened for review")  # 不满意复核
    MERGED = "merged", _("Merged into another request")  # 并单


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.DISPATCHED,
    Status.SIGNED,
    Status.HANDLING,
    Status.RETURNED,
    Status.REVIEW,
)
DONE_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.RATED)

# The typed loop: the only moves a request can make.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.DISPATCHED, Status.MERGED),
    Status.DISPATCHED: (Status.SIGNED, Status.RETURNED, Status.DISPATCHED, Status.MERGED),
    Status.SIGNED: (Status.HANDLING, Status.DISPATCHED, Status.RETURNED, Status.ANSWERED),
    Status.HANDLING: (Status.ANSWERED, Status.DISPATCHED),
    Status.RETURNED: (Status.DISPATCHED,),
    Status.ANSWERED: (Status.CLOSED, Status.HANDLING),
    Status.CLOSED: (Status.RATED, Status.REVIEW),
    Status.REVIEW: (Status.DISPATCHED, Status.CLOSED),
    Status.RATED: (Status.REVIEW,),
    Status.MERGED: (),
}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    FAIRLY = "fairly", _("Fairly satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


PHONE_CONTEXT = "residents.ServiceRequest.phone"
ENCRYPTED_FIELDS = (
    EncryptedField("residents.ServiceRequest", "phone_encrypted", PHONE_CONTEXT, "phone_hash"),
)


class ServiceRequest(models.Model):
    scope_region_fields: ClassVar[tuple[str, ...]] = (
        "region",
        "handling_region",
        "first_region",
        "supervisor_region",
    )

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=RequestKind.choices)
    category = models.CharField(_("category"), max_length=12, choices=RequestCategory.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("description"), max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    hotline_order_number = models.CharField(
        _("12345 order number"), max_length=40, null=True, blank=True, unique=True
    )
    # The receiving side: the community the request concerns.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "orgs.Organization", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    # Who asks: a registered resident, a signed-in account, and/or a phone number (encrypted, masked).
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    origin_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("origin region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("name"), max_length=32, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    # The handling side now, the first handler (首办负责) and the supervisor once escalated (督办).
    handling_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handling_unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supervisor_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalation_count = models.PositiveSmallIntegerField(default=0)

    # The clocks. Dispatch and sign-for are kept apart: a returned order does not restart the answer clock,
    # which runs from 受理 (received_at) and moves only by an approved extension.
    received_at = models.DateTimeField(default=clock.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    first_dispatched_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    sign_due = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_estimated = models.BooleanField(
        default=False, help_text="a deadline counted over a year without an official calendar (weekends only)"
    )
    reminded_before = models.BooleanField(default=False)
    reminded_after = models.BooleanField(default=False)

    reply = models.TextField(_("reply"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS))
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rating_is_default = models.BooleanField(default=False)  # counted as configured after N days unrated
    followup_drawn = models.BooleanField(default=False)

    excluded = models.BooleanField(default=False)
    exclusion_reason = models.CharField(max_length=300, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    excluded_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_requests"
    )

    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "answer_due"]),
            models.Index(fields=["handling_unit", "received_at"]),
            models.Index(fields=["region", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(merged_into__isnull=False),
                name="request_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_late(self) -> bool:
        """Answered after its deadline, or still open past it."""
        if self.answered_at is not None:
            return self.answered_at > self.answer_due
        return self.is_open and clock.now() > self.answer_due


class EventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    DISPATCHED = "dispatched", _("Dispatched")
    SIGNED = "signed", _("Signed for")
    HANDLING = "handling", _("Work started")
    TRANSFERRED = "transferred", _("Transferred")
    RETURNED = "returned", _("Returned by the unit")
    RETURN_UPHELD = "return_upheld", _("Return accepted by the dispatcher")
    RETURN_REJECTED = "return_rejected", _("Return refused by the dispatcher")
    ESCALATED = "escalated", _("Escalated to the level above")
    EXTENSION_ASKED = "extension_asked", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    REMINDED = "reminded", _("Reminder sent")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened for review")
    FOLLOWED_UP = "followed_up", _("Follow-up call recorded")
    MERGED = "merged", _("Merged")
    EXCLUDED = "excluded", _("Excluded from assessment")
    HOTLINE = "hotline", _("Sent to the 12345 platform")


# Events the resident's public tracking page shows (what happened, never who or the internal notes).
PUBLIC_EVENTS = (
    EventKind.FILED,
    EventKind.DISPATCHED,
    EventKind.SIGNED,
    EventKind.HANDLING,
    EventKind.TRANSFERRED,
    EventKind.ESCALATED,
    EventKind.ANSWERED,
    EventKind.CLOSED,
    EventKind.RATED,
    EventKind.REOPENED,
    EventKind.MERGED,
)


class RequestEvent(models.Model):
    """One step of a request's history: who did what, when, from which state to which, to which unit."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class RequestPhoto(models.Model):
    """A photo, re-encoded on upload (EXIF, GPS position included, is dropped)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="requests/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.image.name


class RoutingRule(models.Model):
    """Category × region → the responsible unit. A rule with no category is the region's default unit. The most
    specific region wins (a community's rule over its district's)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    category = models.CharField(
        _("category"), max_length=12, choices=RequestCategory.choices, blank=True, help_text=_("Empty: any")
    )
    unit = models.ForeignKey("orgs.Organization", verbose_name=_("unit"), on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "category"], name="routing_one_rule_per_region_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.category or '*'} → {self.unit_id}"


class SlaRule(models.Model):
    """Type × urgency → working minutes to sign for a dispatched order and to answer (from 受理)."""

    kind = models.CharField(_("type"), max_length=12, choices=RequestKind.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    sign_minutes = models.PositiveIntegerField(_("sign within (working minutes)"))
    answer_minutes = models.PositiveIntegerField(_("answer within (working minutes)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "urgency"], name="sla_one_rule_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.urgency}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the level above")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.request_id} +{self.days}"


class FollowUp(models.Model):
    """A follow-up call (回访) to the resident of a drawn request, recorded by staff."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="followup")
    reached = models.BooleanField(_("resident reached"))
    rating = models.CharField(
        _("rating given on the call"), max_length=12, choices=Rating.choices, blank=True
    )
    note = models.CharField(_("notes"), max_length=500, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return str(self.request_id)


class DeskSettings(models.Model):
    """The desk's configurable rules (one row): how unrated requests count, the follow-up share, the composite
    score's weights, when a clock turns amber."""

    unrated_days = models.PositiveSmallIntegerField(_("days a resident has to rate"), default=7)
    unrated_counts_as = models.CharField(
        _("an unrated request counts as"), max_length=12, choices=Rating.choices, default=Rating.SATISFIED
    )
    followup_percent = models.PositiveSmallIntegerField(_("share drawn for a follow-up call (%)"), default=10)
    weight_resolution = models.PositiveSmallIntegerField(_("weight of the resolution rate"), default=40)
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight of the satisfaction rate"), default=30)
    weight_on_time = models.PositiveSmallIntegerField(_("weight of the on-time rate"), default=30)
    amber_percent = models.PositiveSmallIntegerField(
        _("amber when less than this share of time is left (%)"), default=25
    )

    class Meta:
        verbose_name = _("request desk settings")

    def __str__(self) -> str:
        return "desk settings"

    @classmethod
    def current(cls) -> DeskSettings:
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class HotlineImport(models.Model):
    """One Excel file of a day's 12345 orders, checked and imported (all rows or none) by a task."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/hotline/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, default="queued")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)  # orders already on file (idempotent)
    problems = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status in ("checked", "done", "failed"):
            return 100
        return min(100, round(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0
