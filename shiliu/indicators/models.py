"""Indicators and evaluation: what is collected (data elements), the values of a region for a period with their
workflow, indicators computed from them by formula, indicator systems with weights, evaluation runs that keep
everything needed to reproduce them, the embedded-community rule, demonstration sites and recognitions.

Values are held per region (a community, village, township or county: its division code), not per unit: the
communities of the platform are divisions of the 12-digit level, and every figure rolls up the region tree.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENT = "percent", _("Percentage")
    SCORE = "score", _("Score")


class PeriodType(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class EntryLevel(models.TextChoices):
    """The level whose values are entered; division codes of 12, 9 and 6 digits."""

    COMMUNITY = "village", _("Community or village")
    TOWNSHIP = "township", _("Township")
    COUNTY = "county", _("County")


LEVEL_DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}


class DataElement(models.Model):
    """Something collected: entered by people, or derived from Shiliu's records by a registered source."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    value_type = models.CharField(_("value type"), max_length=8, choices=ValueType.choices)
    unit = models.CharField(_("unit of measure"), max_length=16, blank=True)
    period_type = models.CharField(_("period"), max_length=8, choices=PeriodType.choices)
    entry_level = models.CharField(_("entered by"), max_length=8, choices=EntryLevel.choices)
    by_ethnic_group = models.BooleanField(_("by ethnic group"), default=False)
    required = models.BooleanField(_("required"), default=False)
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    jump_limit = models.FloatField(
        _("change that needs a comment"),
        null=True,
        blank=True,
        help_text=_("A change over last period larger than this share (0.5 = 50 %) needs a comment."),
    )
    source = models.CharField(
        _("derived from"),
        max_length=40,
        blank=True,
        help_text=_("A registered derivation source; values of such an element are never typed."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")

    def __str__(self) -> str:
        return self.name

    @property
    def is_derived(self) -> bool:
        return bool(self.source)


class ReturnStatus(models.TextChoices):
    ENTERED = "entered", _("Being entered")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted and locked")


class PeriodReturn(ScopedModel):
    """The values of one region for one period, moving entered → submitted → approved → accepted (locked)."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.ENTERED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="one_return_per_period")]
        verbose_name = _("period return")
        verbose_name_plural = _("period returns")

    def __str__(self) -> str:
        return f"{self.region_id} {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status != ReturnStatus.ENTERED


class ReturnEvent(models.Model):
    """Each step of a return's workflow, with who took it and why (unlocking needs a reason)."""

    period_return = models.ForeignKey(PeriodReturn, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class DataValue(ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)

    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8, db_index=True)
    ethnic_group = models.ForeignKey(
        "regions.EthnicGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=120)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    derived = models.BooleanField(default=False)
    # For a derived value: the records behind it, {"kind": …, "ids": [...]} — its drill-down.
    records = models.JSONField(default=dict, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=clock.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["element__order", "element__code", "ethnic_group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["element", "region", "period", "ethnic_group"], name="one_value_per_cell"
            ),
            models.UniqueConstraint(
                fields=["element", "region", "period"],
                condition=models.Q(ethnic_group__isnull=True),
                name="one_total_value_per_cell",
            ),
        ]
        indexes = [models.Index(fields=["region", "period"])]
        verbose_name = _("data value")
        verbose_name_plural = _("data values")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Average")
    POPULATION = "population", _("Average weighted by population")


class IndicatorKind(models.TextChoices):
    RATIO = "ratio", _("Numerator ÷ denominator × factor")
    EXPRESSION = "expression", _("Expression")


class Direction(models.IntegerChoices):
    BENEFIT = 1, _("Higher is better")
    COST = -1, _("Lower is better")


class Indicator(models.Model):
    """A formula over data elements and other indicators (by code); see formula.py for the language."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    numerator = models.CharField(_("numerator"), max_length=200, blank=True)
    denominator = models.CharField(_("denominator"), max_length=200, blank=True)
    factor = models.FloatField(_("factor"), default=1.0)
    expression = models.CharField(_("expression"), max_length=400, blank=True)
    unit = models.CharField(_("unit of measure"), max_length=16, blank=True)
    aggregation = models.CharField(
        _("aggregation up the region tree"),
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    period_aggregation = models.CharField(
        _("aggregation over periods"), max_length=10, choices=Aggregation.choices[:2], default=Aggregation.SUM
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def formula_text(self) -> str:
        if self.kind == IndicatorKind.RATIO:
            return f"({self.numerator}) / ({self.denominator}) × {self.factor:g}"
        return self.expression


class WeightMethod(models.TextChoices):
    TYPED = "typed", _("Typed")
    AHP = "ahp", _("AHP pairwise judgements")
    ENTROPY = "entropy", _("Entropy of the data")


class IndicatorSystem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    weight_method = models.CharField(
        _("weights"), max_length=8, choices=WeightMethod.choices, default=WeightMethod.TYPED
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")

    def __str__(self) -> str:
        return self.name


class SystemNode(models.Model):
    """A dimension (no indicator) or an indicator of a system. Weights are local: among siblings, summing to 1."""

    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=80)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    weight = models.FloatField(_("weight"), default=0.0)
    direction = models.SmallIntegerField(_("direction"), choices=Direction.choices, default=Direction.BENEFIT)
    threshold = models.FloatField(_("pass mark"), null=True, blank=True)
    is_veto = models.BooleanField(_("one-vote veto"), default=False)
    veto_cap = models.FloatField(_("score cap when vetoed"), default=0.6)
    # AHP judgements among this node's children (rows and columns in the children's order), kept with the weights.
    pairwise = models.JSONField(default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("system node")

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class EvaluationRun(ScopedModel):
    """An evaluation of the communities (or counties) of a region for a period: everything it used is stored —
    the method, the global weights, the input matrix — so it reproduces exactly whatever happens to the data."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)

    system = models.ForeignKey(IndicatorSystem, on_delete=models.PROTECT, related_name="runs")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("units evaluated"), max_length=8, choices=EntryLevel.choices)
    period = models.CharField(_("period"), max_length=8)
    title = models.CharField(_("title"), max_length=120)
    method = models.JSONField(default=dict)  # normalisation, aggregation, missing policy, weighting
    snapshot = models.JSONField(
        default=dict
    )  # units, indicators (code, name, weight, direction, veto …), matrix
    results = models.JSONField(default=dict)  # scores, ranks, contributions, vetoes
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return self.title


class EmbeddedRuleSetting(models.Model):
    """The commission's 互嵌式社区 rule (thresholds of analytics.classify.EmbeddedRule); the newest one applies."""

    min_groups = models.PositiveSmallIntegerField(_("at least this many groups"), default=2)
    min_group_share = models.FloatField(_("each with at least this share"), default=0.05)
    min_evenness = models.FloatField(_("minimum evenness"), null=True, blank=True, default=0.3)
    max_largest_share = models.FloatField(_("largest group at most"), null=True, blank=True, default=0.9)
    min_population = models.PositiveIntegerField(_("minimum population"), default=100)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-set_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.min_groups} / {self.min_group_share}"


class SiteKind(models.TextChoices):
    ZONE = "zone", _("Demonstration zone")
    UNIT = "unit", _("Demonstration unit")
    COMMUNITY = "community", _("Demonstration community")


class SiteStatus(models.TextChoices):
    ACTIVE = "active", _("Designated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DemonstrationSite(ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)

    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    designated_by = models.ForeignKey(
        "regions.Region", verbose_name=_("designated by"), on_delete=models.PROTECT, related_name="+"
    )
    designated_on = models.DateField(_("designated on"))
    run = models.ForeignKey(
        EvaluationRun,
        verbose_name=_("supporting evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    review_years = models.PositiveSmallIntegerField(_("review every (years)"), default=3)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    is_public = models.BooleanField(_("on the public list"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-designated_on", "name"]
        verbose_name = _("demonstration site")
        verbose_name_plural = _("demonstration sites")

    def __str__(self) -> str:
        return self.name


class SiteReview(models.Model):
    site = models.ForeignKey(DemonstrationSite, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    passed = models.BooleanField(_("passed"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site_id} {self.reviewed_on}"


class RecognitionKind(models.TextChoices):
    COLLECTIVE = "collective", _("Model collective")
    INDIVIDUAL = "individual", _("Model individual")


class Recognition(ScopedModel):
    """模范集体 / 模范个人. An individual is named with the citation only; nothing else about the person is kept."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)

    kind = models.CharField(_("kind"), max_length=10, choices=RecognitionKind.choices)
    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    citation = models.CharField(_("citation"), max_length=300)
    awarded_on = models.DateField(_("awarded on"))
    awarded_by = models.ForeignKey(
        "regions.Region", verbose_name=_("awarded by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True)
    is_public = models.BooleanField(_("on the public list"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_on", "name"]
        verbose_name = _("recognition")

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Problems found")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ValueImport(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="imports/indicators/%Y/%m/")
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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


class DerivationJob(models.Model):
    """One refresh of the derived values of a region and period (a task with progress)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    written = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period}"
