"""The exchange analytics tables: confirmed activities pre-aggregated by region (every level) × month × plans ×
activity type × side, and their person-times further by participant category × ethnic group.

A region's row counts an activity once even when both parties lie in it (side ``b``); ``s`` and ``r`` rows hold the
activities where only the sending or only the receiving party lies in it. So a region's batches are the sum of its
rows, its sending batches the sum of ``s`` and ``b``, its receiving batches of ``r`` and ``b``. Region codes are the
prefixes of the parties' codes at each level, after division changes (merges, renames) roll them up to their
successors. The tables are written only by :mod:`shiliu.exchanges.statistics.refresh`: incrementally after each
change (a task drains :class:`FactPending`), or rebuilt in full by ``manage.py rebuild_exchange_statistics``."""

from __future__ import annotations

from django.db import models

from shiliu.lib import clock


class SideIn(models.TextChoices):
    SENDING = "s", "sending only"
    RECEIVING = "r", "receiving only"
    BOTH = "b", "both parties"


class _Grain(models.Model):
    region = models.CharField(max_length=12)
    month = models.DateField()  # the first day of the month of the activities' start date
    plan_embedding = models.BooleanField()
    plan_youth = models.BooleanField()
    plan_tourism = models.BooleanField()
    activity_type_id = models.IntegerField()
    side = models.CharField(max_length=1, choices=SideIn.choices)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.region} {self.month:%Y-%m}"


class ActivityFact(_Grain):
    """Batches (activities) and their person-times."""

    batches = models.IntegerField()
    person_times = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "month"], name="exch_actfact_region_month")]


class ParticipationFact(_Grain):
    """Person-times by participant category × ethnic group."""

    category = models.CharField(max_length=10)
    ethnic_group = models.CharField(max_length=2)
    person_times = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "month"], name="exch_partfact_region_month")]


class PartnerFact(models.Model):
    """Batches and person-times a region exchanged with another region (the partner at county level, or its own
    code when shorter): the top partners and the flow lines of the dashboard. Activities inside the region are
    left out."""

    region = models.CharField(max_length=12)
    month = models.DateField()
    partner = models.CharField(max_length=12)
    batches = models.IntegerField()
    person_times = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["region", "month"], name="exch_partnerfact_region_month")]

    def __str__(self) -> str:
        return f"{self.region} → {self.partner} {self.month:%Y-%m}"


class FactKey(models.Model):
    """Where each confirmed activity was last counted (its parties' codes and its month), so that a change that
    moves or removes it refreshes the rows it used to count in as well."""

    activity_id = models.IntegerField(primary_key=True)
    sending_region = models.CharField(max_length=12)
    receiving_region = models.CharField(max_length=12)
    month = models.DateField()

    def __str__(self) -> str:
        return str(self.activity_id)


class FactPending(models.Model):
    """Activities changed since the tables were last refreshed (written in the same transaction as the change)."""

    activity_id = models.IntegerField(unique=True)
    created_at = models.DateTimeField(default=clock.now)

    def __str__(self) -> str:
        return str(self.activity_id)


class FactRefresh(models.Model):
    """When the tables were last refreshed (each panel and page says so)."""

    name = models.CharField(max_length=40, primary_key=True)
    refreshed_at = models.DateTimeField()
    full_rebuild_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at}"
