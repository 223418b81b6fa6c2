"""Who must hear of changed activities: the ledger says which activities changed (inside the writing transaction);
the statistics, above it, register from ``ExchangesConfig.ready()`` to refresh their analytics tables. Any writer of
activities or their participation rows (services, imports, derived activities) calls :func:`activities_changed`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

Listener = Callable[[Sequence[int]], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


_suspended = [False]


def activities_changed(activity_ids: Sequence[int]) -> None:
    if _suspended[0]:
        return
    for listener in _listeners:
        listener(activity_ids)


@contextmanager
def suspended() -> Iterator[None]:
    """Tell no one while writing many activities at once (the demo), then rebuild what listens in one go."""
    _suspended[0] = True
    try:
        yield
    finally:
        _suspended[0] = False
