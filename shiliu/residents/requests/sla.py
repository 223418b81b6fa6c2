"""SLA clocks in working time: the rules (type × urgency, configurable in :class:`SlaRule`), the deadlines they
give on the official calendar, and the time left that the lists colour green / amber / red."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from shiliu.lib import clock
from shiliu.lib.workdays import Deadline
from shiliu.runtime.calendar import working_calendar

from .models import DeskSettings, RequestKind, ServiceRequest, SlaRule, Status, Urgency

DAY = 420  # working minutes in the default office day (09:00–12:00, 13:30–17:30); rules are kept in minutes

# Defaults when no rule is configured: sign within 2 working hours (1 if urgent); consultation answered in 1 working
# day, help in 5, complaint and suggestion in 10 (urgent: half, at least half a day).
DEFAULT_SLA: dict[tuple[str, str], tuple[int, int]] = {
    (RequestKind.CONSULTATION, Urgency.NORMAL): (120, 1 * DAY),
    (RequestKind.HELP, Urgency.NORMAL): (120, 5 * DAY),
    (RequestKind.COMPLAINT, Urgency.NORMAL): (120, 10 * DAY),
    (RequestKind.SUGGESTION, Urgency.NORMAL): (120, 10 * DAY),
    (RequestKind.CONSULTATION, Urgency.URGENT): (60, DAY // 2),
    (RequestKind.HELP, Urgency.URGENT): (60, 2 * DAY),
    (RequestKind.COMPLAINT, Urgency.URGENT): (60, 5 * DAY),
    (RequestKind.SUGGESTION, Urgency.URGENT): (60, 5 * DAY),
}


def sla_for(kind: str, urgency: str) -> tuple[int, int]:
    """(working minutes to sign, working minutes to answer) for a request of this type and urgency."""
    rule = SlaRule.objects.filter(kind=kind, urgency=urgency).first()
    if rule is not None:
        return rule.sign_minutes, rule.answer_minutes
    return DEFAULT_SLA[(kind, urgency)]


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment, timezone.get_current_timezone())


def deadline_after(start: dt.datetime, minutes: int) -> tuple[dt.datetime, bool]:
    """The aware deadline ``minutes`` of office time after ``start``, and whether it was estimated (a year without
    an official calendar was counted by weekends only)."""
    result: Deadline = working_calendar().add_working_minutes(_local(start), minutes)
    return _aware(result.at), result.estimated


def working_minutes_left(until: dt.datetime, *, now: dt.datetime | None = None) -> int:
    return working_calendar().working_minutes_between(_local(now or clock.now()), _local(until))


@dataclass(frozen=True)
class TimeLeft:
    stage: str  # "sign" or "answer"
    due: dt.datetime
    minutes: int  # working minutes left; negative when overdue
    colour: str  # green / amber / red
    estimated: bool

    @property
    def label(self) -> str:
        minutes = abs(self.minutes)
        if minutes >= DAY:
            amount = _("%(n).1f working days") % {"n": minutes / DAY}
        else:
            amount = _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}
        return _("%(t)s overdue") % {"t": amount} if self.minutes < 0 else _("%(t)s left") % {"t": amount}


def time_left(request: ServiceRequest, *, settings: DeskSettings | None = None) -> TimeLeft | None:
    """The running clock of an open request: signing while dispatched, the answer otherwise."""
    if request.status not in (
        Status.RECEIVED,
        Status.DISPATCHED,
        Status.SIGNED,
        Status.HANDLING,
        Status.RETURNED,
        Status.REVIEW,
    ):
        return None
    if request.status == Status.DISPATCHED and request.sign_due and request.signed_at is None:
        stage, due, start = "sign", request.sign_due, request.dispatched_at or request.received_at
    else:
        stage, due, start = "answer", request.answer_due, request.received_at
    now = clock.now()
    left = working_minutes_left(due, now=now)
    total = max(1, working_minutes_left(due, now=start))
    share = (settings or DeskSettings.current()).amber_percent
    if now > due:
        colour = "red"
        left = min(left, -1)
    elif left * 100 < total * share:
        colour = "amber"
    else:
        colour = "green"
    return TimeLeft(stage=stage, due=due, minutes=left, colour=colour, estimated=request.due_estimated)
