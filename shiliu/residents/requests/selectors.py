"""Scoped reads of the request desk. Pages, the API and the exports read through these and nothing else.

Who sees a request (the jurisdiction layer's ``owned_q`` over its parties): the receiving side (the community and
its commission), the handling side now, the first handler (首办负责, who stays responsible) and the supervising
level once escalated. Anyone else: 404. A resident sees their own requests; anyone holding a tracking number sees
the public timeline only (no personal data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from shiliu.jurisdiction.party import Party, acts_for, staff_covers
from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import owned_q, scope_for, under
from shiliu.lib import clock
from shiliu.orgs.models import Organization, UnitKind

from .models import (
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    DeskSettings,
    Rating,
    RequestEvent,
    ServiceRequest,
    Status,
)

PARTIES = (
    ("region", "community"),
    ("handling_region", "handling_unit"),
    ("first_region", "first_unit"),
    ("supervisor_region", None),
)
RELATED = ("region", "community", "handling_region", "handling_unit", "first_unit", "origin_region")


def visible_q(user: Any) -> Q:
    return owned_q(user, PARTIES)


def request_list(
    *,
    user: Any,
    status: str = "",
    stage: str = "",
    kind: str = "",
    category: str = "",
    query: str = "",
    unit: int | None = None,
    district: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    metric: str = "",
    mine: bool = False,
    handler_region: str = "",
) -> QuerySet[ServiceRequest]:
    """Requests the user may see, filtered; ``metric`` is a metrics bucket (the drill-down of every figure)."""
    qs = ServiceRequest.objects.filter(visible_q(user)).select_related(*RELATED)
    if mine:
        qs = qs.filter(owned_q(user, (("handling_region", "handling_unit"),)))
    if status:
        qs = qs.filter(status=status)
    if stage == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif stage == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, answer_due__lt=clock.now())
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    if unit:
        qs = qs.filter(handling_unit_id=unit)
    if district:
        qs = qs.filter(under("region", district))
    if handler_region:
        qs = qs.filter(handling_region_id=handler_region, handling_unit__isnull=True)
    if start:
        qs = qs.filter(received_at__date__gte=start)
    if end:
        qs = qs.filter(received_at__date__lte=end)
    if metric:
        qs = qs.filter(metric_q(metric))
    text = query.strip()
    if text:
        qs = qs.filter(
            Q(tracking_number__iexact=text) | Q(hotline_order_number=text) | Q(description__contains=text)
        )
    return qs


def request_get(*, user: Any, pk: int) -> ServiceRequest:
    try:
        request = ServiceRequest.objects.select_related(*RELATED, "supervisor_region", "first_region").get(
            pk=pk
        )
    except (ServiceRequest.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if not ServiceRequest.objects.filter(visible_q(user), pk=pk).exists():
        raise Http404
    return request


def my_requests(*, user: Any) -> QuerySet[ServiceRequest]:
    """A signed-in resident's own requests."""
    if not getattr(user, "is_authenticated", False):
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(filed_by=user).select_related("community")


def request_by_tracking(*, number: str) -> ServiceRequest:
    request = ServiceRequest.objects.filter(tracking_number=number.strip().upper()).first()
    if request is None:
        raise Http404
    return request


def public_timeline(*, request: ServiceRequest) -> QuerySet[RequestEvent]:
    return request.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "pk")


def request_events(*, request: ServiceRequest) -> QuerySet[RequestEvent]:
    return request.events.select_related("actor", "to_region", "to_unit").order_by("at", "pk")


# ------------------------------------------------------------------------------------------------ who may act


@dataclass(frozen=True)
class Roles:
    dispatcher: bool  # the receiving commission: dispatches, reviews returns, closes, records follow-up calls
    handler: bool  # acts for the handling side: signs, handles, transfers, returns, answers, asks extensions
    first: bool  # the first handler (首办负责): sees progress
    above: bool  # the level above the handler: approves extensions, escalates, excludes from assessment


