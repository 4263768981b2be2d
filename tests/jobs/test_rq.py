"""Jobs through RQ, on a redis-server the test starts, with JOBS_BACKEND=rq.

(test_worker.py runs its lost-worker test on RQ too.)
"""

from tests.jobs.sample_jobs import flaky, runs
from tests.workers import finished


def test_a_job_retried_after_a_transient_failure_succeeds_through_rq(rq_worker, tmp_path):
    log = tmp_path / "runs.log"
    worker = rq_worker()

    job = finished(flaky.enqueue_once(key="flaky", path=str(log), failures=1))

    assert (job.status, job.attempts) == ("done", 2)
    times_and_pids = [(float(time), int(pid)) for time, pid, _ in runs(log)]
    assert [pid for _, pid in times_and_pids] == [worker.pid, worker.pid]
    assert times_and_pids[1][0] - times_and_pids[0][0] >= 0.5
