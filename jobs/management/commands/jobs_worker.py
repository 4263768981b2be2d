"""`manage.py jobs_worker`: run jobs from the configured backend's queue until stopped.

One worker runs one job at a time; start as many as the machines allow, on as many machines,
all pointed at the same database (and Redis with JOBS_BACKEND=rq). Beside the backend's own
worker loop, a thread ticks every JOBS_TICK_SECONDS (jobs.housekeeping.tick).

SIGINT or SIGTERM stops the worker after its current job; a second one stops it at once (the
job goes back to the queue). With --stop-with-parent it also stops when the process that
started it ends, which is how `make run` stops the worker with the server.
"""

import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string

from jobs.housekeeping import tick

logger = logging.getLogger("jobs")


class Command(BaseCommand):
    help = "Run background jobs until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queues",
            default=",".join(settings.JOBS_QUEUES),
            help="Comma-separated queues to take jobs from (default: all of JOBS_QUEUES).",
        )
        parser.add_argument(
            "--reload", action="store_true", help="Restart when the code changes (development)."
        )
        parser.add_argument(
            "--stop-with-parent",
            action="store_true",
            help="Stop when the process that started this one ends.",
        )

    def handle(self, *, queues, reload, stop_with_parent, verbosity, **options):
        _configure_logging(verbosity)
        if stop_with_parent:
            _stop_with_parent()
        queue_names = [name.strip() for name in queues.split(",") if name.strip()]
        if settings.JOBS_BACKEND == "rq":
            if reload:
                logger.warning("--reload works with JOBS_BACKEND=database only; ignored")
            start_ticking()
            _work_rq(queue_names)
        else:
            _work_database(queue_names, reload=reload)


def start_ticking():
    """Run the housekeeping in a daemon thread, every JOBS_TICK_SECONDS."""

    def loop():
        while True:
            try:
                close_old_connections()
                tick()
            except Exception:
                logger.exception("Jobs housekeeping failed; trying again next tick")
            stop.wait(settings.JOBS_TICK_SECONDS)

    stop = threading.Event()
    threading.Thread(target=loop, name="jobs-housekeeping", daemon=True).start()


def _work_database(queue_names, *, reload):
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=queue_names,
        interval=settings.JOBS_TICK_SECONDS,
        batch=False,
        backend_name="default",
        startup_delay=True,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
        run_with_reloader(worker.run)  # the parent: starts the child below, again on changes
        return
    worker.configure_signals()
    start_ticking()
    if reload:
        run_with_reloader(worker.run)  # the child: runs the worker, and exits on changes
    else:
        worker.run()


def _work_rq(queue_names):
    """Run RQ's SimpleWorker: jobs run in this process, as with the database backend."""
    from django_rq.workers import get_worker
    from django_tasks_rq.backend import Job as TaskJob
    from rq.worker import SimpleWorker

    worker = get_worker(*queue_names, job_class=TaskJob, worker_class=SimpleWorker)
    worker.work(with_scheduler=False, logging_level=logging.getLevelName(logger.level))


def _stop_with_parent():
    """Send this process SIGTERM once its parent is gone (its parent id changes)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="stop-with-parent", daemon=True).start()


def _configure_logging(verbosity):
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    for name in ("jobs", "django_tasks", "django_tasks_db"):
        named = logging.getLogger(name)
        named.setLevel(level)
        if not named.handlers:
            named.addHandler(logging.StreamHandler())
