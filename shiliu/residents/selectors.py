"""Scoped reads of the registry. Pages, the API and the export read through these and nothing else.

Who sees a resident, decided with the jurisdiction layer's primitives:

- **manage**: the residence side — staff whose jurisdiction covers the residence community, the community's own
  coordinator, platform admins (``owned_q`` / ``acts_for`` on the residence party);
- **origin**: the origin side's *commission staff* (not its units' coordinators) read their own people living
  elsewhere: a few fields, read-only (``staff_covers`` on the origin region);
- anyone else: nothing (a 404, so nobody learns who is registered where). Residents never read the registry.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from shiliu.jurisdiction.party import Party, acts_for, staff_covers
from shiliu.jurisdiction.scope import owned_q, scope_for, under
from shiliu.lib.idnumbers import normalise
from shiliu.orgs.models import Organization, UnitKind

from .models import ENCRYPTED_FIELDS, Handover, HandoverStatus, Resident

RESIDENCE_PARTY = (("residence_region", "residence_unit"),)
COMMUNITY_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


class Access(StrEnum):
    MANAGE = "manage"
    ORIGIN = "origin"


def _managed_q(user: Any) -> Q:
    return owned_q(user, RESIDENCE_PARTY)


def _origin_q(user: Any) -> Q:
    scope = scope_for(user)
    if not scope.is_staff:
        return Q(pk__in=[])
    if scope.is_everything:
        return Q()
    return under("origin_region", scope.prefix or "")


def residence_party(resident: Resident) -> Party:
    return Party(region=resident.residence_region_id, unit=resident.residence_unit_id)


def resident_access(*, user: Any, resident: Resident) -> Access | None:
    if acts_for(user, residence_party(resident)):
        return Access.MANAGE
    if staff_covers(user, resident.origin_region_id):
        return Access.ORIGIN
    return None


def resident_list(
    *,
    user: Any,
    query: str = "",
    need: str = "",
    status: str = "",
    side: str = "",
    community: int | None = None,
) -> QuerySet[Resident]:
    """Residents the user manages or, for an origin commission, its own people living elsewhere; each row carries
    ``managed`` (True: the residence side; False: read-only for the origin side)."""
    managed, origin = _managed_q(user), _origin_q(user)
    if side == Access.MANAGE:
        visible = managed
    elif side == Access.ORIGIN:
        visible = origin & ~managed
    else:
        visible = managed | origin
    qs = (
        Resident.objects.filter(visible)
        .annotate(
            managed=Case(When(managed, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .select_related("origin_region", "residence_region", "residence_unit", "ethnic_group")
    )
    if need:
        qs = qs.filter(needs__contains=f",{need},")
    if status:
        qs = qs.filter(status=status)
    if community:
        qs = qs.filter(residence_unit_id=community)
    text = query.strip()
    if text:
        number = normalise(text)
        if len(number) == 18:
            qs = qs.filter(id_number_hash=ENCRYPTED_FIELDS[0].hash_of(number))
        else:
            qs = qs.filter(name__contains=text)
    return qs


def resident_get(*, user: Any, pk: int) -> tuple[Resident, Access]:
    """One resident and how the user may see it; a 404 for anyone who may not."""
    try:
        resident = Resident.objects.select_related(
            "origin_region", "residence_region", "residence_unit", "ethnic_group", "registered_by"
        ).get(pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    access = resident_access(user=user, resident=resident)
    if access is None:
        raise Http404
    return resident, access


def resident_managed_get(*, user: Any, pk: int) -> Resident:
    """A resident the user manages (for changes); the origin side and everyone else get a 404."""
    resident, access = resident_get(user=user, pk=pk)
    if access != Access.MANAGE:
        raise Http404
    return resident


def resident_find_by_id_number(*, user: Any, id_number: str) -> Resident | None:
    """The resident with this ID number, if the user may see them (the keyed hash, never a decryption)."""
    return (
        resident_list(user=user)
        .filter(id_number_hash=ENCRYPTED_FIELDS[0].hash_of(normalise(id_number)))
        .first()
    )


def resident_history(*, resident: Resident) -> QuerySet[Handover]:
    return resident.handovers.select_related("from_region", "from_unit", "to_region", "to_unit").order_by(
        "-created_at", "-pk"
    )


def handover_incoming(*, user: Any) -> QuerySet[Handover]:
    """Pending handovers to a community the user acts for (they decide; the record is not yet theirs)."""
    q = owned_q(user, (("to_region", "to_unit"),))
    return (
        Handover.objects.filter(q, status=HandoverStatus.PENDING)
        .select_related(
            "resident", "resident__origin_region", "from_region", "from_unit", "to_region", "to_unit"
        )
        .order_by("created_at")
    )


def handover_get_incoming(*, user: Any, pk: int) -> Handover:
    handover = handover_incoming(user=user).filter(pk=pk).first()
    if handover is None:
        raise Http404
    return handover


def community_choices(*, user: Any) -> QuerySet[Organization]:
    """Communities and villages a resident may be registered in by this user: those the user acts for."""
    scope = scope_for(user)
    if scope.is_coordinator:
        q = Q(pk=scope.unit_id)
    elif scope.is_staff:
        q = Q() if scope.is_everything else under("region", scope.prefix or "")
    else:
        q = Q(pk__in=[])
    return (
        Organization.objects.filter(q, kind__in=COMMUNITY_KINDS, is_active=True)
        .select_related("region")
        .order_by("region_id", "name")
    )


def community_in_region(*, code: str) -> Organization | None:
    """The community or village unit sitting at a village-level division, if one is registered."""
    return (
        Organization.objects.filter(region_id=code, kind__in=COMMUNITY_KINDS, is_active=True)
        .order_by("pk")
        .first()
    )
