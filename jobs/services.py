"""The one write path for jobs: enqueue, hand to the backend, retry, reap.

A job moves queued → running → done | failed, and running → queued again after a transient
failure or a lost worker. Every move is a conditional UPDATE on the state the mover saw, so two
workers (or a worker and the reaper) never both win the same move.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from jobs.models import Job

logger = logging.getLogger("jobs")


def job_enqueue(definition, *, key, organization, kwargs):
    """Create a queued Job for `definition` and dispatch it once the transaction commits.

    With a `key`, return the queued or running job of that key instead when there is one.
    """
    organization_id = getattr(organization, "pk", organization)
    fields = {
        "name": definition.name,
        "key": key,
        "organization_id": organization_id,
        "kwargs": kwargs,
        "queue": definition.queue,
        "max_attempts": definition.max_attempts,
    }
    if key:
        existing = Job.objects.active().filter(key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = Job.objects.create(**fields)
        except IntegrityError:
            # Another transaction enqueued the same key since the look above.
            return Job.objects.active().get(key=key)
    else:
        job = Job.objects.create(**fields)
    transaction.on_commit(functools.partial(job_dispatch, job), robust=True)
    return job


def job_dispatch(job):
    """Hand a queued, due, undispatched job to the task backend; return whether it was."""
    from jobs.runner import run_job

    now = timezone.now()
    claimed = Job.objects.filter(
        pk=job.pk, status=Job.Status.QUEUED, dispatched_at__isnull=True, run_at__lte=now
    ).update(dispatched_at=now)
    if not claimed:
        return False
    try:
        run_job.using(queue_name=job.queue).enqueue(job.pk)
    except Exception:
        # Redis down, say: the housekeeping dispatches it again on a later tick.
        Job.objects.filter(pk=job.pk, dispatched_at=now).update(dispatched_at=None)
        logger.exception("Job %s could not be handed to the task backend", job.pk)
        return False
    return True


def job_retry(job):
    """Queue a failed job again with all its attempts; return False if it cannot be."""
    try:
        with transaction.atomic():
            retried = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
                status=Job.Status.QUEUED,
                attempts=0,
                run_at=timezone.now(),
                dispatched_at=None,
                heartbeat_at=None,
                finished_at=None,
            )
    except IntegrityError:
        return False  # another job with its key is queued or running
    if retried:
        transaction.on_commit(functools.partial(job_dispatch, job), robust=True)
    return bool(retried)


def jobs_dispatch_due():
    """Dispatch the queued jobs that are due but not handed to the backend (or long ago)."""
    now = timezone.now()
    lost = now - timedelta(seconds=settings.JOBS_REDISPATCH_SECONDS)
    due = Job.objects.filter(status=Job.Status.QUEUED, run_at__lte=now).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=lost)
    )
    jobs = list(due.order_by("run_at").only("pk", "queue")[:1000])
    Job.objects.filter(pk__in=[job.pk for job in jobs], dispatched_at__lt=lost).update(
        dispatched_at=None
    )
    return sum(job_dispatch(job) for job in jobs)


def jobs_reap():
    """Put back the running jobs whose worker stopped (no heartbeat within the lease).

    Each lost attempt counts: a job whose every attempt killed its worker ends failed.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    reaped = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale):
        reason = f"The worker running attempt {job.attempts} stopped."
        lost_attempt = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts, heartbeat_at__lt=stale
        )
        if job.attempts < job.max_attempts:
            reaped += lost_attempt.update(
                status=Job.Status.QUEUED, reason=reason, run_at=now, dispatched_at=None
            )
            job_dispatch(job)
        else:
            reaped += lost_attempt.update(
                status=Job.Status.FAILED, reason=reason, finished_at=now, heartbeat_at=None
            )
        logger.warning("Job %s: %s", job.pk, reason)
    return reaped


def job_claim(job_id, worker):
    """Start an attempt of a queued job; return the job, or None if it is not queued."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        dispatched_at=None,
        worker=worker[:200],
    )
    return Job.objects.get(pk=job_id) if claimed else None


def _attempt(job):
    """The job's running attempt, as the worker that claimed it saw it."""
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


def job_beat(job):
    """Record that the running attempt is alive; return False if it is no longer this one's."""
    return bool(_attempt(job).update(heartbeat_at=timezone.now()))


def job_succeeded(job):
    return bool(
        _attempt(job).update(
            status=Job.Status.DONE, reason="", error="", finished_at=timezone.now()
        )
    )


def job_failed(job, *, reason, error):
    return bool(
        _attempt(job).update(
            status=Job.Status.FAILED, reason=reason, error=error, finished_at=timezone.now()
        )
    )


def job_requeue(job, *, reason, error, delay, count_attempt=True):
    """Queue the job again after `delay` seconds (dispatched by the housekeeping when due)."""
    updated = _attempt(job).update(
        status=Job.Status.QUEUED,
        reason=reason,
        error=error,
        run_at=timezone.now() + timedelta(seconds=delay),
        dispatched_at=None,
        attempts=F("attempts") if count_attempt else F("attempts") - 1,
    )
    if updated and delay <= 0:
        job_dispatch(job)
    return bool(updated)
