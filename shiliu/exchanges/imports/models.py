"""An upload of the historical ledger, checked and written by a background task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking rows")
    CHECKED = "checked", _("Problems found")
    IMPORTING = "importing", _("Writing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING_IMPORTS = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.IMPORTING)


class ImportJob(models.Model):
    """One upload of the historical ledger template, checked and written by a background task."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)  # read from the file
    checked_rows = models.PositiveIntegerField(default=0)  # of activities checked against the ledger's rules
    activities_found = models.PositiveIntegerField(default=0)
    activities_good = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # the first 500: {row, column, message}
    good_rows_only = models.BooleanField(default=False)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The task that checks and writes the file (a django-tasks-db result id): the recovery step looks it up.
    task_id = models.CharField(max_length=64, blank=True)
    # The file itself was refused (not a ledger, too many rows, blank): starting it again would fail the same way.
    file_refused = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        if self.status in (ImportStatus.CHECKED, ImportStatus.DONE, ImportStatus.IMPORTING):
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(50 * (self.processed_rows + self.checked_rows) / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_IMPORTS

    @property
    def can_cancel(self) -> bool:
        return self.is_running or self.status == ImportStatus.CHECKED

    @property
    def can_retry(self) -> bool:
        return self.status in (ImportStatus.FAILED, ImportStatus.CANCELLED) and not self.file_refused
