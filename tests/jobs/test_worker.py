"""Jobs run by real worker processes on the test's PostgreSQL: outcomes, retries, lost workers."""

import os

from jobs.models import Job
from tests.jobs.sample_jobs import crash, flaky, record, refuse, runs, slow
from tests.workers import LEASE_SECONDS, finished, wait_for


def test_a_job_runs_in_a_worker_process(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    worker = start_worker()

    job = finished(record.enqueue(path=str(log), label="hello"))

    assert (job.status, job.attempts, job.reason) == ("done", 1, "")
    [(_, pid, label)] = runs(log)
    assert (int(pid), label) == (worker.pid, "hello")
    assert int(pid) != os.getpid()


def test_a_transient_failure_is_retried_with_backoff_then_succeeds(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    start_worker()

    job = finished(flaky.enqueue(path=str(log), failures=2))

    assert (job.status, job.attempts) == ("done", 3)
    times = [float(line[0]) for line in runs(log)]
    # flaky's backoff is 0.5 s, doubling: at least 0.5 s before attempt 2 and 1 s before 3.
    assert times[1] - times[0] >= 0.5
    assert times[2] - times[1] >= 1.0


def test_transient_failures_past_max_attempts_end_failed_with_the_reason(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    start_worker()

    job = finished(flaky.enqueue(path=str(log), failures=99))

    assert (job.status, job.attempts, job.max_attempts) == ("failed", 4, 4)
    assert job.reason == "the line is busy (gave up after 4 attempts)"
    assert len(runs(log)) == 4


def test_a_permanent_failure_ends_failed_with_its_reason_at_once(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    start_worker()

    job = finished(refuse.enqueue(path=str(log)))

    assert (job.status, job.attempts, job.reason) == ("failed", 1, "the audio is empty")
    assert "PermanentError: the audio is empty" in job.error
    assert len(runs(log)) == 1


def test_an_unexpected_error_fails_the_job_and_keeps_its_message_for_admins(start_worker, tmp_path):
    start_worker()

    job = finished(crash.enqueue(path=str(tmp_path / "runs.log")))

    assert (job.status, job.attempts) == ("failed", 1)
    assert job.reason == "Unexpected error (ValueError); the details are in the admin."
    assert "ValueError: /secret/path/that/users/must/not/see" in job.error


def test_the_same_key_enqueued_twice_runs_once(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    first = record.enqueue_once(key="greet:1", path=str(log), label="first")
    second = record.enqueue_once(key="greet:1", path=str(log), label="second")
    start_worker()

    finished(first)

    assert second.pk == first.pk
    assert [line[2] for line in runs(log)] == ["first"]
    assert Job.objects.filter(key="greet:1").count() == 1


def test_a_worker_killed_mid_job_leaves_the_job_to_the_next_worker(any_worker, tmp_path):
    log = tmp_path / "runs.log"
    job = slow.enqueue(path=str(log), seconds=2)
    first = any_worker()
    wait_for(lambda: runs(log), what="the job to start")

    first.kill()
    second = any_worker()
    job = finished(job, timeout=60)

    assert (job.status, job.attempts) == ("done", 2)
    assert [(int(pid), word) for _, pid, word in runs(log)] == [
        (first.pid, "start"),
        (second.pid, "start"),
        (second.pid, "end"),
    ]
    assert job.worker.endswith(f":{second.pid}")


def test_a_job_running_longer_than_the_lease_stays_with_its_live_worker(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    start_worker()
    start_worker()  # a second worker, whose housekeeping would take a job it thought lost

    job = finished(slow.enqueue(path=str(log), seconds=LEASE_SECONDS * 2.5))

    assert (job.status, job.attempts) == ("done", 1)
    assert [word for _, _, word in runs(log)] == ["start", "end"]


def test_a_worker_stopped_by_sigterm_finishes_its_job_first(start_worker, tmp_path):
    log = tmp_path / "runs.log"
    job = slow.enqueue(path=str(log), seconds=1)
    worker = start_worker()
    wait_for(lambda: runs(log), what="the job to start")

    worker.stop()

    job.refresh_from_db()
    assert worker.process.returncode == 0
    assert (job.status, job.attempts) == ("done", 1)
    assert [word for _, _, word in runs(log)] == ["start", "end"]
