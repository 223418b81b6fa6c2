"""The one scoped query layer.

Jurisdiction is a division code prefix: a user whose region is 扬州市 (3210) sees every record one of whose
regions starts with "3210". Models that hold scoped data use :class:`ScopedQuerySet` and name the fields
holding their regions in ``scope_region_fields``; selectors call ``visible_to(user)`` for reads and
``editable_by(user)`` for writes. No view filters by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import RECORD_READERS, Role

if TYPE_CHECKING:
    from .models import User

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """What a user may see and change. ``prefix`` None means everything; "" never occurs."""

    prefix: str | None
    role: str
    unit_id: int | None = None

    @property
    def is_everything(self) -> bool:
        return self.prefix is None

    @property
    def reads_records(self) -> bool:
        """Whether the user reads any records of the Three Plans at all (residents and anonymous users do not)."""
        return self.role in RECORD_READERS

    def covers(self, code: str | None) -> bool:
        if self.prefix is None:
            return True
        return bool(code) and code.startswith(self.prefix)  # type: ignore[union-attr]


NOTHING = Scope(prefix="\x00", role="anonymous")


def scope_for(user: Any) -> Scope:
    """The scope of an authenticated user; anonymous or misconfigured users see nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.role == Role.PLATFORM_ADMIN:
        return Scope(prefix=None, role=user.role)
    if not user.region_id:
        return NOTHING
    return Scope(prefix=user.region_id, role=user.role, unit_id=user.organization_id)


def require_region_in_scope(user: Any, code: str) -> None:
    """Figures *of a region* (statistics, coverage, flows) are given only for a region in the jurisdiction.

    Everything else reads records through ``visible_to``, so the figures of a region outside it (or above it)
    would silently count only the caller's share of that region's records and show it under the region's name.
    Refuse with 403 instead, as the API does for an outside region filter.
    """
    if not scope_for(user).covers(code):
        raise PermissionDenied(_("This region is outside your jurisdiction."))


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows which of its model's fields place a record in the region tree."""

    def _scope_q(self, scope: Scope) -> Q:
        fields: tuple[str, ...] = self.model.scope_region_fields  # type: ignore[attr-defined]
        q = Q()
        for field in fields:
            # Region's primary key is its code, so Django trims the join: region_id LIKE '3210%'.
            q |= Q(**{f"{field}__code__startswith": scope.prefix})
        return q

    def visible_to(self, user: User | Any) -> ScopedQuerySet[_M]:
        scope = scope_for(user)
        if scope.is_everything:
            return self.all()
        if not scope.reads_records:
            return self.none()
        return self.filter(self._scope_q(scope))

    def editable_by(self, user: User | Any) -> ScopedQuerySet[_M]:
        """Records the user may change: staff within their region, coordinators only their own unit's
        records (``scope_unit_field`` names the path to the owning unit)."""
        scope = scope_for(user)
        if scope.is_everything:
            return self.all()
        if scope.role == Role.COMMISSION_STAFF:
            return self.filter(self._scope_q(scope))
        if scope.role == Role.UNIT_COORDINATOR and scope.unit_id is not None:
            unit_field: str = self.model.scope_unit_field  # type: ignore[attr-defined]
            return self.filter(self._scope_q(scope)).filter(**{unit_field: scope.unit_id})
        return self.none()


class ScopedModel(models.Model):
    """Mixin for models whose records live in the region tree."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)
    scope_unit_field: ClassVar[str] = "organization"

    class Meta:
        abstract = True
