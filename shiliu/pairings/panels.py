"""A hook for the apps above pairings to add a panel to the pairing page.

Pairings cannot know the apps built on it (the exchange ledger, later resident services and reports), so they
register a panel function here from their ``AppConfig.ready()``: given the viewing user and the pairing, it returns
the template to include and its context, or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[Any, Any], Panel | None]
_registry: list[PanelFunction] = []


def register(panel: PanelFunction) -> None:
    if panel not in _registry:
        _registry.append(panel)


def panels_for(user: Any, pairing: Any) -> list[Panel]:
    return [p for p in (panel(user, pairing) for panel in _registry) if p is not None]