def is_above(user: Any, request: ServiceRequest) -> bool:
    """Is the user the level above the request's handler? Staff covering the handling region, whose jurisdiction
    is wider than the handling commission's own (or who oversee a unit that is not a commission)."""
    scope = scope_for(user)
    region = request.handling_region_id or request.region_id
    if not scope.is_staff or not scope.covers(region):
        return False
    if scope.is_everything:
        return True
    unit = request.handling_unit
    if unit is not None and unit.kind != UnitKind.COMMISSION:
        return True
    return len(scope.prefix or "") < len(region)


def request_roles(*, user: Any, request: ServiceRequest) -> Roles:
    handling = Party(region=request.handling_region_id or request.region_id, unit=request.handling_unit_id)
    first = (
        Party(region=request.first_region_id, unit=request.first_unit_id) if request.first_region_id else None
    )
    scope = scope_for(user)
    handler = acts_for(user, handling)
    if handler and scope.is_staff and request.handling_unit_id is not None:
        # Staff oversee a unit's order; they act for it only as its supervisor, not as its handler.
        handler = False
    return Roles(
        dispatcher=staff_covers(user, request.region_id) and scope.role != Role.RESIDENT,
        handler=handler,
        first=first is not None and acts_for(user, first),
        above=is_above(user, request),
    )


def transfer_targets(*, request: ServiceRequest) -> QuerySet[Organization]:
    from .routing import known_unit_q

    return (
        Organization.objects.filter(known_unit_q(), is_active=True)
        .exclude(pk=request.handling_unit_id or 0)
        .select_related("region")
        .order_by("region_id", "name")
    )


def duplicate_candidates(*, request: ServiceRequest) -> list[ServiceRequest]:
    """Possible duplicates (并单): same category and community, within 7 days, similar text (shared 2-character
    shingles ≥ 0.5 of the shorter text's)."""
    window = dt.timedelta(days=7)
    others = ServiceRequest.objects.filter(
        category=request.category,
        community_id=request.community_id,
        received_at__gte=request.received_at - window,
        received_at__lte=request.received_at + window,
        status__in=OPEN_STATUSES,
    ).exclude(pk=request.pk)
    mine = _shingles(request.description)
    found = []
    for other in others[:50]:
        theirs = _shingles(other.description)
        if mine and theirs and len(mine & theirs) / min(len(mine), len(theirs)) >= 0.5:
            found.append(other)
    return found


def _shingles(text: str) -> set[str]:
    compact = "".join(ch for ch in text if not ch.isspace() and ch not in "，。、！？,.!?；;：:")
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


# ------------------------------------------------------------------------------------------------ metrics
# Each figure is a count of requests matching one of these filters; the same filter is the drill-down.


def metric_q(name: str, *, now: dt.datetime | None = None) -> Q:
    now = now or clock.now()
    assessed = Q(excluded=False) & ~Q(status=Status.MERGED)
    late = Q(answered_at__isnull=False, answered_at__gt=models_f("answer_due")) | Q(
        answered_at__isnull=True, status__in=OPEN_STATUSES, answer_due__lt=now
    )
    on_time = Q(answered_at__isnull=False, answered_at__lte=models_f("answer_due"))
    sign_ended = Q(sign_due__isnull=False) & (Q(signed_at__isnull=False) | Q(sign_due__lt=now))
    filters = {
        "all": assessed,
        "excluded": Q(excluded=True),
        "sign_ended": assessed & sign_ended,
        "signed_on_time": assessed & Q(signed_at__isnull=False, signed_at__lte=models_f("sign_due")),
        "due": assessed & (on_time | late),
        "on_time": assessed & on_time,
        "late": assessed & late,
        "closed": assessed & Q(status__in=(Status.CLOSED, Status.RATED)),
        "rated": assessed & ~Q(rating=""),
        "satisfied": assessed & Q(rating__in=(Rating.SATISFIED, Rating.FAIRLY)),
        "open_overdue": assessed & Q(answered_at__isnull=True, status__in=OPEN_STATUSES, answer_due__lt=now),
    }
    if name not in filters:
        return Q(pk__in=[])
    return filters[name]


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


