"""``manage.py worker``: the task worker, with heartbeats, recovery of lost tasks and back-off on database errors.

It takes django-tasks-db's ``db_worker`` options, never autoreloads (a reload kills the task it runs), and with
``--supervise`` runs the worker as a child process and starts it again, after a growing pause, whenever it stops.
``make demo`` runs it supervised; production runs it under systemd (README, Restart=always).
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from shiliu.runtime.worker import MAX_BACKOFF_SECONDS, Worker

logger = logging.getLogger("shiliu.worker")


class Command(DbWorkerCommand):
    help = (
        "Run the task worker (heartbeats, recovery of tasks whose worker died, back-off on database errors)."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--supervise",
            action="store_true",
            help="Run the worker as a child process and start it again whenever it stops.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        if options.get("supervise"):
            sys.exit(supervise(_child_arguments()))
        if options.get("reload"):
            logger.info(
                "The worker never autoreloads (a reload would kill the task it runs); restart it by hand."
            )
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()


def _child_arguments() -> list[str]:
    """This command's own arguments (after ``worker``), without ``--supervise``."""
    argv = sys.argv[sys.argv.index("worker") + 1 :] if "worker" in sys.argv else []
    return [a for a in argv if a != "--supervise"]


def supervise(arguments: list[str]) -> int:
    """Keep one worker running: start it, and when it stops (killed, crashed) start it again after 1, 2, 4 … s.

    SIGTERM or SIGINT stop the worker (it finishes its task first) and then the supervisor.
    """
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker", "--no-reload", *arguments]
    stopping = False
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    delay = 1
    while True:
        started = time.monotonic()
        # A session of its own: a Ctrl+C at the terminal reaches the supervisor only, which stops the worker once.
        child = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own interpreter and manage.py
        logger.info("Supervisor: worker started (pid %d)", child.pid)
        code = child.wait()
        if stopping:
            return 0
        if time.monotonic() - started > MAX_BACKOFF_SECONDS:
            delay = 1
        logger.error(
            "Supervisor: the worker (pid %d) stopped with %s; starting it again in %d s",
            child.pid,
            code,
            delay,
        )
        time.sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF_SECONDS)
        if stopping:
            return 0
