"""The notices pairings sends, read from their records when shown (see :mod:`shiliu.notifications.kinds`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shiliu.lib import clock
from shiliu.notifications.kinds import NoticeView, register_kind

from .models import ActionItem, ActionStatus, Pairing, PairingStatus

PROPOSAL = "pairing_proposal"
ANSWER = "pairing_answer"
ACTION_ITEM = "action_item"


def _pairings(notices: Sequence[Any]) -> dict[int, Pairing]:
    ids = {n.target_id for n in notices}
    qs = Pairing.objects.filter(pk__in=ids).select_related("a_region", "b_region", "a_unit", "b_unit")
    return {p.pk: p for p in qs}


def describe_proposals(notices: Sequence[Any]) -> dict[int, NoticeView]:
    """A proposal notice asks for an answer: once answered (or withdrawn) it shows as done, with the outcome."""
    pairings = _pairings(notices)
    views = {}
    for n in notices:
        p = pairings.get(n.target_id)
        if p is None:
            continue
        text = _("New pairing proposal: %(pairing)s") % {"pairing": p}
        done = p.status != PairingStatus.PROPOSED
        views[n.pk] = NoticeView(text, done=done, state=p.get_status_display() if done else "")
    return views


def describe_answers(notices: Sequence[Any]) -> dict[int, NoticeView]:
    pairings = _pairings(notices)
    views = {}
    for n in notices:
        p = pairings.get(n.target_id)
        if p is None:
            continue
        declined = p.status == PairingStatus.DECLINED
        text = (_("Pairing declined: %(pairing)s") if declined else _("Pairing accepted: %(pairing)s")) % {
            "pairing": p
        }
        views[n.pk] = NoticeView(text)
    return views


def describe_action_items(notices: Sequence[Any]) -> dict[int, NoticeView]:
    """The item's title, owner and deadline as they are now; overdue or done as they are today."""
    ids = {n.target_id for n in notices}
    items = {i.pk: i for i in ActionItem.objects.filter(pk__in=ids).select_related("owner")}
    today = clock.today()
    views = {}
    for n in notices:
        item = items.get(n.target_id)
        if item is None:
            continue
        facts = {"title": item.title, "unit": item.owner.name, "deadline": item.deadline}
        if item.status != ActionStatus.OPEN:
            views[n.pk] = NoticeView(
                _("Action item for %(unit)s: %(title)s") % facts, done=True, state=item.get_status_display()
            )
        elif item.deadline < today:
            views[n.pk] = NoticeView(_("Overdue since %(deadline)s: %(title)s (%(unit)s)") % facts)
        else:
            views[n.pk] = NoticeView(_("Action item for %(unit)s: %(title)s, due %(deadline)s") % facts)
    return views


def register() -> None:
    register_kind(
        PROPOSAL, gettext_lazy("Pairing proposals to answer"), describe=describe_proposals, order=10
    )
    register_kind(ACTION_ITEM, gettext_lazy("Action items"), describe=describe_action_items, order=20)
    register_kind(ANSWER, gettext_lazy("Answers to your proposals"), describe=describe_answers, order=60)
