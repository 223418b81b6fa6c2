"""Who must hear of changed activities: the ledger says which activities changed (inside the writing transaction);
the statistics, above it, register from ``ExchangesConfig.ready()`` to refresh their analytics tables. Any writer of
activities or their participation rows (services, imports, derived activities) calls :func:`activities_changed`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

Listener = Callable[[Sequence[int]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def activities_changed(activity_ids: Sequence[int]) -> None:
    for listener in _listeners:
        listener(activity_ids)
