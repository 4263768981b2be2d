"""The jobs' admin: every state listed, "retry" on failed ones, each admin's organizations only."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from jobs.models import Job
from tests.conftest import make_user
from tests.jobs.sample_jobs import record, runs
from tests.workers import finished

CHANGELIST = reverse("admin:jobs_job_changelist")


def change_url(job):
    return reverse("admin:jobs_job_change", args=[job.pk])


def make_job(organization=None, status=Job.Status.QUEUED, **fields):
    """A job of `record`, put in `status` as a worker would have left it."""
    job = record.enqueue(organization=organization, path="/dev/null", label="x")
    if status != Job.Status.QUEUED or fields:
        Job.objects.filter(pk=job.pk).update(status=status, **fields)
    job.refresh_from_db()
    return job


def failed_job(organization=None, **fields):
    fields = {
        "attempts": 5,
        "reason": "the audio is empty",
        "finished_at": timezone.now(),
        **fields,
    }
    return make_job(organization, Job.Status.FAILED, **fields)


def retry(client, *jobs):
    return client.post(
        CHANGELIST,
        {"action": "retry", helpers.ACTION_CHECKBOX_NAME: [job.pk for job in jobs]},
        follow=True,
    )


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


def test_the_list_shows_queued_running_done_and_failed_jobs_with_their_reason(
    admin_client, acme, django_assert_max_num_queries
):
    queued = make_job(acme)
    running = make_job(acme, Job.Status.RUNNING, attempts=1)
    done = make_job(acme, Job.Status.DONE, attempts=1)
    failed = failed_job(acme)
    retrying = make_job(acme, attempts=2, reason="the line is busy")

    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [retrying, failed, done, running, queued]
    for label in ("Queued", "Running", "Done", "Failed", "Retrying"):
        assertContains(response, f'<td class="field-status_label">{label}</td>', html=True)
    assertContains(response, '<td class="field-attempts_label">5 of 5</td>', html=True)
    assertContains(response, '<td class="field-reason">the audio is empty</td>', html=True)


def test_the_list_filters_by_status(admin_client, acme):
    failed = failed_job(acme)
    make_job(acme)

    response = admin_client.get(CHANGELIST, {"status__exact": "failed"})

    assert list(response.context["cl"].result_list) == [failed]


def test_the_list_runs_one_query_for_any_number_of_jobs(
    superuser_client, acme, globex, django_assert_num_queries
):
    for organization in (acme, globex, acme, None):
        failed_job(organization)
    superuser_client.get(CHANGELIST)  # the session and the user, loaded once

    with django_assert_num_queries(9):
        response = superuser_client.get(CHANGELIST)
    for _ in range(10):
        failed_job(globex)
    with django_assert_num_queries(9):
        more = superuser_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 4
    assert len(more.context["cl"].result_list) == 14


def test_a_job_page_shows_its_traceback_and_is_read_only(admin_client, acme):
    job = failed_job(acme, error="Traceback ...\nPermanentError: the audio is empty")

    response = admin_client.get(change_url(job))

    assert response.status_code == 200
    assertContains(response, "<pre>Traceback ...\nPermanentError: the audio is empty</pre>")
    assertNotContains(response, 'name="_save"')


def test_retry_queues_a_failed_job_again_with_all_its_attempts(
    admin_client, acme, django_capture_on_commit_callbacks
):
    job = failed_job(acme)

    with django_capture_on_commit_callbacks(execute=True):
        response = retry(admin_client, job)

    assertContains(response, "1 job(s) queued again.")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.finished_at) == ("queued", 0, None)
    assert job.dispatched_at is not None  # handed to the task backend


def test_retry_leaves_jobs_that_have_not_failed_and_says_so(admin_client, acme):
    done = make_job(acme, Job.Status.DONE, attempts=1)

    response = retry(admin_client, done)

    assertContains(response, "1 job(s) left as they are")
    done.refresh_from_db()
    assert done.status == "done"


def test_retry_leaves_a_failed_job_whose_key_is_queued_again(admin_client, acme):
    old = record.enqueue_once(key="greet:1", organization=acme, path="/dev/null", label="x")
    Job.objects.filter(pk=old.pk).update(status=Job.Status.FAILED)
    new = record.enqueue_once(key="greet:1", organization=acme, path="/dev/null", label="x")

    response = retry(admin_client, old)

    assertContains(response, "1 job(s) left as they are")
    assert Job.objects.get(pk=old.pk).status == "failed"
    assert Job.objects.get(pk=new.pk).status == "queued"


def test_a_retried_job_is_run_by_a_worker(superuser_client, start_worker, tmp_path):
    log = tmp_path / "runs.log"
    job = record.enqueue(path=str(log), label="again")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, attempts=5)
    start_worker()

    retry(superuser_client, job)

    assert finished(job).status == "done"
    assert [line[2] for line in runs(log)] == ["again"]


def test_an_organization_admin_sees_only_their_organizations_jobs(acme_admin_client, acme, globex):
    ours = failed_job(acme)
    theirs = failed_job(globex)
    housekeeping = failed_job(None)

    response = acme_admin_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [ours]
    for job in (theirs, housekeeping):
        page = acme_admin_client.get(change_url(job), follow=True)
        assertContains(page, "doesn’t exist")


def test_an_organization_admin_cannot_retry_another_organizations_job(acme_admin_client, globex):
    theirs = failed_job(globex)

    retry(acme_admin_client, theirs)

    assert Job.objects.get(pk=theirs.pk).status == "failed"


def test_a_superuser_sees_every_organizations_jobs_and_those_of_none(
    superuser_client, acme, globex
):
    jobs = [failed_job(acme), failed_job(globex), failed_job(None)]

    response = superuser_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == jobs[::-1]
    assertContains(response, '<td class="field-organization nowrap">Globex</td>', html=True)


def test_a_member_who_is_not_an_admin_sees_no_jobs(client, acme):
    client.force_login(make_user(acme, is_staff=True))
    failed_job(acme)

    assert client.get(CHANGELIST).status_code == 403
