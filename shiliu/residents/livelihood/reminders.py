"""Reminders of the livelihood services: a cadre whose household has had no visit for a quarter (and the staff who
paired them) is reminded once per quarter; employers are reminded of retention checks that have come due."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from shiliu.lib import clock
from shiliu.notifications.services import notify

from .models import KinshipPairing, Placement
from .selectors import overdue_q, quarter_of


def kinship_remind() -> int:
    """Pairs without a visit for a quarter: one notice per pair and quarter to the cadre and whoever paired them."""
    today = clock.today()
    sent = 0
    for pairing in KinshipPairing.objects.filter(overdue_q(today)).select_related("cadre", "created_by"):
        sent += notify(
            recipients=[pairing.cadre, pairing.created_by],
            text=_("%(household)s has had no visit from their paired cadre for a quarter.")
            % {"household": pairing.household},
            link=reverse("livelihood:pairing", args=[pairing.pk]),
            key=f"kinship-overdue:{pairing.pk}:{quarter_of(today)}",
        )
    return sent


def retention_remind() -> int:
    """Placements whose 3- or 6-month retention check has come: a notice to whoever recorded the placement."""
    today = clock.today()
    sent = 0
    for p in Placement.objects.filter(retained_6m__isnull=True).select_related(
        "recorded_by", "application__job"
    ):
        months = 3 if p.retained_3m is None else 6
        if p.retained_3m is False or (p.due_3m if months == 3 else p.due_6m) > today:
            continue
        sent += notify(
            recipients=[p.recorded_by],
            text=_("The %(months)d-month retention check of a placement in “%(job)s” is due.")
            % {"months": months, "job": p.application.job.title},
            link=reverse("livelihood:applications"),
            key=f"retention:{p.pk}:{months}",
        )
    return sent
