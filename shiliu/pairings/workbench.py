"""What pairings puts on the home page's workbench (see :mod:`shiliu.lib.workbench`), counted by its selectors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shiliu.jurisdiction.roles import RECORD_READERS, STAFF_ROLES
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.workbench import Figure, Waiting, workbench
from shiliu.regions.ranking import register_preferred

from . import selectors
from .models import PairingStatus


def _reader(user: Any) -> bool:
    return scope_for(user).role in RECORD_READERS


def waiting(user: Any) -> list[Waiting]:
    if not _reader(user):
        return []
    rows = []
    if scope_for(user).role in STAFF_ROLES:
        rows.append(
            Waiting(
                "pairing-proposals",
                _("Pairing proposals to answer"),
                selectors.pairing_awaiting(user=user).count(),
                "/pairings/?awaiting=1",
                order=10,
            )
        )
    # Only commission staff close action items (the service refuses coordinators): a coordinator's home counted
    # items they could not act on.
    if scope_for(user).role in STAFF_ROLES:
        rows += [
            Waiting(
                "action-items-overdue",
                _("Action items overdue"),
                selectors.action_items_due(user=user, due="overdue").count(),
                "/pairings/items/?due=overdue",
                order=40,
                urgent=True,
            ),
            Waiting(
                "action-items-soon",
                _("Action items due within 3 days"),
                selectors.action_items_due(user=user, due="soon").count(),
                "/pairings/items/?due=soon",
                order=41,
            ),
        ]
    return rows


def figures(user: Any) -> list[Figure]:
    if not _reader(user):
        return []
    active = selectors.pairing_list(user=user, status=PairingStatus.ACTIVE)
    year = clock.today().year
    return [
        Figure("pairings-active", _("Active pairings"), active.count(), "/pairings/?status=active", order=10),
        Figure(
            "pairings-new",
            _("Pairings begun this year"),
            active.filter(started_on__year=year).count(),
            f"/pairings/?status=active&started={year}",
            order=11,
        ),
    ]


def paired_regions(user: Any) -> list[str]:
    """The divisions of both sides of the user's active pairings (the region search ranks them first)."""
    rows = (
        selectors.pairing_list(user=user, status=PairingStatus.ACTIVE)
        .order_by()
        .values_list("a_region_id", "b_region_id")
        .distinct()[:100]
    )
    codes: list[str] = []
    for a, b in rows:
        codes += [c for c in (a, b) if c not in codes]
    return codes


def register() -> None:
    workbench.register_waiting(waiting)
    workbench.register_figures(figures)
    register_preferred(paired_regions)
