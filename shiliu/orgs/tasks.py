"""Background work of units, run by the task worker (``manage.py worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus, task

logger = logging.getLogger(__name__)

FAILED_MESSAGE = _(
    "The import stopped before it finished (the background worker was stopped or met an error). Nothing was "
    "imported. Upload the file again."
)


@task()
def run_unit_import(job_id: int) -> str:
    """Check and write an uploaded units template (see ``shiliu.orgs.imports``)."""
    from .imports import unit_import_run

    return unit_import_run(job_id).status


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """A failed unit-import task (an error, or its worker lost: the worker's recovery step sends this signal for
    those too) fails its job at once, so its page stops waiting and says so. Its writes were one transaction, so
    nothing of it is kept."""
    from .models import UnitImport, UnitImportStatus

    if (
        task_result.task.module_path != run_unit_import.module_path
        or task_result.status != TaskResultStatus.FAILED
    ):
        return
    try:
        UnitImport.objects.filter(
            pk=task_result.args[0], status__in=(UnitImportStatus.QUEUED, UnitImportStatus.CHECKING)
        ).update(
            status=UnitImportStatus.FAILED, message=str(FAILED_MESSAGE)[:300], finished_at=timezone.now()
        )
    except DatabaseError:
        logger.warning("Unit import task %s failed and its job could not be told", task_result.id)
