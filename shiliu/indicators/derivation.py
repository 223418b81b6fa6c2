"""Report once (最多报一次): the registry of derivation sources — one function per figure Shiliu's own records give.

A source takes the division codes and a period and returns, for each code, the value and the records behind it
(their kind and ids: the drill-down). A data element whose ``source`` names a registered source is never typed:
its values are written by the derivation task (tasks.py → services.derive_values) and the entry form says so.

Modules landing later (service requests, jobs, trainings, volunteer hours, publicity lectures) add one function
each with :func:`register_source`; indicators sits above them, so the function lives here or in their app and
is registered from ``ready()``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import periods


def _near(codes: list[str], *fields: str) -> Q:
    """Records with a region under the codes' common prefix (a county's communities: the county)."""
    prefix = os.path.commonprefix(codes) if codes else "\x00"
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__code__startswith": prefix})
    return q


def _by_prefix(
    codes: list[str], rows: list[tuple[Any, ...]], regions: int
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows grouped under each requested code that one of their regions (the row's items 1..regions) lies in:
    one pass over the rows per code length, a record counted once per code even when both parties lie in it."""
    wanted = set(codes)
    lengths = sorted({len(c) for c in codes})
    out: dict[str, list[tuple[Any, ...]]] = {c: [] for c in codes}
    for row in rows:
        hit: set[str] = set()
        for region in row[1 : 1 + regions]:
            for n in lengths:
                if region and len(region) >= n and region[:n] in wanted:
                    hit.add(region[:n])
        for code in hit:
            out[code].append(row)
    return out


@dataclass(frozen=True)
class Derived:
    value: float
    kind: str  # the kind of records behind it (a key of RECORD_KINDS)
    ids: list[int] = field(default_factory=list)


SourceFn = Callable[[list[str], dt.date, dt.date], dict[str, Derived]]


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    compute: SourceFn


@dataclass(frozen=True)
class RecordKind:
    """How the drill-down page lists records of one kind for a viewer: a scoped queryset and a link per record."""

    label: Any
    rows: Callable[[Any, list[int]], list[tuple[str, str, str]]]  # (user, ids) → (title, detail, url)


SOURCES: dict[str, Source] = {}
RECORD_KINDS: dict[str, RecordKind] = {}


def register_source(key: str, label: Any, compute: SourceFn) -> None:
    SOURCES[key] = Source(key, label, compute)


def register_record_kind(
    key: str, label: Any, rows: Callable[[Any, list[int]], list[tuple[str, str, str]]]
) -> None:
    RECORD_KINDS[key] = RecordKind(label, rows)


def source_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(s.key, str(s.label)) for s in SOURCES.values()]


def derive(source: str, codes: list[str], period: str) -> dict[str, Derived]:
    start, end = periods.bounds(period)
    return SOURCES[source].compute(codes, start, end)


# --------------------------------------------------------------------------------------------- built-in sources


def _activities(plan: str | None) -> SourceFn:
    def compute(codes: list[str], start: dt.date, end: dt.date) -> dict[str, Derived]:
        from shiliu.exchanges.ledger.models import Activity, ActivityStatus

        qs = Activity.objects.filter(
            status=ActivityStatus.CONFIRMED, start_date__gte=start, start_date__lte=end
        )
        if plan:
            qs = qs.filter(**{f"plan_{plan}": True})
        qs = qs.filter(_near(codes, "sending_region", "receiving_region"))
        rows = list(qs.values_list("pk", "sending_region_id", "receiving_region_id"))
        # Counted once per region even when both parties lie in it (the statistics' rule).
        grouped = _by_prefix(codes, rows, 2)
        return {
            code: Derived(float(len(hit)), "activity", [r[0] for r in hit]) for code, hit in grouped.items()
        }

    return compute


def _person_times(plan: str | None) -> SourceFn:
    def compute(codes: list[str], start: dt.date, end: dt.date) -> dict[str, Derived]:
        from shiliu.exchanges.ledger.models import Activity, ActivityStatus

        qs = Activity.objects.filter(
            status=ActivityStatus.CONFIRMED, start_date__gte=start, start_date__lte=end
        )
        if plan:
            qs = qs.filter(**{f"plan_{plan}": True})
        qs = qs.filter(_near(codes, "sending_region", "receiving_region"))
        rows = list(
            qs.annotate(people=Sum("participations__count")).values_list(
                "pk", "sending_region_id", "receiving_region_id", "people"
            )
        )
        grouped = _by_prefix(codes, rows, 2)
        return {
            code: Derived(float(sum(r[3] or 0 for r in hit)), "activity", [r[0] for r in hit])
            for code, hit in grouped.items()
        }

    return compute


