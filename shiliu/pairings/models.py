"""Pairings (结对) between regions or units, their agreements and mechanisms, joint meetings and action items.

A pairing has two sides: side A proposed it, side B accepts or declines. Each side is a region, optionally a unit
in it. Both sides see the pairing (scope fields ``a_region`` and ``b_region``).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock
from shiliu.lib.bounds import MINUTES_CHARS, NOTE_CHARS, TEXT_CHARS, DateWindow, text_limit, work_date
from shiliu.lib.names import localized


class PairingKind(models.TextChoices):
    CO_BUILDING = "co_building", _("Co-building pairing")
    COUNTERPART_SUPPORT = "counterpart_support", _("Counterpart support")
    EAST_WEST = "east_west", _("East–west cooperation")
    FRIENDLY_VISIT = "friendly_visit", _("Friendly exchange visits")


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting acceptance")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


OPEN_STATUSES = (PairingStatus.PROPOSED, PairingStatus.ACTIVE, PairingStatus.PAUSED)
DUPLICATE_MESSAGE = _("These two sides already have an open pairing of this kind.")


class Pairing(ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("a_region", "b_region")

    kind = models.CharField(_("kind"), max_length=24, choices=PairingKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PairingStatus.choices,
        default=PairingStatus.PROPOSED,
        db_index=True,
    )
    a_region = models.ForeignKey(
        "regions.Region", verbose_name=_("side A region"), on_delete=models.PROTECT, related_name="+"
    )
    a_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("side A unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    b_region = models.ForeignKey(
        "regions.Region", verbose_name=_("side B region"), on_delete=models.PROTECT, related_name="+"
    )
    b_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("side B unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under pairing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=clock.now)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[work_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[work_date])
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(a_unit=models.F("b_unit")) | models.Q(a_unit__isnull=True),
                name="pairing_units_differ",
            ),
            models.CheckConstraint(
                condition=models.Q(a_unit__isnull=False)
                | models.Q(b_unit__isnull=False)
                | ~models.Q(a_region=models.F("b_region")),
                name="pairing_regions_differ",
            ),
            # One open pairing of a kind between the same two sides, whichever side proposed it (A↔B is B↔A):
            # the database refuses the second of two proposals sent at the same moment.
            models.UniqueConstraint(
                "kind",
                Least("a_region", "b_region"),
                Greatest("a_region", "b_region"),
                condition=models.Q(a_unit__isnull=True, b_unit__isnull=True, status__in=OPEN_STATUSES),
                name="pairing_regions_open_once",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
            models.UniqueConstraint(
                "kind",
                Least("a_unit", "b_unit"),
                Greatest("a_unit", "b_unit"),
                condition=models.Q(a_unit__isnull=False, b_unit__isnull=False, status__in=OPEN_STATUSES),
                name="pairing_units_open_once",
                violation_error_message=DUPLICATE_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["a_unit", "status"]), models.Index(fields=["b_unit", "status"])]

    def __str__(self) -> str:
        return f"{self.side_label('a')} ↔ {self.side_label('b')}"

    def side_label(self, side: str) -> str:
        unit = getattr(self, f"{side}_unit")
        return unit.name if unit else getattr(self, f"{side}_region").name

    @property
    def is_unit_pairing(self) -> bool:
        return self.a_unit_id is not None


class PairingEvent(models.Model):
    """The pairing's history: proposed, accepted, declined, paused, resumed, ended — with who, when and why."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=PairingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.status} {self.at:%Y-%m-%d}"


class Mechanism(models.Model):
    """A cooperation mechanism an agreement sets up; the seven standard ones are seeded by a migration."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    is_standard = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class Agreement(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=120)
    signed_on = models.DateField(_("signed on"), validators=[work_date])
    term_start = models.DateField(_("term starts"), validators=[work_date])
    # Terms of cooperation run longer than plans: "2021—2035" is a real one.
    term_end = models.DateField(
        _("term ends"), null=True, blank=True, validators=[DateWindow(years_ahead=15)]
    )
    document = models.FileField(_("signed document"), upload_to="agreements/%Y/", blank=True)
    mechanisms = models.ManyToManyField(Mechanism, verbose_name=_("mechanisms"), blank=True)
    a_contact = models.CharField(_("side A contact"), max_length=60, blank=True)
    b_contact = models.CharField(_("side B contact"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="agreement_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class JointMeeting(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=120)
    held_at = models.DateTimeField(_("date and time"), validators=[work_date])
    place = models.CharField(_("place"), max_length=120, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    attendees = models.ManyToManyField(
        "orgs.Organization", verbose_name=_("attending units"), blank=True, related_name="+"
    )
    agenda = models.TextField(
        _("agenda"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    minutes = models.TextField(
        _("minutes"), blank=True, max_length=MINUTES_CHARS, validators=text_limit(MINUTES_CHARS)
    )

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return self.title


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(models.Model):
    """A decision of a joint meeting, owned by a unit with a deadline."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="action_items")
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(_("decision"), max_length=200)
    owner = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    deadline = models.DateField(_("deadline"), validators=[work_date])
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.deadline < clock.today()
