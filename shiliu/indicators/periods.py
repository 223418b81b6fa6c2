"""Reporting periods as short keys: ``2026`` (year), ``2026Q3`` (quarter), ``2026-09`` (month).

A key sorts as text within its type, names its dates and its predecessor, so "a jump over last period" and
"aggregate over periods" need no table of periods.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

YEAR, QUARTER, MONTH = "year", "quarter", "month"
_PATTERNS = {
    YEAR: re.compile(r"^(\d{4})$"),
    QUARTER: re.compile(r"^(\d{4})Q([1-4])$"),
    MONTH: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}


def period_type(key: str) -> str:
    for kind, pattern in _PATTERNS.items():
        if pattern.match(key or ""):
            return kind
    raise ValueError(
        _("“%(key)s” is not a period; write 2026, 2026Q3 or 2026-09.") % {"key": (key or "")[:12]}
    )


def check(key: str, expected: str) -> str:
    """The key, refused with a message when it is not a period of the ``expected`` type."""
    kind = period_type(key)
    if kind != expected:
        raise ValueError(
            _("This element is collected by %(kind)s; “%(key)s” is not one.")
            % {"kind": label(expected), "key": key}
        )
    return key


def label(kind: str) -> str:
    return {YEAR: _("year"), QUARTER: _("quarter"), MONTH: _("month")}[kind]


def bounds(key: str) -> tuple[dt.date, dt.date]:
    kind = period_type(key)
    year = int(key[:4])
    if kind == YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == QUARTER:
        q = int(key[5])
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
    else:
        start = dt.date(year, int(key[5:7]), 1)
        end_month = start.month
    nxt = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def previous(key: str) -> str:
    kind = period_type(key)
    year = int(key[:4])
    if kind == YEAR:
        return f"{year - 1}"
    if kind == QUARTER:
        q = int(key[5])
        return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"
    m = int(key[5:7])
    return f"{year - 1}-12" if m == 1 else f"{year}-{m - 1:02d}"


def parts(key: str, kind: str) -> list[str]:
    """The periods of type ``kind`` inside ``key`` (the quarters of a year, the months of a quarter)."""
    outer = period_type(key)
    year = key[:4]
    if outer == kind:
        return [key]
    if outer == YEAR and kind == QUARTER:
        return [f"{year}Q{q}" for q in range(1, 5)]
    if outer == YEAR and kind == MONTH:
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    if outer == QUARTER and kind == MONTH:
        q = int(key[5])
        return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    return []


def recent(kind: str, today: dt.date, n: int = 6) -> list[str]:
    """The last ``n`` periods of ``kind`` up to the one containing ``today``, newest first."""
    if kind == YEAR:
        key = f"{today.year}"
    elif kind == QUARTER:
        key = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    else:
        key = f"{today.year}-{today.month:02d}"
    out = [key]
    for _i in range(n - 1):
        out.append(previous(out[-1]))
    return out
