"""Daily reminders, registered by the apps that own them and queued together by ``send_reminders``.

A lower app cannot know the apps above it, so each app registers its reminder tasks here from its
``AppConfig.ready()``; the one command (and the worker's schedule) runs whatever is registered.
"""

from __future__ import annotations

from typing import Any

_registry: dict[str, Any] = {}


def register(name: str, task: Any) -> None:
    """Register a django-tasks task that sends one kind of reminder (idempotently: it may run twice a day)."""
    _registry[name] = task


def registered() -> dict[str, Any]:
    return dict(_registry)


def reminders_enqueue() -> list[Any]:
    """Queue every registered reminder task (the daily job; ``send_reminders`` does the same by hand)."""
    return [task.enqueue() for task in _registry.values()]
