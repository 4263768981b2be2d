"""Periodic jobs: enqueued once per period by whichever worker gets there first."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from jobs.housekeeping import enqueue_periodic_jobs, prune_finished_jobs
from jobs.models import Job
from tests.workers import wait_for

PRUNE = prune_finished_jobs.name


@pytest.mark.django_db(transaction=True)
def test_a_periodic_job_is_enqueued_once_per_period():
    one_oclock = datetime(2026, 3, 1, 13, 0, 5, tzinfo=UTC)

    enqueue_periodic_jobs(one_oclock)
    enqueue_periodic_jobs(one_oclock + timedelta(minutes=30))
    Job.objects.filter(name=PRUNE).update(status=Job.Status.DONE)
    enqueue_periodic_jobs(one_oclock + timedelta(minutes=59))
    enqueue_periodic_jobs(one_oclock + timedelta(hours=1))

    periods = Job.objects.filter(name=PRUNE).order_by("id").values_list("key", flat=True)
    hour = int(one_oclock.timestamp() // 3600)
    assert list(periods) == [f"{PRUNE}@{hour}", f"{PRUNE}@{hour + 1}"]


def test_a_worker_runs_the_periodic_pruning_of_old_finished_jobs(start_worker, settings):
    long_ago = timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS + 1)
    old = Job.objects.create(
        name="tests.jobs.sample_jobs.record", status="done", max_attempts=1, finished_at=long_ago
    )
    recent = Job.objects.create(
        name="tests.jobs.sample_jobs.record",
        status="failed",
        max_attempts=1,
        finished_at=timezone.now() - timedelta(days=settings.JOBS_KEEP_DAYS - 1),
    )
    start_worker()

    wait_for(lambda: Job.objects.filter(name=PRUNE, status="done").exists(), what="the pruning")

    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.filter(pk=recent.pk).exists()
