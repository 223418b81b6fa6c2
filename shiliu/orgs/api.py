# No "from __future__ import annotations": django-ninja reads these annotations at import time.
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from shiliu.jurisdiction.decorators import readers_only
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib.api_types import Id, Page, Ref
from shiliu.regions.models import Region

from . import selectors, services
from .models import Organization, UnitKind

router = Router(tags=["units"])
router.add_decorator(readers_only)  # residents: 403, as on the pages


class UnitOut(Schema):
    id: int
    name: str
    kind: UnitKind
    region_code: str = Field(alias="region_id")
    region_name: str = Field(alias="region.name")
    parent_id: int | None
    address: str
    contact_name: str
    contact_phone: str = Field(alias="masked_phone", description="masked: 138****5678")
    is_active: bool


class UnitFilter(Schema):
    region: str | None = Field(None, pattern=r"^\d{2,12}$")
    q: str = Field("", max_length=50)
    kind: UnitKind | None = None


class UnitIn(Schema):
    name: str = Field(..., min_length=2, max_length=100)
    kind: UnitKind
    region: str = Field(..., pattern=r"^\d{2,12}$")
    parent_id: Ref | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    email: str = ""
    description: str = ""


class UnitPatch(Schema):
    """Only the fields sent are changed. Text fields take a string (an empty one clears them), never null;
    ``parent_id`` null detaches the unit from its parent."""

    name: str = Field(None, min_length=2, max_length=100)  # type: ignore[assignment]  # omitted ≠ null
    address: str = Field(None)  # type: ignore[assignment]
    contact_name: str = Field(None)  # type: ignore[assignment]
    contact_phone: str = Field(None)  # type: ignore[assignment]
    email: str = Field(None)  # type: ignore[assignment]
    description: str = Field(None)  # type: ignore[assignment]
    parent_id: Ref | None = None


def _check_region_filter(request: HttpRequest, code: str | None) -> None:
    if code and not scope_for(request.user).overlaps(code):
        raise PermissionDenied(_("This region is outside your jurisdiction."))


@router.get("/units", response=list[UnitOut])
@paginate(Page, limit=50)
def units(request: HttpRequest, filters: Query[UnitFilter]) -> QuerySet[Organization]:
    """Units in the caller's jurisdiction; a region outside it is refused with 403."""
    _check_region_filter(request, filters.region)
    return selectors.organization_list(
        user=request.user, query=filters.q, kind=filters.kind or "", region=filters.region or ""
    )


@router.get("/units/{unit_id}", response=UnitOut)
def unit(request: HttpRequest, unit_id: Id) -> Organization:
    return selectors.organization_get(user=request.user, pk=unit_id)


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    from django.core.exceptions import ValidationError

    if "region" in data:
        region = Region.objects.filter(code=data["region"], valid_to__isnull=True).first()
        if region is None:
            raise ValidationError({"region": _("Unknown division code %(code)s.") % {"code": data["region"]}})
        data["region"] = region
    if "parent_id" in data:
        pid = data.pop("parent_id")
        data["parent"] = selectors.organization_get(user=request.user, pk=pid) if pid else None
    return data


@router.post("/units", response={201: UnitOut})
def unit_create(request: HttpRequest, payload: UnitIn) -> Status[Organization]:
    data = _resolve(request, payload.dict())
    return Status(201, services.organization_create(actor=request.user, data=data))


@router.patch("/units/{unit_id}", response=UnitOut)
def unit_update(request: HttpRequest, unit_id: Id, payload: UnitPatch) -> Organization:
    unit = selectors.organization_get(user=request.user, pk=unit_id)
    data = _resolve(request, payload.dict(exclude_unset=True))
    return services.organization_update(actor=request.user, organization=unit, data=data)
