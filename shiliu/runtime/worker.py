"""The task worker that survives faults: heartbeats, recovery of tasks whose worker died, back-off on database errors.

django-tasks-db's ``db_worker`` claims a task by marking it RUNNING and never looks at it again: when the process is
killed mid-task the task stays RUNNING for ever, and the job page that waits for it polls for ever. Its polling loop
also dies on the first database error. ``manage.py worker`` (see its command) runs the same worker with:

* a heartbeat — a thread writes :class:`~shiliu.runtime.models.WorkerBeat` every ``SHILIU_WORKER_BEAT_SECONDS`` with
  the task being run;
* recovery — :func:`tasks_recover`, at start and every ``SHILIU_WORKER_RECOVER_SECONDS``, fails the RUNNING tasks
  whose worker has been silent for ``SHILIU_WORKER_STALE_SECONDS`` (or that a live worker no longer runs), sends
  ``task_finished`` for each so their owners hear of it, then runs the recovery hooks the apps registered (the
  import repairs its jobs);
* back-off — a database error is logged and retried after 1, 2, 4 … 60 seconds instead of ending the loop;
* daily jobs — :func:`daily_jobs_run`, at start and with each recovery pass, runs each job registered with
  :func:`register_daily` once a day (the first worker to get to it that day); the shell registers the reminders,
  so they arrive wherever a worker runs, ``make demo`` included, with no cron;
* periodic jobs — :func:`periodic_jobs_run`, at the same moments, runs each job registered with
  :func:`register_periodic` once per interval across all workers (the request desk's SLA clocks every 10 minutes).
  Its granularity is the recovery pass (``SHILIU_WORKER_RECOVER_SECONDS``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from shiliu.lib import clock

from .models import DailyRun, Submission, WorkerBeat

logger = logging.getLogger("shiliu.worker")

RUNNING = "RUNNING"
MAX_BACKOFF_SECONDS = 60
KEEP_SUBMISSIONS = dt.timedelta(days=30)
KEEP_SILENT_WORKERS = dt.timedelta(days=1)

_recovery_hooks: list[Callable[[], object]] = []
_daily_jobs: dict[str, Callable[[], object]] = {}
_periodic_jobs: dict[str, tuple[Callable[[], int], Callable[[], object]]] = {}


class WorkerLostError(Exception):
    """The worker that ran the task stopped (killed, out of memory, its machine gone) before the task finished."""


def register_recovery(hook: Callable[[], object]) -> None:
    """Run ``hook`` after each recovery pass (an app repairing its jobs whose tasks failed or vanished)."""
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)


def register_daily(name: str, job: Callable[[], object]) -> None:
    """Run ``job`` once a day in the task worker (it should be quick: enqueue the real work as tasks)."""
    _daily_jobs[name] = job


def daily_jobs_run(*, day: dt.date | None = None) -> list[str]:
    """Run each registered daily job not yet run today; returns the names of those run now.

    The day is claimed before the job runs (a unique row per job and day), so two workers never both run it; a job
    that fails is logged and its claim withdrawn, so the next pass tries again.
    """
    today = day or clock.today()
    ran = []
    for name, job in list(_daily_jobs.items()):
        try:
            with transaction.atomic():
                claim = DailyRun.objects.create(name=name, day=today, ran_at=timezone.now())
        except IntegrityError:
            continue  # already run today
        try:
            job()
        except DatabaseError:
            DailyRun.objects.filter(pk=claim.pk).delete()
            raise
        except Exception:
            logger.exception("The daily job %s failed; it is tried again at the next pass", name)
            DailyRun.objects.filter(pk=claim.pk).delete()
            continue
        ran.append(name)
    return ran


def register_periodic(name: str, job: Callable[[], object], *, every_seconds: Callable[[], int]) -> None:
    """Run ``job`` once every ``every_seconds()`` seconds across all workers (read at each pass, so a setting can
    change it; 0 or less switches the job off). Like a daily job it should only enqueue the real work."""
    _periodic_jobs[name] = (every_seconds, job)


def periodic_jobs_run(*, now: dt.datetime | None = None) -> list[str]:
    """Run each periodic job whose current time slot has not been claimed yet; returns the names of those run now.

    A slot is ``epoch seconds // interval``; it is claimed as a :class:`DailyRun` row named ``name#slot`` (unique per
    name and day), so however many workers pass, one runs it. Claims older than a day are removed as they go.
    """
    now = now or clock.now()
    ran = []
    for name, (every_seconds, job) in list(_periodic_jobs.items()):
        every = every_seconds()
        if every <= 0:
            continue
        slot = int(now.timestamp()) // every
        try:
            with transaction.atomic():
                claim = DailyRun.objects.create(name=f"{name}#{slot}", day=now.date(), ran_at=now)
        except IntegrityError:
            continue  # another worker ran this slot
        DailyRun.objects.filter(
            name__startswith=f"{name}#", day__lt=now.date() - dt.timedelta(days=1)
        ).delete()
        try:
            job()
        except DatabaseError:
            DailyRun.objects.filter(pk=claim.pk).delete()
            raise
        except Exception:
            logger.exception("The periodic job %s failed; it is tried again at the next pass", name)
            DailyRun.objects.filter(pk=claim.pk).delete()
            continue
        ran.append(name)
    return ran


def beat(worker_id: str, *, task_id: str = "", started: bool = False) -> None:
    """Record that the worker is alive and which task it runs."""
    now = timezone.now()
    fields: dict[str, Any] = {"beat_at": now, "task_id": task_id}
    if started:
        fields |= {"started_at": now, "host": socket.gethostname()[:100], "pid": os.getpid()}
        WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults=fields)
    elif not WorkerBeat.objects.filter(worker_id=worker_id).update(**fields):
        WorkerBeat.objects.create(worker_id=worker_id, started_at=now, pid=os.getpid(), **fields)


def _lost(task: DBTaskResult, beats: dict[str, WorkerBeat], stale_before: dt.datetime, me: str) -> str:
    """Why the task's worker is taken for gone ("" when it is alive and running it, or unknown)."""
    worker = task.worker_ids[-1] if task.worker_ids else ""
    state = beats.get(worker)
    if state is None:
        return ""  # a worker that does not beat: nothing is known about it
    if worker != me and state.beat_at < stale_before:
        when = timezone.localtime(state.beat_at).strftime("%Y-%m-%d %H:%M:%S")
        return f"worker {worker} ({state.host}, pid {state.pid}) stopped beating at {when}"
    started_long_ago = task.started_at is not None and task.started_at < stale_before
    if state.task_id != str(task.id) and started_long_ago:
        return f"worker {worker} is alive but no longer runs this task"
    return ""