def _pairings(codes: list[str], start: dt.date, end: dt.date) -> dict[str, Derived]:
    """Pairings in force at the end of the period with a side in the region (its coverage: 0 means unpaired)."""
    from shiliu.pairings.models import Pairing, PairingStatus

    qs = Pairing.objects.filter(status=PairingStatus.ACTIVE).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=end)
    )
    rows = list(
        qs.filter(_near(codes, "a_region", "b_region")).values_list("pk", "a_region_id", "b_region_id")
    )
    grouped = _by_prefix(codes, rows, 2)
    return {code: Derived(float(len(hit)), "pairing", [r[0] for r in hit]) for code, hit in grouped.items()}


def _residents(codes: list[str], start: dt.date, end: dt.date) -> dict[str, Derived]:
    from shiliu.residents.models import Resident

    qs = Resident.objects.filter(moved_in_on__lte=end).filter(_near(codes, "residence_region"))
    rows = list(qs.values_list("pk", "residence_region_id"))
    grouped = _by_prefix(codes, rows, 1)
    return {code: Derived(float(len(hit)), "resident", [r[0] for r in hit]) for code, hit in grouped.items()}


def _lectures(people: bool) -> SourceFn:
    """Publicity lectures held in the region in the period: sessions (场次) or people on site (人次)."""

    def compute(codes: list[str], start: dt.date, end: dt.date) -> dict[str, Derived]:
        from shiliu.culture.models import Lecture

        qs = Lecture.objects.filter(held_on__gte=start, held_on__lte=end).filter(_near(codes, "region"))
        rows = list(qs.values_list("pk", "region_id", "attendance"))
        grouped = _by_prefix(codes, rows, 1)
        return {
            code: Derived(
                float(sum(r[2] for r in hit) if people else len(hit)), "lecture", [r[0] for r in hit]
            )
            for code, hit in grouped.items()
        }

    return compute


def _lecture_rows(user: Any, ids: list[int]) -> list[tuple[str, str, str]]:
    from shiliu.culture.models import Lecture

    qs = Lecture.objects.visible_to(user).filter(pk__in=ids).select_related("region")
    return [
        (
            lecture.topic,
            f"{lecture.held_on:%Y-%m-%d} · {lecture.region.name} · {lecture.attendance}",
            reverse("culture:lecture", args=[lecture.pk]),
        )
        for lecture in qs.order_by("held_on", "pk")
    ]


def _activity_rows(user: Any, ids: list[int]) -> list[tuple[str, str, str]]:
    from shiliu.exchanges.ledger.models import Activity

    qs = (
        Activity.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("sending_region", "receiving_region")
    )
    return [
        (
            a.title,
            f"{a.start_date:%Y-%m-%d} · {a.sending_region.name} → {a.receiving_region.name}",
            reverse("exchanges:detail", args=[a.pk]),
        )
        for a in qs.order_by("start_date", "pk")
    ]


def _pairing_rows(user: Any, ids: list[int]) -> list[tuple[str, str, str]]:
    from shiliu.pairings.models import Pairing

    qs = Pairing.objects.visible_to(user).filter(pk__in=ids).select_related("a_region", "b_region")
    return [
        (
            f"{p.a_region.name} ↔ {p.b_region.name}",
            p.get_kind_display(),
            reverse("pairings:detail", args=[p.pk]),
        )
        for p in qs.order_by("pk")
    ]


def _resident_rows(user: Any, ids: list[int]) -> list[tuple[str, str, str]]:
    # Residents are personal data: the drill-down shows how many and links to the registry, never names.
    from shiliu.residents.models import Resident

    n = Resident.objects.filter(pk__in=ids).filter(_visible_residents(user)).count()
    return [(str(_("Registered residents")), str(n), reverse("residents:home"))]


def _visible_residents(user: Any) -> Q:
    from shiliu.jurisdiction.scope import scope_for

    scope = scope_for(user)
    if scope.is_everything:
        return Q()
    if not scope.reads_records:
        return Q(pk__in=[])
    return scope.q("residence_region")


def register_builtin_sources() -> None:
    register_record_kind("activity", _("Activities"), _activity_rows)
    register_record_kind("pairing", _("Pairings"), _pairing_rows)
    register_record_kind("resident", _("Residents"), _resident_rows)
    register_source("activities", _("Exchange activities (batches), all plans"), _activities(None))
    register_source("person_times", _("Person-times, all plans"), _person_times(None))
    for plan, label in (
        ("embedding", _("embedded development")),
        ("youth", _("youth exchange")),
        ("tourism", _("tourism exchange")),
    ):
        register_source(
            f"activities_{plan}", _("Activities (batches): %(plan)s") % {"plan": label}, _activities(plan)
        )
        register_source(
            f"person_times_{plan}", _("Person-times: %(plan)s") % {"plan": label}, _person_times(plan)
        )
    register_source("pairings", _("Pairings in force (coverage)"), _pairings)
    register_source("residents", _("Migrant residents registered"), _residents)
    register_record_kind("lecture", _("Lectures"), _lecture_rows)
    register_source("lectures", _("Publicity lectures held (sessions)"), _lectures(people=False))
    register_source(
        "lecture_attendance", _("Publicity lectures: people on site (person-times)"), _lectures(people=True)
    )
