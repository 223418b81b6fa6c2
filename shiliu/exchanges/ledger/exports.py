"""The ledger's export, written by the task worker (runtime.exports): the import template's columns, so an export
re-imports cleanly, of what the person who asked may see under the list's filters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from shiliu.exchanges.ledger import selectors, workbook
from shiliu.exchanges.ledger.filters import ledger_filters
from shiliu.exchanges.ledger.models import Activity
from shiliu.runtime.exports import ExportRefused, Progress, counted

KIND = "exchanges.activities"


def write_activities(user: Any, params: Mapping[str, Any], progress: Progress) -> tuple[str, bytes]:
    filters, problems = ledger_filters(params)
    if problems:
        raise ExportRefused(" ".join(problems))
    activities = (
        selectors.activity_list(user=user, **filters)
        .select_related("sending_unit", "receiving_unit")
        .prefetch_related("participations__ethnic_group")
    )
    total = activities.count()
    rows: Iterator[Activity] = activities.iterator(chunk_size=500)
    return "activities.xlsx", workbook.export_workbook(counted(rows, total, progress), user=user)
