"""The activity ledger of the Three Plans: one record per exchange, two sides, counted once.

An activity has a sending and a receiving party (regions, optionally units). The side that records it submits it;
the other side confirms it (or corrects and confirms). Statistics use confirmed activities only, each counted once
and attributed to each side by its role. Participation is counts by category × ethnic group × age band × gender —
no names.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock
from shiliu.lib.bounds import NOTE_CHARS, TEXT_CHARS, text_limit, work_date

MAX_COUNT = 100_000  # one row of one activity; "580多名干部群众" is the scale, a million is a typo


class Plan(models.TextChoices):
    EMBEDDING = "embedding", _("Embedded development")
    YOUTH = "youth", _("Youth exchange")
    TOURISM = "tourism", _("Tourism exchange")


class ActivityType(models.Model):
    """A maintained taxonomy (互访考察, 夏令营/冬令营, 研学 …), seeded by a migration, extended by admins."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class Side(models.TextChoices):
    SENDING = "sending", _("Sending party")
    RECEIVING = "receiving", _("Receiving party")


class Activity(ScopedModel):
    scope_region_fields: ClassVar[tuple[str, ...]] = ("sending_region", "receiving_region")

    title = models.CharField(_("title"), max_length=120)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities"
    )
    plan_embedding = models.BooleanField(_("embedded development"), default=False)
    plan_youth = models.BooleanField(_("youth exchange"), default=False)
    plan_tourism = models.BooleanField(_("tourism exchange"), default=False)
    start_date = models.DateField(_("start date"), db_index=True, validators=[work_date])
    end_date = models.DateField(_("end date"), validators=[work_date])
    place = models.CharField(_("place"), max_length=120, blank=True)
    sending_region = models.ForeignKey(
        "regions.Region", verbose_name=_("sending region"), on_delete=models.PROTECT, related_name="+"
    )
    sending_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("sending unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    receiving_region = models.ForeignKey(
        "regions.Region", verbose_name=_("receiving region"), on_delete=models.PROTECT, related_name="+"
    )
    receiving_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("receiving unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pairing = models.ForeignKey(
        "pairings.Pairing",
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    summary = models.TextField(
        _("summary"), blank=True, max_length=TEXT_CHARS, validators=text_limit(TEXT_CHARS)
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.DRAFT,
        db_index=True,
    )
    recorded_by_side = models.CharField(_("recorded by"), max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=clock.now)
    is_demo = models.BooleanField(default=False, editable=False)
    imported = models.BooleanField(default=False, editable=False)  # written by the historical import

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="activity_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(plan_embedding=True)
                | models.Q(plan_youth=True)
                | models.Q(plan_tourism=True),
                name="activity_has_a_plan",
            ),
            # The historical import's idea of "the same activity" (title, start, both regions), held by the
            # database: two imports of the same file at the same moment cannot both write it.
            models.UniqueConstraint(
                fields=["title", "start_date", "sending_region", "receiving_region"],
                condition=models.Q(imported=True) & ~models.Q(status="cancelled"),
                name="activity_imported_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def plans(self) -> list[str]:
        return [str(label) for value, label in Plan.choices if getattr(self, f"plan_{value}")]

    @property
    def other_side(self) -> str:
        return Side.RECEIVING if self.recorded_by_side == Side.SENDING else Side.SENDING

    def party_label(self, side: str) -> str:
        unit = getattr(self, f"{side}_unit")
        return unit.name if unit else getattr(self, f"{side}_region").name


class Category(models.TextChoices):
    CADRE = "cadre", _("Cadres")
    TEACHER = "teacher", _("Teachers")
    STUDENT = "student", _("Students")
    MEDICAL = "medical", _("Medical staff")
    WORKER = "worker", _("Enterprise staff")
    PUBLIC = "public", _("General public")
    OTHER = "other", _("Others")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    FROM_18_TO_35 = "18_35", _("18–35")
    OVER_35 = "o35", _("Over 35")


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "u", _("Not recorded")


class Participation(models.Model):
    """Person-times of one cell: category × ethnic group × age band × gender."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    ethnic_group = models.ForeignKey(
        "regions.EthnicGroup", verbose_name=_("ethnic group"), on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(_("age"), max_length=6, choices=AgeBand.choices)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    count = models.PositiveIntegerField(
        _("person-times"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COUNT)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category", "ethnic_group", "age_band", "gender"],
                name="participation_one_row_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1, count__lte=MAX_COUNT), name="participation_count_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.category}/{self.ethnic_group_id}/{self.age_band}/{self.gender} × {self.count}"


class CostBorneBy(models.TextChoices):
    HOST = "host", _("Host")
    GUEST = "guest", _("Guest")
    SHARED = "shared", _("Shared")


class Offer(models.Model):
    """What a unit can host or provide (菜单): browsed by paired regions, or by anyone when public."""

    host = models.ForeignKey(
        "orgs.Organization", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("title"), max_length=120)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="offers"
    )
    plan_embedding = models.BooleanField(_("embedded development"), default=False)
    plan_youth = models.BooleanField(_("youth exchange"), default=False)
    plan_tourism = models.BooleanField(_("tourism exchange"), default=False)
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


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A photo, a document or a link that shows the activity took place."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(_("link"), blank=True)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="link") & ~models.Q(url=""))
                | (~models.Q(kind="link") & ~models.Q(file="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.url or self.file.name


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

    class Meta:
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
        return self.status in (ImportStatus.FAILED, ImportStatus.CANCELLED)


# --- Youth exchange: pen-pals between classes of two paired schools, joint online classes --------------------


class PenPalProgramme(ScopedModel):
    """书信手拉手 between a class of school A and a class of school B. Students are codes, never names."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("school_a__region", "school_b__region")

    title = models.CharField(_("title"), max_length=120)
    school_a = models.ForeignKey(
        "orgs.Organization", verbose_name=_("school A"), on_delete=models.PROTECT, related_name="+"
    )
    class_a = models.CharField(_("class at school A"), max_length=40)
    school_b = models.ForeignKey(
        "orgs.Organization", verbose_name=_("school B"), on_delete=models.PROTECT, related_name="+"
    )
    class_b = models.CharField(_("class at school B"), max_length=40)
    pairing = models.ForeignKey(
        "pairings.Pairing", null=True, blank=True, on_delete=models.PROTECT, related_name="penpal_programmes"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def school(self, side: str) -> Any:
        return self.school_a if side == "a" else self.school_b


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("Taking part")
    LEFT = "left", _("Left (graduated or moved)")


class PenPalStudent(models.Model):
    """A pupil known by a pseudonymous code; the school keeps the key. Minors' data: the minimum only."""

    programme = models.ForeignKey(PenPalProgramme, on_delete=models.CASCADE, related_name="students")
    side = models.CharField(max_length=1, choices=[("a", "A"), ("b", "B")])
    code = models.CharField(_("student code"), max_length=20)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    age = models.PositiveSmallIntegerField(_("age"), validators=[MinValueValidator(5), MaxValueValidator(19)])
    interests = models.CharField(
        _("interests"), max_length=120, blank=True, help_text=_("e.g. 绘画、足球、阅读")
    )
    consent_on = models.DateField(_("guardian consent recorded on"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=6, choices=StudentStatus.choices, default=StudentStatus.ACTIVE)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["side", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "side", "code"], name="penpal_student_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def has_consent(self) -> bool:
        return self.consent_on is not None

    @property
    def interest_set(self) -> set[str]:
        import re

        return {t for t in re.split(r"[、,，;；/\s]+", self.interests) if t}


class PenPalMatch(models.Model):
    programme = models.ForeignKey(PenPalProgramme, on_delete=models.CASCADE, related_name="matches")
    student_a = models.ForeignKey(PenPalStudent, on_delete=models.CASCADE, related_name="matches_as_a")
    student_b = models.ForeignKey(PenPalStudent, on_delete=models.CASCADE, related_name="matches_as_b")
    created_at = models.DateTimeField(default=clock.now)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["student_a__code", "student_b__code"]

    def __str__(self) -> str:
        return f"{self.student_a} ↔ {self.student_b}"


class LetterDirection(models.TextChoices):
    A_TO_B = "ab", _("A → B")
    B_TO_A = "ba", _("B → A")


class LetterLog(models.Model):
    """That letters went, when and how many — never what they said."""

    match = models.ForeignKey(PenPalMatch, on_delete=models.CASCADE, related_name="letters")
    direction = models.CharField(_("direction"), max_length=2, choices=LetterDirection.choices)
    sent_on = models.DateField(_("sent on"))
    count = models.PositiveSmallIntegerField(
        _("letters"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.match_id} {self.direction} {self.sent_on} × {self.count}"


class OnlineClassKind(models.TextChoices):
    LESSON = "网上共上一堂课", _("A lesson together online")
    CLASS_MEETING = "网上共上一次班会", _("A class meeting together online")


class OnlineClass(models.Model):
    """网上共上一堂课 / 班会: one joint online session of two schools; its activity carries plan, parties, status."""

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="online_class")
    kind = models.CharField(_("kind"), max_length=10, choices=OnlineClassKind.choices)
    starts_at = models.DateTimeField(_("starts at"), validators=[work_date])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(10), MaxValueValidator(240)]
    )
    meeting_url = models.URLField(_("meeting link"))
    classes_sending = models.CharField(_("classes of the host school"), max_length=120)
    classes_receiving = models.CharField(_("classes of the partner school"), max_length=120)
    attendance_sending = models.PositiveIntegerField(
        _("attendance at the host school"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    attendance_receiving = models.PositiveIntegerField(
        _("attendance at the partner school"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    replay_url = models.URLField(_("replay link"), blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return str(self.activity)


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
