"""The home page's workbench: what waits for the user, and the figures of the period, each from the app that owns it.

The home page (the ``web`` shell) sits on top of every app, but it must not know what each app counts: each app
registers, from its ``AppConfig.ready()``, a function that given the user returns its :class:`Waiting` rows (proposals
to answer, activities to confirm …: a count and a link to the page filtered to those records, counted by the app's
scoped selectors) and one that returns its :class:`Figure` rows (the key figures of the period). Rows with a count
of 0 are kept so that "nothing waits" is visible; a provider returns nothing for a user its records do not concern
(a resident sees no staff counts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Waiting:
    key: str
    label: Any  # a translatable string
    count: int
    link: str
    order: int = 100
    urgent: bool = False  # overdue: shown in red when count > 0


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    value: int
    link: str = ""
    order: int = 100


WaitingProvider = Callable[[Any], "list[Waiting]"]
FigureProvider = Callable[[Any], "list[Figure]"]


class WorkbenchRegistry:
    def __init__(self) -> None:
        self._waiting: list[WaitingProvider] = []
        self._figures: list[FigureProvider] = []

    def register_waiting(self, provider: WaitingProvider) -> None:
        if provider not in self._waiting:
            self._waiting.append(provider)

    def register_figures(self, provider: FigureProvider) -> None:
        if provider not in self._figures:
            self._figures.append(provider)

    def waiting_for(self, user: Any) -> list[Waiting]:
        rows = [row for provider in self._waiting for row in provider(user)]
        return sorted(rows, key=lambda r: r.order)

    def figures_for(self, user: Any) -> list[Figure]:
        rows = [row for provider in self._figures for row in provider(user)]
        return sorted(rows, key=lambda r: r.order)


workbench = WorkbenchRegistry()