def tasks_recover(*, me: str = "") -> list[str]:
    """Fail the tasks whose worker is gone, tell their owners, then run the apps' recovery hooks.

    ``me`` is the calling worker (alive by definition). Returns the ids of the tasks failed.
    """
    now = timezone.now()
    stale_before = now - dt.timedelta(seconds=settings.SHILIU_WORKER_STALE_SECONDS)
    beats = {b.worker_id: b for b in WorkerBeat.objects.all()}
    failed: list[str] = []
    for task in DBTaskResult.objects.filter(status=RUNNING).only("id", "worker_ids", "started_at"):
        reason = _lost(task, beats, stale_before, me)
        if not reason:
            continue
        with transaction.atomic():
            locked = DBTaskResult.objects.select_for_update().filter(pk=task.pk, status=RUNNING).first()
            if locked is None:  # finished or recovered meanwhile
                continue
            locked.set_failed(WorkerLostError(reason))
        logger.warning("Task %s failed: %s", locked.id, reason)
        failed.append(str(locked.id))
        _tell_owners(locked, reason)
    for hook in _recovery_hooks:
        hook()
    referenced = {w for t in DBTaskResult.objects.filter(status=RUNNING) for w in t.worker_ids[-1:]}
    WorkerBeat.objects.filter(beat_at__lt=now - KEEP_SILENT_WORKERS).exclude(
        worker_id__in=referenced
    ).delete()
    Submission.objects.filter(created_at__lt=now - KEEP_SUBMISSIONS).delete()
    return failed


def _tell_owners(task: DBTaskResult, reason: str) -> None:
    """Send ``task_finished`` for a task failed here, as the worker does for a task that raised.

    It is sent while the error is being handled, as in the worker: django-tasks logs a failed task with
    ``logger.exception``, which wants an exception at hand.
    """
    try:
        raise WorkerLostError(reason)
    except WorkerLostError:
        try:
            task_finished.send(sender=type(task.task.get_backend()), task_result=task.task_result)
        except Exception:  # a task whose code is gone, or a receiver's own failure
            logger.exception("Telling the owners of task %s that it failed went wrong", task.id)


class Heartbeat(threading.Thread):
    """Beats for the worker every few seconds and runs the recovery step now and then, on its own connection."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(name="shiliu-heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        last_recovery = time.monotonic()
        try:
            while not self.stopped.wait(settings.SHILIU_WORKER_BEAT_SECONDS):
                try:
                    beat(self.worker.worker_id, task_id=self.worker.current_task_id)
                    if time.monotonic() - last_recovery >= settings.SHILIU_WORKER_RECOVER_SECONDS:
                        last_recovery = time.monotonic()
                        tasks_recover(me=self.worker.worker_id)
                        daily_jobs_run()
                        periodic_jobs_run()
                except DatabaseError as exc:
                    logger.warning("Heartbeat: the database is not reachable (%s)", exc)
                    connection.close()
        finally:
            connection.close()


class Worker(DatabaseWorker):
    """django-tasks-db's worker with a heartbeat, recovery at start and back-off on database errors."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current_task_id = ""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.current_task_id = str(db_task_result.id)
        self._beat_quietly()
        try:
            super().run_task(db_task_result)
        finally:
            self.current_task_id = ""
            self._beat_quietly()

    def _beat_quietly(self) -> None:
        try:
            beat(self.worker_id, task_id=self.current_task_id)
        except DatabaseError:
            connection.close()

    def run(self) -> None:
        heartbeat = Heartbeat(self)
        delay = 1
        started = False
        since = time.monotonic()
        try:
            while self.running:
                try:
                    if not started:
                        beat(self.worker_id, started=True)
                        failed = tasks_recover(me=self.worker_id)
                        daily_jobs_run()
                        periodic_jobs_run()
                        logger.info(
                            "Worker %s started; %d lost task(s) recovered", self.worker_id, len(failed)
                        )
                        heartbeat.start()
                        started = True
                    since = time.monotonic()
                    super().run()
                    return  # --batch or --max-tasks finished, or a signal asked to stop
                except DatabaseError as exc:
                    if time.monotonic() - since > MAX_BACKOFF_SECONDS:
                        delay = 1  # a new outage after a good while: start the back-off again
                    logger.error("The database is not reachable (%s); trying again in %d s", exc, delay)
                    close_old_connections()
                    connection.close()
                    time.sleep(delay)
                    delay = min(delay * 2, MAX_BACKOFF_SECONDS)
        finally:
            heartbeat.stopped.set()
