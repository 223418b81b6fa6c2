"""What keeps the running system honest: forms sent once, and the task workers' signs of life."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One send of a form that writes many records (创建这些结对, a class of pupils, a letter for every pair).

    The form carries a random token; the first send stores it with what it did, in the transaction of its writes, so a
    second send of the same form (a double click, the browser sending it again, going back and sending it again) finds
    the token, writes nothing and is told what the first send did.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    summary = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.token


class WorkerBeat(models.Model):
    """A task worker's sign of life (``manage.py worker``): written every few seconds with the task it runs.

    The recovery step fails the tasks of a worker that stopped beating (killed, out of memory, its machine gone), which
    django-tasks-db would otherwise leave "running" for ever. A worker that never beats (a plain ``db_worker``) has no
    row, and its tasks are left alone.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)  # the task it runs now

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"


class DailyRun(models.Model):
    """A daily job (the reminders) that ran on a given day: whichever worker starts first each day runs it, and
    only once, however many workers there are or how often they restart."""

    name = models.CharField(max_length=60)
    day = models.DateField()
    ran_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="daily_run_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """A spreadsheet written in the background (the ledger, the units, the residents): the page that asked shows its
    progress and then the download, which only the person who asked may fetch, until it expires."""

    kind = models.CharField(max_length=60)  # the name an app registered its exporter under (runtime.exports)
    params = models.JSONField(default=dict, blank=True)  # the list's filters, as the page had them
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=120, blank=True)
    message = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total_rows) if self.total_rows else 0


class CalendarDay(models.Model):
    """One day of the official calendar whose status is set by the State Council's schedule: a holiday (False) or a
    makeup working day 调休 (True). Days not listed follow Monday–Friday. Seeded from ``chinese-calendar``; an
    administrator adds the next year's schedule when it is published (see ``shiliu.runtime.calendar``)."""

    day = models.DateField(primary_key=True)
    is_workday = models.BooleanField()
    name = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'workday' if self.is_workday else 'holiday'}"


class CalendarYear(models.Model):
    """A year whose official schedule is in :class:`CalendarDay` (a year without a row falls back to weekends)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(max_length=100)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
