"""What a worker does with a job: the one task the task backend knows, `run_job(job_id)`.

The backend (django-tasks-db or RQ) delivers the id; `run_job` claims the attempt, runs the job
function while a heartbeat thread keeps its lease, and records how it ended. A delivery of a job
that is not queued (a duplicate, or one the reaper already gave to another worker) does nothing.
"""

import logging
import os
import socket
import threading
import traceback

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks import task

from jobs import services
from jobs.errors import TRANSIENT_ERRORS, PermanentError, reason_for

logger = logging.getLogger("jobs")


@task()
def run_job(job_id):
    close_old_connections()
    job = services.job_claim(job_id, f"{socket.gethostname()}:{os.getpid()}")
    if job is None:
        return
    try:
        definition = job.definition
    except ImportError as error:
        services.job_failed(job, reason=f"Unknown job {job.name}.", error=str(error))
        return
    with Heartbeat(job):
        _attempt(definition, job)


def _attempt(definition, job):
    """Run one attempt of `job` and record how it ended."""
    try:
        definition.func(**job.kwargs)
    except PermanentError as error:
        services.job_failed(job, reason=reason_for(error), error=traceback.format_exc())
    except TRANSIENT_ERRORS as error:
        # A broken database connection is replaced before the outcome is written with it.
        close_old_connections()
        reason, error_text = reason_for(error), traceback.format_exc()
        if job.attempts >= job.max_attempts:
            reason = f"{reason} (gave up after {job.attempts} attempts)"
            services.job_failed(job, reason=reason, error=error_text)
            return
        delay = getattr(error, "retry_after", None)
        if delay is None:
            delay = definition.backoff_seconds(job.attempts)
        logger.info("Job %s attempt %s: %s; again in %.1f s", job.pk, job.attempts, reason, delay)
        services.job_requeue(job, reason=reason, error=error_text, delay=delay)
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.name)
        services.job_failed(job, reason=reason_for(error), error=traceback.format_exc())
    except BaseException:
        # The worker is stopping (a second Ctrl-C): the job goes back, this attempt uncounted.
        services.job_requeue(job, reason="", error="", delay=0, count_attempt=False)
        raise
    else:
        services.job_succeeded(job)


class Heartbeat:
    """Renew a running job's lease from a thread while the job runs.

    A job whose worker dies stops beating; after JOBS_LEASE_SECONDS the reaper puts it back.
    """

    def __init__(self, job):
        self.job = job
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.beat, name=f"heartbeat-{job.pk}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.thread.join()

    def beat(self):
        interval = settings.JOBS_LEASE_SECONDS / 4
        try:
            while not self.stopped.wait(interval):
                try:
                    if not services.job_beat(self.job):
                        return
                except Exception:
                    logger.exception("Job %s: heartbeat failed", self.job.pk)
        finally:
            connections.close_all()
