"""The two sides of a record, and who may act for one.

Many records have two parties — a pairing's sides A and B, an activity's sending and receiving party, a booking's
host and guest, a pen-pal programme's two schools, a tour group's origin and destination, and later a resident
request's outflow and inflow regions. A party is a region and, optionally, a unit inside it. Who may act for a party
is decided here, once:

- commission staff (and platform admins) whose jurisdiction covers the party's region;
- a unit coordinator, only for a party that is their own unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from .scope import owned_q, scope_for


@dataclass(frozen=True)
class Party:
    """One side of a two-sided record: a division code and, optionally, the id of a unit in it."""

    region: str
    unit: int | None = None

    @classmethod
    def of(cls, record: Any, side: str) -> Party:
        """The party stored as ``<side>_region`` / ``<side>_unit`` on a record (sending, receiving, a, b …)."""
        return cls(region=getattr(record, f"{side}_region_id"), unit=getattr(record, f"{side}_unit_id", None))

    @classmethod
    def of_unit(cls, unit: Any) -> Party:
        """A unit as a party (the host of an offer, the guest of a booking, a school)."""
        return cls(region=unit.region_id, unit=unit.pk)


def acts_for(user: Any, party: Party) -> bool:
    """May ``user`` speak for ``party``? Its unit's coordinator, or staff whose jurisdiction covers its region."""
    scope = scope_for(user)
    if scope.is_coordinator:
        return party.unit is not None and scope.unit_id == party.unit
    return scope.is_staff and scope.covers(party.region)


def acts_for_q(user: Any, side: str) -> Q:
    """:func:`acts_for` as a query: the records whose party ``side`` (fields ``<side>_region`` and ``<side>_unit``)
    the user may speak for — to count, in one query, what waits for the user's answer. The same rule as the owner
    of a record's exact figures (:func:`shiliu.jurisdiction.scope.owned_q`); a coordinator with no unit acts for
    nothing."""
    return owned_q(user, ((f"{side}_region", f"{side}_unit"),))


def staff_covers(user: Any, code: str) -> bool:
    """Is the user commission staff (or a platform admin) whose jurisdiction covers this division code?

    For acts reserved to commissions whatever the party's unit (answering a pairing proposal, managing its
    meetings).
    """
    scope = scope_for(user)
    return scope.is_staff and scope.covers(code)


def works_in(user: Any, code: str) -> bool:
    """Staff, admins and coordinators whose jurisdiction covers the code (recording a tour group or a route that
    leaves from or arrives in one's own area)."""
    scope = scope_for(user)
    return scope.reads_records and scope.covers(code)


def sides_for(user: Any, record: Any, sides: Iterable[str]) -> list[str]:
    """The sides of ``record`` (named as in :meth:`Party.of`) that ``user`` acts for, in the given order."""
    return [side for side in sides if acts_for(user, Party.of(record, side))]
