"""What every worker does on each tick besides running jobs, and the jobs app's own periodic job.

Any number of workers tick at once, on any number of machines: each step is safe to race.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from jobs.definitions import job, periodic_jobs
from jobs.models import Job
from jobs.services import jobs_dispatch_due, jobs_reap

logger = logging.getLogger("jobs")


def tick():
    """Reap jobs of dead workers, dispatch the due ones, enqueue the periodic ones."""
    jobs_reap()
    jobs_dispatch_due()
    enqueue_periodic_jobs()


def enqueue_periodic_jobs(now=None):
    """Enqueue each periodic job once per period, whichever worker gets there first.

    Periods are counted from the Unix epoch, so a daily job runs at midnight UTC, plus once
    when a worker first starts in a period that has not had its run.
    """
    now = now or timezone.now()
    for definition in periodic_jobs():
        period = int(now.timestamp() // definition.every.total_seconds())
        key = f"{definition.name}@{period}"
        if not Job.objects.filter(key=key).exists():
            definition.enqueue_once(key=key)


@job(every=timedelta(hours=1))
def prune_finished_jobs():
    """Delete jobs finished more than JOBS_KEEP_DAYS ago, and the task backend's old records."""
    now = timezone.now()
    Job.objects.filter(
        status__in=[Job.Status.DONE, Job.Status.FAILED],
        finished_at__lt=now - timedelta(days=settings.JOBS_KEEP_DAYS),
    ).delete()
    if "django_tasks_db" in settings.INSTALLED_APPS:
        from django_tasks_db.models import DBTaskResult

        # Only receipts: each says that a worker took a job's id, which the Job row says too.
        DBTaskResult.objects.finished().filter(finished_at__lt=now - timedelta(days=1)).delete()
