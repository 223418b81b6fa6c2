"""Panels: how a lower module lets a higher one add a part to its page without knowing it.

The lower module owns a :class:`PanelRegistry`; the higher one registers a function from its ``AppConfig.ready()``
that, given the viewing user and the record, returns the :class:`Panel` to include (a template and its context) or
None. The page renders ``{% for panel in panels %}{% include panel.template with panel=panel.context %}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[Any, Any], "Panel | None"]


class PanelRegistry:
    def __init__(self) -> None:
        self._functions: list[PanelFunction] = []

    def register(self, function: PanelFunction) -> None:
        if function not in self._functions:
            self._functions.append(function)

    def panels_for(self, user: Any, record: Any) -> list[Panel]:
        return [p for p in (function(user, record) for function in self._functions) if p is not None]
