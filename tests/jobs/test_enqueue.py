"""Enqueueing: after commit only, once per key, and only JSON arguments."""

import threading

import pytest
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

from jobs import job, latest_job, latest_jobs
from jobs.models import Job
from tests.jobs.sample_jobs import record

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def test_a_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(Rollback), transaction.atomic():
        record.enqueue_once(key="greet:1", path="/dev/null", label="never")
        raise Rollback

    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_job_reaches_the_task_backend_when_its_transaction_commits():
    with transaction.atomic():
        job = record.enqueue(path="/dev/null", label="later")
        assert not DBTaskResult.objects.exists()

    [task] = DBTaskResult.objects.all()
    assert task.task_path == "jobs.runner.run_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    job.refresh_from_db()
    assert (job.status, job.dispatched_at is not None) == ("queued", True)


def test_enqueue_once_returns_the_queued_job_of_its_key(acme):
    first = record.enqueue_once(key="greet:1", organization=acme, path="/dev/null", label="a")
    second = record.enqueue_once(key="greet:1", organization=acme, path="/dev/null", label="b")

    assert second.pk == first.pk
    assert Job.objects.get().kwargs == {"path": "/dev/null", "label": "a"}
    assert DBTaskResult.objects.count() == 1


def test_a_key_can_be_enqueued_again_once_its_job_has_finished():
    first = record.enqueue_once(key="greet:1", path="/dev/null", label="a")
    Job.objects.filter(pk=first.pk).update(status=Job.Status.DONE)

    second = record.enqueue_once(key="greet:1", path="/dev/null", label="b")

    assert second.pk != first.pk
    assert latest_job("greet:1") == second


def test_two_transactions_enqueueing_one_key_at_once_leave_one_job():
    """The second transaction's insert waits on the first's; it then returns the first's job."""
    inserted, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = record.enqueue_once(key="k", path="/dev/null", label="1")
                inserted.set()
                threading.Event().wait(0.5)  # the second is now blocked on the unique index
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    inserted.wait(10)
    with transaction.atomic():
        results["second"] = record.enqueue_once(key="k", path="/dev/null", label="2")
    thread.join()

    assert results["second"].pk == results["first"].pk
    assert Job.objects.count() == 1


def test_latest_jobs_reads_many_keys_in_one_query(django_assert_num_queries):
    a1 = record.enqueue_once(key="a", path="/dev/null", label="1")
    Job.objects.filter(pk=a1.pk).update(status=Job.Status.FAILED, reason="the line is busy")
    a2 = record.enqueue_once(key="a", path="/dev/null", label="2")
    b = record.enqueue_once(key="b", path="/dev/null", label="3")

    with django_assert_num_queries(1):
        latest = latest_jobs(["a", "b", "c"])

    assert latest == {"a": a2, "b": b}
    assert latest_job("c") is None


def test_job_arguments_must_be_json():
    with pytest.raises(TypeError, match="job arguments must be JSON"):
        record.enqueue(path=object(), label="x")

    assert not Job.objects.exists()


def test_a_job_cannot_take_the_arguments_enqueue_keeps_for_itself():
    def send(key, organization):
        pass

    with pytest.raises(TypeError, match="a job cannot take key, organization"):
        job(send)
