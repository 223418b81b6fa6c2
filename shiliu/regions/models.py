"""Administrative divisions (GB/T 2260 and the statistical codes below the county) and ethnic groups (GB 3304)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shiliu.lib.names import localized


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village / community")


# Length of the division code at each level: the code itself encodes the hierarchy, so a jurisdiction
# is simply a code prefix.
CODE_LENGTH = {
    Level.PROVINCE: 2,
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


def code_and_ancestors(code: str) -> list[str]:
    """The code's prefixes at every level, itself included: 654025 → [65, 6540, 654025]."""
    return [code[:n] for n in CODE_LENGTH.values() if n <= len(code)]


class Region(models.Model):
    """One division. The primary key is the division code, so foreign keys hold the code itself and a
    jurisdiction filter is a plain ``region_id LIKE '3210%'`` with no join."""

    code = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Full pinyin without spaces ("xinyuanxian") and initials ("xyx"), lower case, for the picker.
    pinyin = models.CharField(max_length=128, db_index=True)
    initials = models.CharField(max_length=32, db_index=True)
    is_dev_zone = models.BooleanField(
        _("statistics-only development zone"),
        default=False,
        help_text=_("Development zones that have a statistical code but are not administrative divisions."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty while in force."))
    source = models.CharField(_("source"), max_length=64, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="region_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Succession(models.Model):
    """A division change: the predecessor's records roll up to the successor from ``effective_on``.

    Divisions change every year (a county becomes a district, towns merge). Records keep the code they
    were made with; statistics follow this mapping so old records still count under the new division.
    """

    class Kind(models.TextChoices):
        RENAME = "rename", _("Renamed or recoded")
        MERGE = "merge", _("Merged into")
        SPLIT = "split", _("Split off to")
        UPGRADE = "upgrade", _("County to district or city")

    predecessor = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="predecessions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    # Share of the predecessor carried by this successor when a division is split (1.0 otherwise).
    share = models.FloatField(default=1.0)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor_id"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=1), name="succession_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.effective_on})"


class EthnicGroup(models.Model):
    """An ethnic group as coded by GB 3304-1991: 01–56, plus 97 (unidentified) and 98 (foreign origin)."""

    code = models.CharField(_("GB 3304 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=16, unique=True)
    romanized = models.CharField(_("romanized name"), max_length=64)
    letter_code = models.CharField(_("letter code"), max_length=2, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: GB 3304's romanized name (Han, Mongol, Uygur …) in English."""
        return localized(self.name, self.romanized)
