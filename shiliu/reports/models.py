"""Reports: generated work summaries and statistical tables (runs), their sentence templates, and their approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock


class ReportKind(models.TextChoices):
    SUMMARY = "summary", _("Work summary")
    TABLE = "table", _("Statistical table")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReportRun(models.Model):
    """One generation of a report for a region and period, by a background task with visible progress."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.SUMMARY)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    docx = models.FileField(upload_to="reports/%Y/", blank=True)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True)
    figures = models.JSONField(default=dict, blank=True)  # the numbers the text was made from
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    schedule = models.ForeignKey(
        "Schedule", null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"{self.region_id} {self.date_from}–{self.date_to} ({self.status})"


class SentenceTemplate(models.Model):
    """A sentence of the work summary, editable by staff: plain text with {placeholders} (no code)."""

    key = models.CharField(max_length=40, unique=True)
    text = models.TextField(_("text"), max_length=1000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["key"]
        verbose_name = _("sentence template")
        verbose_name_plural = _("sentence templates")

    def __str__(self) -> str:
        return self.key


class ApprovalState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened after a change")


class ReportApproval(models.Model):
    """A period's report of a region: submitted, approved by the level above, then locked. A new version after
    approval reopens it (the approved version stays downloadable, the events say who did what)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    state = models.CharField(
        _("state"), max_length=10, choices=ApprovalState.choices, default=ApprovalState.DRAFT
    )
    current_run = models.ForeignKey(
        ReportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_run = models.ForeignKey(
        ReportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "date_from", "date_to"], name="report_approval_one_per_period"
            )
        ]
        verbose_name = _("report approval")
        verbose_name_plural = _("report approvals")

    def __str__(self) -> str:
        return f"{self.region_id} {self.date_from}–{self.date_to}: {self.state}"


class ApprovalEvent(models.Model):
    approval = models.ForeignKey(ReportApproval, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ReportRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"

    @property
    def action_label(self) -> str:
        """The step as people read it (the stored value is an identifier)."""
        labels = {**dict(ApprovalState.choices), "returned": _("Returned")}
        return str(labels.get(self.action, self.action))


class Schedule(models.Model):
    """A summary generated every month or quarter for a region (the period just ended) and delivered to the
    recipients' Shiliu inbox."""

    class Every(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    every = models.CharField(_("every"), max_length=10, choices=Every.choices)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_period_end = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.region_id} {self.every}"
