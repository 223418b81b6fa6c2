"""Counted once (最多报一次): job fairs, training classes, volunteer service days and cadre visits become activities
of the embedding plan in the exchanges ledger, derived from these records — never typed in twice.

Every call to the ledger's interface is in this module. Until the ledger offers ``derive_activity`` these are no-ops.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import JobFair, KinshipVisit, TrainingClass, VolunteerTeam


def sync_fair(*, fair: JobFair, actor: Any) -> None:
    return None


def sync_class(*, klass: TrainingClass, actor: Any) -> None:
    return None


def sync_volunteer_day(*, team: VolunteerTeam, served_on: dt.date, actor: Any) -> None:
    return None


def sync_visit(*, visit: KinshipVisit, actor: Any) -> None:
    return None
