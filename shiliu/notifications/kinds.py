"""Kinds of notice, registered by the apps that send them, and how each reads its record's current facts.

A notice used to carry a copy of its facts ("完成时限 2026-11-26"), which went stale when the record changed (the
deadline moved to 2026-11-20) and kept asking for an answer long after the proposal was answered. Now an app
registers, for each kind it sends, a label (the group heading in the list) and a ``describe`` function that, given
the notices of that kind, reads their records in one query and returns what to show: the current text, and whether
what the notice asked for is done. The inbox sits below the apps, so they register from ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NoticeView:
    """What the list shows for one notice."""

    text: str
    done: bool = False  # what the notice asked for has been done (answered, confirmed, completed)
    state: str = ""  # a word on the record's state now ("accepted", "done")


Describe = Callable[[Sequence[Any]], dict[int, NoticeView]]


@dataclass(frozen=True)
class NoticeKind:
    name: str
    label: Any
    order: int = 100
    describe: Describe | None = None


OTHER = NoticeKind("", _("Other notices"), order=1000)
_kinds: dict[str, NoticeKind] = {}


def register_kind(name: str, label: Any, *, describe: Describe | None = None, order: int = 100) -> None:
    _kinds[name] = NoticeKind(name, label, order, describe)


def kind_of(name: str) -> NoticeKind:
    return _kinds.get(name, OTHER)


@dataclass
class NoticeGroup:
    kind: NoticeKind
    items: list[tuple[Any, NoticeView]] = field(default_factory=list)

    @property
    def unread(self) -> int:
        return sum(1 for n, view in self.items if n.read_at is None and not view.done)


def describe_all(notices: Iterable[Any]) -> list[NoticeGroup]:
    """The notices grouped by kind (in the kinds' order), each with its record's current facts."""
    by_kind: dict[str, list[Any]] = {}
    for n in notices:
        by_kind.setdefault(n.kind if n.kind in _kinds else "", []).append(n)
    groups = []
    for name, items in by_kind.items():
        kind = kind_of(name)
        views = kind.describe([n for n in items if n.target_id]) if kind.describe else {}
        groups.append(NoticeGroup(kind, [(n, views.get(n.pk) or NoticeView(n.text)) for n in items]))
    return sorted(groups, key=lambda g: (g.kind.order, str(g.kind.label)))
