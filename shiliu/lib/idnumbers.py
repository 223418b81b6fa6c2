"""Citizen ID numbers (公民身份号码, GB 11643-1999): checks and masking.

An 18-character number is a 6-digit address code, an 8-digit birth date (YYYYMMDD), a 3-digit sequence code
(odd for men, even for women) and a check character computed with ISO 7064 MOD 11-2 (0–9 or X).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shiliu.lib import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def birth_date(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: dt.date | None = None) -> str:
    """The normalised number (upper-case X), or a ValidationError that says what is wrong in words a community
    worker can act on."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}, code="length"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="characters")
    if number[0] == "0":
        raise ValidationError(
            _("The ID number's region code (its first 6 digits) is not valid."), code="region"
        )
    born = birth_date(number)
    if born is None:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) does not exist.")
            % {"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
            code="birth_date",
        )
    if born < EARLIEST_BIRTH or born > (today or clock.today()):
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is not possible.") % {"date": born.isoformat()},
            code="birth_date",
        )
    if check_char(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check character is wrong: check the number for a typing mistake."),
            code="checksum",
        )
    return number


def mask_id_number(number: str) -> str:
    """The first four and the last four characters: 654025199001011234 → 6540**********1234."""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
