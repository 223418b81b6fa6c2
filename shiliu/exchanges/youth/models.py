"""Youth exchange: pen-pal programmes between a class of two paired schools (pupils as codes, never names; letters
counted, never read) and joint online classes (网上共上一堂课 / 班会), each an activity of the ledger."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.exchanges.ledger.models import Activity
from shiliu.jurisdiction.scope import ScopedModel, ScopedQuerySet
from shiliu.lib import clock
from shiliu.lib.bounds import work_date

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
        verbose_name = _("pen-pal programme")
        verbose_name_plural = _("pen-pal programmes")
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
        verbose_name = _("pen-pal pupil")
        verbose_name_plural = _("pen-pal pupils")
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
        verbose_name = _("pen-pal pair")
        verbose_name_plural = _("pen-pal pairs")
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
        verbose_name = _("letter record")
        verbose_name_plural = _("letter records")
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
        verbose_name = _("online class")
        verbose_name_plural = _("online classes")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return str(self.activity)
