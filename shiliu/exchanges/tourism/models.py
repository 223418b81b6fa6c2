"""Tourism exchange: study routes with ordered stops, and tour groups from an origin to a destination."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock
from shiliu.lib.bounds import NOTE_CHARS, TEXT_CHARS, text_limit, work_date

# --- Tourism exchange: study routes and tour groups --------------------------------------------------------------


class StudyRoute(ScopedModel):
    """A 研学 / tourism route: ordered stops that offers and tour groups refer to."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)
    scope_unit_field: ClassVar[str] = "owner"

    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routes",
    )
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    days = models.PositiveSmallIntegerField(
        _("days"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    is_public = models.BooleanField(_("open to all regions"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("study route")
        verbose_name_plural = _("study routes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class RouteStop(models.Model):
    route = models.ForeignKey(StudyRoute, on_delete=models.CASCADE, related_name="stops")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("site"), max_length=120)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(
        _("description"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS)
    )
    photo = models.FileField(_("photo"), upload_to="routes/%Y/", blank=True)

    class Meta:
        ordering = ["route", "order"]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="route_stop_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class TourGroup(ScopedModel):
    """A tour group (旅游团) from an origin region to a destination: the unit of visitor-flow statistics."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("origin_region", "destination_region")

    name = models.CharField(_("name"), max_length=120)
    origin_region = models.ForeignKey(
        "regions.Region", verbose_name=_("origin"), on_delete=models.PROTECT, related_name="+"
    )
    destination_region = models.ForeignKey(
        "regions.Region", verbose_name=_("destination"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"), db_index=True, validators=[work_date])
    end_date = models.DateField(_("end date"), validators=[work_date])
    agency = models.CharField(_("travel agency"), max_length=120, blank=True)
    size = models.PositiveIntegerField(
        _("group size"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    minors = models.PositiveIntegerField(_("of whom under 18"), default=0)
    minority_members = models.PositiveIntegerField(_("of whom from ethnic minorities"), default=0)
    route = models.ForeignKey(
        StudyRoute,
        verbose_name=_("route"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tour_groups",
    )
    pairing = models.ForeignKey(
        "pairings.Pairing", null=True, blank=True, on_delete=models.PROTECT, related_name="tour_groups"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tour group")
        verbose_name_plural = _("tour groups")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="tour_group_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(minors__lte=models.F("size"), minority_members__lte=models.F("size")),
                name="tour_group_composition_within_size",
            ),
        ]

    def __str__(self) -> str:
        return self.name
