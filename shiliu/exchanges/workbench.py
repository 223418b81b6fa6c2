"""What exchanges puts on the home page's workbench (see :mod:`shiliu.lib.workbench`) and the notices it sends (see
:mod:`shiliu.notifications.kinds`), counted and read through its scoped selectors. Wired in ``ExchangesConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import clock
from shiliu.lib.workbench import Figure, Waiting, workbench
from shiliu.notifications.kinds import NoticeView, register_kind

from .ledger import selectors as ledger
from .ledger.models import Activity, ActivityStatus, Participation
from .menu import selectors as menu
from .menu.models import Booking, BookingStatus
from .youth import selectors as youth

ACTIVITY_CONFIRM = "activity_confirm"
BOOKING = "booking"


def waiting(user: Any) -> list[Waiting]:
    if scope_for(user).role not in RECORD_READERS:
        return []
    incoming, _outgoing = menu.bookings_for(user=user)
    return [
        Waiting(
            "activities-to-confirm",
            gettext_lazy("Activities to confirm"),
            ledger.activities_awaiting_confirmation(user=user).count(),
            "/exchanges/?awaiting=1",
            order=20,
        ),
        Waiting(
            "bookings-to-answer",
            gettext_lazy("Bookings to answer"),
            incoming.filter(status=BookingStatus.REQUESTED).count(),
            "/exchanges/bookings/?status=requested",
            order=30,
        ),
        Waiting(
            "penpals-rematch",
            gettext_lazy("Pen-pals waiting for a re-match"),
            youth.penpals_awaiting_rematch(user=user).count(),
            "/exchanges/penpals/?waiting=1",
            order=50,
        ),
    ]


def figures(user: Any) -> list[Figure]:
    if scope_for(user).role not in RECORD_READERS:
        return []
    start = clock.today().replace(month=1, day=1)
    confirmed = ledger.activity_list(user=user, status=ActivityStatus.CONFIRMED, date_from=start)
    person_times = (
        Participation.objects.filter(activity__in=confirmed.values("pk")).aggregate(n=Sum("count"))["n"] or 0
    )
    link = f"/exchanges/?status=confirmed&date_from={start.isoformat()}"
    return [
        Figure(
            "activities-year",
            gettext_lazy("Confirmed activities this year (batches)"),
            confirmed.count(),
            link,
            20,
        ),
        Figure(
            "person-times-year",
            gettext_lazy("Participations this year (person-times)"),
            person_times,
            link,
            21,
        ),
    ]


def describe_activities(notices: Sequence[Any]) -> dict[int, NoticeView]:
    """ "Please confirm": done once the activity is confirmed or cancelled; the title as it is now."""
    activities = Activity.objects.in_bulk({n.target_id for n in notices})
    views = {}
    for n in notices:
        activity = activities.get(n.target_id)
        if activity is None:
            continue
        done = activity.status != ActivityStatus.SUBMITTED
        views[n.pk] = NoticeView(
            _("Please confirm the activity “%(title)s”") % {"title": activity.title},
            done=done,
            state=activity.get_status_display() if done else "",
        )
    return views


def describe_bookings(notices: Sequence[Any]) -> dict[int, NoticeView]:
    bookings = {
        b.pk: b
        for b in Booking.objects.filter(pk__in={n.target_id for n in notices}).select_related(
            "offer", "package", "guest"
        )
    }
    views = {}
    for n in notices:
        booking = bookings.get(n.target_id)
        if booking is None:
            continue
        done = booking.status not in (BookingStatus.REQUESTED, BookingStatus.WAITLISTED)
        views[n.pk] = NoticeView(
            _("New booking of “%(title)s” by %(guest)s")
            % {"title": booking.item.title, "guest": booking.guest.name},
            done=done,
            state=booking.get_status_display() if done else "",
        )
    return views


def register() -> None:
    workbench.register_waiting(waiting)
    workbench.register_figures(figures)
    register_kind(
        ACTIVITY_CONFIRM, gettext_lazy("Activities to confirm"), describe=describe_activities, order=15
    )
    register_kind(BOOKING, gettext_lazy("Bookings"), describe=describe_bookings, order=30)