METRIC_NAMES = (
    "all",
    "excluded",
    "sign_ended",
    "signed_on_time",
    "due",
    "on_time",
    "late",
    "closed",
    "rated",
    "satisfied",
    "open_overdue",
)


@dataclass
class Figures:
    key: str
    label: str
    counts: dict[str, int]
    filters: dict[str, str]  # query parameters of the drill-down

    def rate(self, numerator: str, denominator: str) -> float | None:
        d = self.counts.get(denominator, 0)
        return None if d == 0 else self.counts.get(numerator, 0) / d

    @property
    def response_rate(self) -> float | None:
        return self.rate("signed_on_time", "sign_ended")

    @property
    def on_time_rate(self) -> float | None:
        return self.rate("on_time", "due")

    @property
    def resolution_rate(self) -> float | None:
        return self.rate("closed", "all")

    @property
    def satisfaction_rate(self) -> float | None:
        return self.rate("satisfied", "rated")

    def score(self, desk: DeskSettings) -> float | None:
        parts = [
            (self.resolution_rate, desk.weight_resolution),
            (self.satisfaction_rate, desk.weight_satisfaction),
            (self.on_time_rate, desk.weight_on_time),
        ]
        weight = sum(w for r, w in parts if r is not None)
        if weight == 0:
            return None
        return 100 * sum((r or 0) * w for r, w in parts if r is not None) / weight


def metrics(
    *,
    user: Any,
    by: str = "unit",
    start: dt.date | None = None,
    end: dt.date | None = None,
    district: str = "",
) -> list[Figures]:
    """The desk's figures per handling unit (``by="unit"``) or per county/district (``by="region"``), over the
    requests received in the period that the user may see. Open requests past their deadline count as late."""
    qs = request_list(user=user, start=start, end=end, district=district)
    now = clock.now()
    aggregates = {f"n_{name}": Count("pk", filter=metric_q(name, now=now)) for name in METRIC_NAMES}
    if by == "region":
        rows = qs.annotate(key=Substr("region_id", 1, 6)).values("key").annotate(**aggregates).order_by("key")
        from shiliu.regions.models import Region

        names = dict(Region.objects.filter(code__in=[r["key"] for r in rows]).values_list("code", "name"))
        return [
            Figures(
                key=r["key"],
                label=names.get(r["key"], r["key"]),
                counts={n: r[f"n_{n}"] for n in METRIC_NAMES},
                filters={"district": r["key"]},
            )
            for r in rows
        ]
    unit_rows = (
        qs.values("handling_unit_id", "handling_unit__name", "handling_region_id", "handling_region__name")
        .annotate(**aggregates)
        .order_by("handling_region_id", "handling_unit__name")
    )
    figures = []
    for r in unit_rows:
        if r["handling_unit_id"]:
            label, filters = r["handling_unit__name"], {"unit": str(r["handling_unit_id"])}
        elif r["handling_region_id"]:
            label = f"{r['handling_region__name']}（委员会）"
            filters = {"handler_region": r["handling_region_id"]}
        else:
            label, filters = "—", {}
        key = str(r["handling_unit_id"] or r["handling_region_id"] or "")
        figures.append(
            Figures(key=key, label=label, counts={n: r[f"n_{n}"] for n in METRIC_NAMES}, filters=filters)
        )
    return figures


def community_choices(*, user: Any = None) -> QuerySet[Organization]:
    """Communities and villages a request may concern (every active one: a resident may live anywhere)."""
    return (
        Organization.objects.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE), is_active=True)
        .select_related("region")
        .order_by("region_id", "name")
    )


def desk_settings() -> DeskSettings:
    return DeskSettings.current()
