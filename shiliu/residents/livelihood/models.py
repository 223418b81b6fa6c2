"""Livelihood services of the embedding plan: jobs and job fairs with applications, placements and retention;
the seekers' list (求职需求清单) exchanged for the posts (岗位供给清单); training classes with sessions, enrolment,
attendance and certificates; volunteer teams and their self-reported hours; cadre–family pairing (结对认亲) with
visits and aid.

Who acts for what (selectors.py holds the rules): an employer (an enterprise unit) and the staff of its region for
its jobs; a training site and its region's staff (and the class's teacher) for classes; a team's leader for its
hours; the staff of a household's region (and the cadre) for a pairing. Residents use the resident pages: they apply,
enrol, attend, log hours.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib import clock
from shiliu.lib.bounds import NOTE_CHARS, text_limit, work_date

from . import occupations


def validate_occupation(value: str) -> None:
    if value not in occupations.CODES:
        raise ValidationError(_("Choose a major group of the occupational classification."))


def _token() -> str:
    return secrets.token_urlsafe(16)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# ---------------------------------------------------------------------------------------------------------- jobs
class JobStatus(models.TextChoices):
    OPEN = "open", _("Taking applications")
    CLOSED = "closed", _("Closed to applications")


class JobFair(models.Model):
    """A job fair (招聘会), e.g. a special fair of 扬州's employers for workers from 新源县."""

    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("held in"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    origin_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("for workers from"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    held_on = models.DateField(_("held on"), validators=[work_date])
    place = models.CharField(_("place"), max_length=100)
    employers = models.ManyToManyField("orgs.Organization", verbose_name=_("employers"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    """A post offered by an employer (an enterprise unit): the rows of the 岗位供给清单."""

    employer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("place of work"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("post"), max_length=60)
    occupation = models.CharField(
        _("occupation (major group)"), max_length=2, validators=[validate_occupation]
    )
    place = models.CharField(_("address"), max_length=100)
    wage_min = models.PositiveIntegerField(_("lowest monthly wage (yuan)"))
    wage_max = models.PositiveIntegerField(_("highest monthly wage (yuan)"))
    hours = models.CharField(
        _("working hours"), max_length=60, help_text=_("e.g. 8 hours a day, 1 day off a week")
    )
    housing = models.BooleanField(_("housing provided"), default=False)
    meals = models.BooleanField(_("meals provided"), default=False)
    requirements = models.TextField(
        _("requirements"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS)
    )
    languages = models.CharField(
        _("languages"), max_length=60, blank=True, help_text=_("e.g. 国家通用语言、哈萨克语")
    )
    openings = models.PositiveIntegerField(_("openings"), default=1)
    recruit_from = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("recruits from"),
        blank=True,
        related_name="+",
        help_text=_("The origin regions the post is offered to (e.g. posts for workers from 新源县)."),
    )
    fairs = models.ManyToManyField(JobFair, verbose_name=_("job fairs"), blank=True, related_name="jobs")
    closes_on = models.DateField(_("applications close on"), validators=[work_date])
    status = models.CharField(_("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wage_min__lte=models.F("wage_max")), name="job_wage_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def occupation_name(self) -> str:
        return occupations.name(self.occupation)

    @property
    def accepts_applications(self) -> bool:
        return self.status == JobStatus.OPEN and self.closes_on >= clock.today()


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the employer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Where the applicant comes from (their account's region), for "applications per origin region".
    origin_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("a word to the employer"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    answer = models.CharField(_("answer"), max_length=200, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["job", "applicant"], name="application_once_per_job")]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.job_id}"


class Placement(models.Model):
    """An accepted applicant at work, with whether they are still there 3 and 6 months on (null: not yet checked)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="placement")
    started_on = models.DateField(_("started work on"), validators=[work_date])
    wage = models.PositiveIntegerField(_("monthly wage (yuan)"), null=True, blank=True)
    retained_3m = models.BooleanField(_("still employed after 3 months"), null=True, blank=True)
    retained_6m = models.BooleanField(_("still employed after 6 months"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.started_on}"

    @property
    def due_3m(self) -> dt.date:
        return add_months(self.started_on, 3)

    @property
    def due_6m(self) -> dt.date:
        return add_months(self.started_on, 6)


class SeekerNeed(models.Model):
    """A row of an origin region's 求职需求清单: how many people want which kind of work, where, for what pay."""

    origin_region = models.ForeignKey(
        "regions.Region", verbose_name=_("origin region"), on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.CharField(
        _("occupation (major group)"), max_length=2, validators=[validate_occupation]
    )
    wanted = models.CharField(_("kind of work"), max_length=60)
    place_region = models.ForeignKey(
        "regions.Region", verbose_name=_("wanted place"), on_delete=models.PROTECT, related_name="+"
    )
    wage_min = models.PositiveIntegerField(_("lowest acceptable monthly wage (yuan)"))
    languages = models.CharField(_("languages"), max_length=60, blank=True)
    seekers = models.PositiveIntegerField(_("number of seekers"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("seekers' list row")
        verbose_name_plural = _("seekers' list")
        ordering = ["origin_region_id", "occupation", "pk"]

    def __str__(self) -> str:
        return f"{self.origin_region_id}: {self.wanted}"

    @property
    def occupation_name(self) -> str:
        return occupations.name(self.occupation)


# ------------------------------------------------------------------------------------------------------ training
class TrainingKind(models.TextChoices):
    LANGUAGE = "language", _("National common language")
    SKILLS = "skills", _("Skills")
    BOTH = "both", _("Language and skills")


class TrainingClass(models.Model):
    title = models.CharField(_("title"), max_length=100)
    site = models.ForeignKey(
        "orgs.Organization", verbose_name=_("training site"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    origin_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("for learners from"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TrainingKind.choices)
    starts_on = models.DateField(_("starts on"), validators=[work_date])
    ends_on = models.DateField(_("ends on"), validators=[work_date])
    capacity = models.PositiveIntegerField(_("places"), default=30)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    description = models.TextField(
        _("description"), blank=True, max_length=NOTE_CHARS, validators=text_limit(NOTE_CHARS)
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="class_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"), validators=[work_date])
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=100)
    # What the session's QR code carries: knowing it (being in the room) is what lets a learner sign in.
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["held_on", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="session_times_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id}: {self.held_on} {self.topic}"


class Enrolment(models.Model):
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolled_at = models.DateTimeField(default=clock.now, editable=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, validators=[work_date])
    certificate_code = models.CharField(max_length=16, blank=True, db_index=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["training_class", "learner"], name="enrolment_once_per_class"),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~models.Q(certificate_code=""),
                name="certificate_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} @ {self.training_class_id}"


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("Scanned the QR code")
    TEACHER = "teacher", _("Marked by the teacher")


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=8, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}"


# ---------------------------------------------------------------------------------------------------- volunteers
class VolunteerTeam(models.Model):
    """A volunteer team (石榴红志愿服务队) with its leader, who approves the hours its members log."""

    name = models.CharField(_("name"), max_length=60)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the leader")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class VolunteerHours(models.Model):
    team = models.ForeignKey(VolunteerTeam, on_delete=models.CASCADE, related_name="hours")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    served_on = models.DateField(_("date of service"), validators=[work_date])
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    beneficiaries = models.PositiveIntegerField(_("people served"), default=0)
    description = models.CharField(_("what was done"), max_length=200)
    status = models.CharField(max_length=10, choices=HoursStatus.choices, default=HoursStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0, hours__lte=24), name="hours_within_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id}: {self.hours} h on {self.served_on}"


# ------------------------------------------------------------------------------------------------------- cadres
class KinshipPairing(models.Model):
    """A cadre paired with a household (结对认亲). The household is named as the family calls itself (minimum
    data); a registered migrant resident may be linked."""

    cadre = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    cadre_unit = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("cadre's unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    household = models.CharField(_("household"), max_length=40, help_text=_("e.g. 买买提·艾力家"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("household's village or community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.PositiveIntegerField(_("household members"), default=1)
    resident = models.ForeignKey(
        "residents.Resident",
        verbose_name=_("registered resident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    paired_on = models.DateField(_("paired on"), validators=[work_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("cadre–family pairing")
        verbose_name_plural = _("cadre–family pairings")
        ordering = ["region_id", "household", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "household", "region"], name="kinship_pair_once")
        ]

    def __str__(self) -> str:
        return self.household


class KinshipVisit(models.Model):
    pairing = models.ForeignKey(KinshipPairing, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"), validators=[work_date])
    activities = models.CharField(_("what was done"), max_length=200)
    help_given = models.CharField(_("help given"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pairing_id}: {self.visited_on}"


class AidKind(models.TextChoices):
    MONEY = "money", _("Money")
    IN_KIND = "in_kind", _("In kind")


class KinshipAid(models.Model):
    pairing = models.ForeignKey(KinshipPairing, on_delete=models.CASCADE, related_name="aid")
    given_on = models.DateField(_("given on"), validators=[work_date])
    kind = models.CharField(_("kind"), max_length=8, choices=AidKind.choices)
    description = models.CharField(_("what was given"), max_length=200)
    amount = models.DecimalField(
        _("amount or value (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    giver = models.CharField(_("given by"), max_length=60)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("aid or donation")
        verbose_name_plural = _("aid and donations")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pairing_id}: {self.description}"
