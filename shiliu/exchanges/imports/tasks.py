"""Background work of the import, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django_tasks import TaskContext, TaskResultStatus, task

from shiliu.exchanges.imports import services

logger = logging.getLogger(__name__)


@task(takes_context=True)
def run_import(context: TaskContext, job_id: int) -> str:
    """Check an uploaded ledger row by row, then write it (all or, when chosen, the good activities)."""
    return services.import_run(job_id, task_id=str(context.task_result.id)).status


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A failed import task (an error, or its worker lost) fails its job at once, with a message and "Retry"."""
    if (
        task_result.task.module_path != run_import.module_path
        or task_result.status != TaskResultStatus.FAILED
    ):
        return
    lost = any(error.exception_class_path.endswith("WorkerLostError") for error in task_result.errors)
    try:
        services.import_task_failed(job_id=task_result.args[0], task_id=str(task_result.id), lost=lost)
    except DatabaseError:  # the recovery step repairs the job once the database is back
        logger.warning("Import task %s failed and its job could not be told", task_result.id)
