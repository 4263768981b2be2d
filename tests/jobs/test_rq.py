"""The same jobs through RQ, on a redis-server the test starts, with JOBS_BACKEND=rq."""

import pytest

from jobs.models import Job
from tests.jobs.sample_jobs import flaky, runs, slow
from tests.workers import finished, wait_for


@pytest.fixture
def rq_worker(redis_server, settings, start_worker):
    """Point this process's enqueueing at Redis; return a starter of RQ workers."""
    settings.JOBS_BACKEND = "rq"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_server, "DEFAULT_TIMEOUT": -1}}
    return lambda: start_worker(JOBS_BACKEND="rq", REDIS_URL=redis_server)


def test_a_job_retried_after_a_transient_failure_succeeds_through_rq(rq_worker, tmp_path):
    log = tmp_path / "runs.log"
    worker = rq_worker()

    job = finished(flaky.enqueue_once(key="flaky", path=str(log), failures=1))

    assert (job.status, job.attempts) == ("done", 2)
    times_and_pids = [(float(time), int(pid)) for time, pid, _ in runs(log)]
    assert [pid for _, pid in times_and_pids] == [worker.pid, worker.pid]
    assert times_and_pids[1][0] - times_and_pids[0][0] >= 0.5


def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_rq_worker(rq_worker, tmp_path):
    log = tmp_path / "runs.log"
    job = slow.enqueue(path=str(log), seconds=2)
    first = rq_worker()
    wait_for(lambda: runs(log), what="the job to start")

    first.kill()
    second = rq_worker()
    job = finished(job, timeout=60)

    assert (job.status, job.attempts) == ("done", 2)
    assert [(int(pid), word) for _, pid, word in runs(log)] == [
        (first.pid, "start"),
        (second.pid, "start"),
        (second.pid, "end"),
    ]
    assert Job.objects.get(pk=job.pk).worker.endswith(f":{second.pid}")
