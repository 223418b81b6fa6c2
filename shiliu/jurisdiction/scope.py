"""A user's scope and the scoped query layer.

Jurisdiction is a division code prefix: a user whose region is 扬州市 (3210) sees every record one of whose
regions starts with "3210". Models that hold scoped data use :class:`ScopedQuerySet` and name the fields
holding their regions in ``scope_region_fields``; selectors call ``visible_to(user)`` for reads and
``editable_by(user)`` for writes. Where a selector needs a prefix filter of its own (a region chosen on a
statistics page, the units under a region), it builds it with :func:`under` — never by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .roles import RECORD_READERS, STAFF_ROLES, Role
from .suppression import NOBODY as NOBODY_VIEWER
from .suppression import Viewer

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
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.UNIT_COORDINATOR

    @property
    def reads_records(self) -> bool:
        """Whether the user reads any records of the Three Plans at all (residents and anonymous users do not)."""
        return self.role in RECORD_READERS

    def covers(self, code: str | None) -> bool:
        """Is the division ``code`` inside this scope?"""
        if self.prefix is None:
            return True
        return bool(code) and code.startswith(self.prefix)  # type: ignore[union-attr]

    def overlaps(self, code: str | None) -> bool:
        """Does the region ``code`` share anything with this scope: inside it, or containing it (江苏省 for a
        扬州市 user, whose statistics page may look at the province's rows that lie in 扬州)?"""
        if self.prefix is None:
            return True
        if not code:
            return False
        return code.startswith(self.prefix) or self.prefix.startswith(code)

    def q(self, *fields: str) -> Q:
        """Records one of whose ``fields`` (paths to a Region) lies inside the scope."""
        if self.prefix is None:
            return Q()
        return any_under(fields, self.prefix)


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


def viewer_for(user: Any) -> Viewer:
    """The user as the jurisdiction layer sees them when deciding who owns a record's figures: a coordinator
    owns their unit's records, staff those of their jurisdiction, admins everything, residents nothing."""
    scope = scope_for(user)
    if scope is NOTHING or scope.role == Role.RESIDENT:
        return NOBODY_VIEWER
    if scope.is_coordinator:
        return (
            Viewer(prefix=scope.prefix, unit_id=scope.unit_id) if scope.unit_id is not None else NOBODY_VIEWER
        )
    return Viewer(prefix=scope.prefix)


def require_region_in_scope(user: Any, code: str) -> None:
    """Figures *of a region* (statistics, coverage, flows) are given only for a region in the jurisdiction.

    Everything else reads records through ``visible_to``, so the figures of a region outside it (or above it)
    would silently count only the caller's share of that region's records and show it under the region's name.
    Refuse with 403 instead, as the API does for an outside region filter.
    """
    if not scope_for(user).covers(code):
        raise PermissionDenied(_("This region is outside your jurisdiction."))


def under(field: str, code: str) -> Q:
    """Records whose ``field`` (a path to a Region) lies in the division ``code`` or below it.

    Region's primary key is its code, so Django trims the join: ``region_id LIKE '3210%'``.
    """
    return Q(**{f"{field}__code__startswith": code})


def any_under(fields: tuple[str, ...] | list[str], code: str) -> Q:
    q = Q()
    for field in fields:
        q |= under(field, code)
    return q


def owned_q(user: Any, parties: tuple[tuple[str, str | None], ...]) -> Q:
    """Records the user is *inside* (the owning party whose exact figures they see), as a filter.

    ``parties`` names each side of the record as (path to its Region, path to its unit or None). It is
    :meth:`Viewer.inside <shiliu.jurisdiction.suppression.Viewer.inside>` written as a query: a coordinator owns
    only the sides that are their unit, staff the sides in their jurisdiction, admins everything, others nothing.
    Filters that would single out records by a personal attribute of their participants (an ethnic group, a
    category of people) apply only to these records, so that a reader outside a record cannot learn from a list
    that its participants include, say, one person of a small group.
    """
    viewer = viewer_for(user)
    if viewer == NOBODY_VIEWER:
        return Q(pk__in=[])
    if viewer.unit_id is not None:
        q = Q(pk__in=[])
        for _region, unit in parties:
            if unit is not None:
                q |= Q(**{f"{unit}_id": viewer.unit_id})
        return q
    if viewer.prefix is None:
        return Q()
    return any_under([region for region, _unit in parties], viewer.prefix)


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows which of its model's fields place a record in the region tree."""

    def _scope_q(self, scope: Scope) -> Q:
        fields: tuple[str, ...] = self.model.scope_region_fields  # type: ignore[attr-defined]
        return scope.q(*fields)

    def visible_to(self, user: Any) -> ScopedQuerySet[_M]:
        scope = scope_for(user)
        if scope.is_everything:
            return self.all()
        if not scope.reads_records:
            return self.none()
        return self.filter(self._scope_q(scope))

    def editable_by(self, user: Any) -> ScopedQuerySet[_M]:
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

    def in_region(self, code: str) -> ScopedQuerySet[_M]:
        """Records one of whose regions lies in the division ``code`` (a filter the user chose)."""
        fields: tuple[str, ...] = self.model.scope_region_fields  # type: ignore[attr-defined]
        return self.filter(any_under(fields, code))


class ScopedModel(models.Model):
    """Mixin for models whose records live in the region tree."""

    scope_region_fields: ClassVar[tuple[str, ...]] = ("region",)
    scope_unit_field: ClassVar[str] = "organization"

    class Meta:
        abstract = True
