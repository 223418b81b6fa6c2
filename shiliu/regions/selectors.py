"""Reads of reference data. Divisions and ethnic groups are public reference data: no scope applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import CODE_LENGTH, EthnicGroup, Level, Region, Succession
from .pinyin import normalise_query

LEVEL_ORDER = Case(
    *[When(level=level, then=Value(i)) for i, level in enumerate(CODE_LENGTH)],
    output_field=IntegerField(),
)


def region_search(
    *,
    query: str,
    level: str | None = None,
    within: str | None = None,
    limit: int | None = 20,
    prefer: Sequence[str] = (),
) -> QuerySet[Region]:
    """Find divisions by Chinese name, full pinyin or initials, higher levels first.

    "xinyuan" and "xyx" both find 新源县; "changshou" finds 长寿区. A query that is a division code
    matches codes by prefix. ``limit`` None leaves paging to the caller (the API, which reports the true count).
    Divisions under one of the ``prefer`` codes (the user's own and paired ones, :mod:`shiliu.regions.ranking`)
    come first: "nlt" gives a 新源县 user 那拉提镇 before 纳林陶亥镇.
    """
    qs = Region.objects.filter(valid_to__isnull=True).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if within:
        qs = qs.filter(code__startswith=within)
    text = query.strip()
    if not text:
        return qs.none()
    if text.isdigit():
        match = Q(code__startswith=text)
    elif text.isascii():
        needle = normalise_query(text)
        if not needle:
            return qs.none()
        match = Q(pinyin__startswith=needle) | Q(initials__startswith=needle)
    else:
        match = Q(name__contains=text)
    found = qs.filter(match).annotate(level_order=LEVEL_ORDER)
    if prefer:
        near = Q()
        for code in prefer:
            near |= Q(code__startswith=code)
        found = found.annotate(
            preferred=Case(When(near, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("preferred", "level_order", "code")
    else:
        found = found.order_by("level_order", "code")
    return found if limit is None else found[:limit]


def region_get(*, code: str) -> Region | None:
    return Region.objects.filter(code=code).select_related("parent").first()


def region_path(region: Region) -> list[Region]:
    """The chain from the province down to ``region``, in one query: the code's prefixes are its ancestors
    (placeholder prefectures were never loaded, so a missing prefix is simply skipped)."""
    prefixes = [region.code[:n] for n in CODE_LENGTH.values() if n < len(region.code)]
    ancestors = sorted(Region.objects.filter(code__in=prefixes), key=lambda r: len(r.code))
    return [*ancestors, region]


def region_full_name(region: Region | None) -> str:
    if region is None:
        return ""
    return " ".join(r.name for r in region_path(region))


def region_current(*, code: str, on: dt.date | None = None) -> str:
    """The division a code rolls up to on ``on`` (default: today), following merges and renames.

    Splits are not followed (a split predecessor has several successors; statistics apportion them by
    share elsewhere), and cycles in the mapping are cut.
    """
    seen = {code}
    current = code
    while True:
        step = Succession.objects.filter(predecessor_id=current, share=1.0)
        if on is not None:
            step = step.filter(effective_on__lte=on)
        nxt = step.order_by("-effective_on").values_list("successor_id", flat=True).first()
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def ethnic_groups() -> QuerySet[EthnicGroup]:
    return EthnicGroup.objects.all()


__all__ = ["Level", "region_current", "region_full_name", "region_get", "region_path", "region_search"]
