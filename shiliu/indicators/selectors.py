"""Scoped reads of the indicators app: views, the API and exports all read through these."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from shiliu.jurisdiction.scope import scope_for, under
from shiliu.orgs.models import Organization, UnitKind
from shiliu.regions.models import Region

from .models import (
    DataElement,
    DataValue,
    DemonstrationSite,
    EvaluationRun,
    IndicatorSystem,
    PeriodReturn,
    Recognition,
    SiteStatus,
)


def entry_regions(*, user: Any) -> QuerySet[Region]:
    """Communities and villages (with a unit on the platform) the user may enter values for."""
    scope = scope_for(user)
    units = Organization.objects.filter(kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE))
    if scope.is_coordinator:
        units = units.filter(pk=scope.unit_id or 0)
    elif not scope.is_everything:
        if not scope.is_staff:
            return Region.objects.none()
        units = units.filter(under("region", scope.prefix or ""))
    return Region.objects.filter(code__in=units.values("region_id")).order_by("code")


def region_in_scope(*, user: Any, code: str) -> Region:
    """A region inside the user's jurisdiction, or 404 (nobody learns what lies outside)."""
    scope = scope_for(user)
    if not scope.reads_records or not scope.covers(code):
        raise Http404
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return region


def region_choices(*, user: Any) -> QuerySet[Region]:
    """Regions to evaluate or measure: the user's own region and the counties/townships under it."""
    scope = scope_for(user)
    qs = Region.objects.filter(
        valid_to__isnull=True, level__in=("province", "prefecture", "county", "township")
    )
    if not scope.is_everything:
        qs = qs.filter(code__startswith=scope.prefix or "\x00")
    return qs.filter(code__in=_regions_with_values()).order_by("code")


def _regions_with_values() -> set[str]:
    codes = set(DataValue.objects.values_list("region_id", flat=True).distinct()[:20000])
    out: set[str] = set()
    for code in codes:
        for n in (2, 4, 6, 9):
            out.add(code[:n])
    return out


def returns(*, user: Any, period: str = "", status: str = "") -> QuerySet[PeriodReturn]:
    qs = PeriodReturn.objects.visible_to(user).select_related("region", "submitted_by", "approved_by")
    if period:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return qs


def return_get(*, user: Any, pk: int) -> PeriodReturn:
    ret = returns(user=user).filter(pk=pk).first()
    if ret is None:
        raise Http404
    return ret


def values(*, user: Any, region: str = "", period: str = "", element: str = "") -> QuerySet[DataValue]:
    qs = DataValue.objects.visible_to(user).select_related("element", "region", "ethnic_group", "entered_by")
    if region:
        qs = qs.filter(under("region", region))
    if period:
        qs = qs.filter(period=period)
    if element:
        qs = qs.filter(element__code=element)
    return qs.order_by("region_id", "period", "element__order", "element__code", "ethnic_group_id")


def value_get(*, user: Any, pk: int) -> DataValue:
    value = values(user=user).filter(pk=pk).first()
    if value is None:
        raise Http404
    return value


def elements_for(*, region: Region, period_type: str) -> list[DataElement]:
    level = {12: "village", 9: "township", 6: "county"}.get(len(region.code), "village")
    return list(DataElement.objects.filter(entry_level=level, period_type=period_type))


def runs(*, user: Any) -> QuerySet[EvaluationRun]:
    return EvaluationRun.objects.visible_to(user).select_related(
        "system", "region", "created_by", "approved_by"
    )


def run_get(*, user: Any, pk: int) -> EvaluationRun:
    run = runs(user=user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def systems() -> QuerySet[IndicatorSystem]:
    return IndicatorSystem.objects.all()


def sites(*, user: Any) -> QuerySet[DemonstrationSite]:
    return DemonstrationSite.objects.visible_to(user).select_related("region", "unit", "run", "designated_by")


def site_get(*, user: Any, pk: int) -> DemonstrationSite:
    site = sites(user=user).filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


def recognitions(*, user: Any) -> QuerySet[Recognition]:
    return Recognition.objects.visible_to(user).select_related("region", "awarded_by")


def recognition_get(*, user: Any, pk: int) -> Recognition:
    rec = recognitions(user=user).filter(pk=pk).first()
    if rec is None:
        raise Http404
    return rec


def public_sites() -> QuerySet[DemonstrationSite]:
    return DemonstrationSite.objects.filter(is_public=True, status=SiteStatus.ACTIVE).select_related("region")


def public_recognitions() -> QuerySet[Recognition]:
    return Recognition.objects.filter(is_public=True, status=SiteStatus.ACTIVE).select_related("region")
