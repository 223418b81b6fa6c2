"""The exchange menu (菜单/套餐): offers a unit can host, packages of them, and bookings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.models import Activity, ActivityType, PlanFlags
from shiliu.lib import clock
from shiliu.lib.bounds import TEXT_CHARS, text_limit, work_date


class CostBorneBy(models.TextChoices):
    HOST = "host", _("Host")
    GUEST = "guest", _("Guest")
    SHARED = "shared", _("Shared")


class Offer(PlanFlags):
    """What a unit can host or provide (菜单): browsed by paired regions, or by anyone when public."""

    host = models.ForeignKey(
        "orgs.Organization", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("title"), max_length=120)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="offers"
    )
    capacity = models.PositiveIntegerField(
        _("capacity (people per booking period)"),
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )
    seasons = models.CharField(_("seasons"), max_length=60, blank=True, help_text=_("e.g. 7–8月, 寒暑假"))
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    min_age = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    cost_borne_by = models.CharField(
        _("cost borne by"), max_length=8, choices=CostBorneBy.choices, default=CostBorneBy.SHARED
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    photo = models.FileField(_("photo"), upload_to="offers/%Y/", blank=True)
    route = models.ForeignKey(
        "StudyRoute",
        verbose_name=_("study route"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offers",
    )
    is_public = models.BooleanField(_("open to all regions"), default=False)
    is_active = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="offer_ages_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Package(models.Model):
    """Offers of one host combined into a package (套餐), e.g. a 3-day 研学: school visit + museum + homestay."""

    host = models.ForeignKey(
        "orgs.Organization", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="packages"
    )
    title = models.CharField(_("title"), max_length=120)
    offers = models.ManyToManyField(Offer, verbose_name=_("offers"), related_name="packages")
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    is_public = models.BooleanField(_("open to all regions"), default=False)
    is_active = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def capacity(self) -> int:
        return min((o.capacity for o in self.offers.all()), default=0)

    @property
    def duration_days(self) -> int:
        return sum(o.duration_days for o in self.offers.all())


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COUNTER = "counter", _("Other dates proposed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(models.Model):
    """A request to take up an offer or a package; exactly one of the two is set."""

    offer = models.ForeignKey(
        Offer,
        verbose_name=_("offer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    package = models.ForeignKey(
        Package,
        verbose_name=_("package"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    guest = models.ForeignKey(
        "orgs.Organization", verbose_name=_("guest unit"), on_delete=models.PROTECT, related_name="bookings"
    )
    start_date = models.DateField(_("requested start"), validators=[work_date])
    end_date = models.DateField(_("requested end"), validators=[work_date])
    group_size = models.PositiveIntegerField(
        _("group size"), validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    composition = models.CharField(
        _("group composition"), max_length=200, blank=True, help_text=_("e.g. 40 名学生、4 名教师")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    proposed_start = models.DateField(_("proposed start"), null=True, blank=True, validators=[work_date])
    proposed_end = models.DateField(_("proposed end"), null=True, blank=True, validators=[work_date])
    host_note = models.CharField(_("host's note"), max_length=200, blank=True)
    activity = models.OneToOneField(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="booking_dates_ordered"
            ),
            models.CheckConstraint(
                condition=(models.Q(offer__isnull=False) & models.Q(package__isnull=True))
                | (models.Q(offer__isnull=True) & models.Q(package__isnull=False)),
                name="booking_offer_or_package",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest} → {self.item}"

    @property
    def item(self) -> Offer | Package:
        return self.offer or self.package  # type: ignore[return-value]

    @property
    def host(self) -> Any:
        return self.item.host

    @property
    def capacity(self) -> int:
        return self.item.capacity

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def days_over(self) -> int:
        """Days the booking runs past the offer's (or package's) length: the host is shown them."""
        return max(0, self.days - self.item.duration_days)
