"""The import pages, through Django's test client: the steps as an admin takes them, and the
walls: members, other organizations, anonymous visitors. Each step's job is run here as the
worker runs it (tests/imports/test_worker.py has real workers)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains

from activities.models import Call
from imports import services
from imports.models import CallImport
from jobs.models import Job
from tests.conftest import make_user
from tests.imports.conftest import csv_text, fixture_file, import_file, upload

LIST = reverse("imports:list")


def _upload(client, content, name="calls.csv"):
    return client.post(LIST, {"file": SimpleUploadedFile(name, content, "text/csv")})


def _form_data(form, **changes):
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    return {**data, **changes}


@pytest.fixture
def admin_client(client, importer):
    client.force_login(importer)
    return client


def test_an_admin_takes_a_file_through_every_step(admin_client, acme, reps, wayne):
    uploaded = _upload(admin_client, fixture_file("hubspot-calls.csv"), "hubspot.csv")
    call_import = CallImport.objects.get()
    assert uploaded.status_code == 302
    assert uploaded["Location"] == call_import.get_absolute_url()

    page = admin_client.get(call_import.get_absolute_url())
    assert page.status_code == 200
    assert "What is in each column" in page.text
    assert "Discussed the renewal." in page.text  # the first values beside the columns

    started = admin_client.post(call_import.get_absolute_url(), _form_data(page.context["form"]))
    assert started.status_code == 302
    job = Job.objects.get(key=services.job_key(call_import))
    assert job.name == "imports.jobs.preview_import"
    services.run_preview(call_import.pk)  # what the worker does with the job
    Job.objects.filter(pk=job.pk).update(status="done")

    previewed = admin_client.get(call_import.get_absolute_url())
    assert "Dry run: every row checked, nothing written" in previewed.text
    assert "Import 5 calls" in previewed.text

    committed = admin_client.post(reverse("imports:commit", args=[call_import.pk]))
    assert committed.status_code == 302
    assert Job.objects.filter(name="imports.jobs.commit_import", status="queued").exists()
    running = admin_client.get(call_import.get_absolute_url())
    assert 'data-import-poll="' in running.text
    assert '<progress id="import-progress-bar" max="5" value="0">' in running.text
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in running.text
    services.run_import(call_import.pk)
    Job.objects.filter(status="queued").update(status="done")

    report = admin_client.get(call_import.get_absolute_url())
    assert "Report" in report.text
    assert "Revert this import" in report.text
    assert Call.objects.filter(import_id=call_import.pk).count() == 5


def test_the_columns_form_refuses_a_choice_without_an_id_or_a_lead(admin_client, acme, importer):
    call_import = upload(acme, importer, csv_text("Id,Date,Company", "a,2025-01-02,Wayne"))
    page = admin_client.get(call_import.get_absolute_url())

    response = admin_client.post(
        call_import.get_absolute_url(),
        _form_data(page.context["form"], column_0="", column_2="note"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Choose the column that holds “Id in the other system”.",
        "Choose a column that finds each call's lead: a lead id or name, a contact's id, email "
        "or phone number.",
    ]
    assert CallImport.objects.get().status == CallImport.Status.NEW
    assert not Job.objects.exists()


def test_the_columns_not_recognised_are_named_as_not_imported(admin_client, acme, importer):
    call_import = upload(
        acme, importer, csv_text("Id,Date,Company,Mood,Weather", "a,2025-01-02,Wayne,ok,sun")
    )

    response = admin_client.get(call_import.get_absolute_url())

    assert response.context["form"].not_imported == ["Mood", "Weather"]
    assertContains(response, "Not recognised, so not imported: “Mood”, “Weather”.")


def test_the_columns_chosen_are_proposed_for_the_next_file(admin_client, acme, importer):
    first = upload(acme, importer, csv_text("Ref,When,Account,Talk", "a,2025-01-02,Wayne,30"))
    page = admin_client.get(first.get_absolute_url())
    admin_client.post(
        first.get_absolute_url(),
        _form_data(
            page.context["form"],
            column_0="external_id",
            column_1="activity_at",
            column_3="duration",
            source="Dialer",
            time_zone="Europe/Berlin",
        ),
    )

    second = upload(acme, importer, csv_text("When,Ref,Account,Talk", "2025-01-02,b,Wayne,30"))

    assert second.columns == ["activity_at", "external_id", "lead_name", "duration"]
    assert (second.source, second.time_zone) == ("Dialer", "Europe/Berlin")


def test_the_progress_alone_while_a_step_runs(admin_client, acme, importer):
    call_import = upload(acme, importer, csv_text("Id,Date,Company", "a,2025-01-02,Wayne"))
    CallImport.objects.filter(pk=call_import.pk).update(
        status="importing", rows_total=4000, rows_done=1000, created=900, rejected=100
    )

    response = admin_client.get(reverse("imports:progress", args=[call_import.pk]))

    assert response.status_code == 200
    assert 'data-import-poll="' in response.text
    assert '<progress id="import-progress-bar" max="4000" value="1000">25%</progress>' in (
        response.text
    )
    assert "So far: 900 created, 0 updated, 0 unchanged, 100 rejected." in response.text


def test_the_progress_of_an_ended_step_tells_the_page_to_reload(admin_client, acme, importer):
    call_import = upload(acme, importer, csv_text("Id,Date,Company", "a,2025-01-02,Wayne"))

    response = admin_client.get(reverse("imports:progress", args=[call_import.pk]))

    assert "data-import-ended" in response.text
    assert "data-import-poll" not in response.text


def test_the_error_csv_is_downloaded_with_the_rows_and_why(admin_client, acme, importer, wayne):
    content = csv_text("Id,Date,Company,Notes", "a,2025-01-02,Wayne Enterprises,ok", "b,x,W,=1+1")
    call_import = import_file(acme, importer, content)

    response = admin_client.get(reverse("imports:errors", args=[call_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="calls-errors.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["Id", "Date", "Company", "Notes", "error"],
        ["b", "x", "W", "'=1+1", rows[1][4]],
    ]
    assert rows[1][4].startswith("Date: “x” is not a date")


def test_the_list_shows_the_organizations_imports(
    admin_client, acme, importer, globex, django_assert_num_queries
):
    upload(acme, importer, csv_text("Id,Date,Company", "a,2025-01-02,Wayne"), name="mine.csv")
    globex_admin = make_user(globex, role="admin")
    upload(globex, globex_admin, csv_text("Id,Date,Company", "a,2025-01-02,W"), name="theirs.csv")

    # The session, the user, the user's memberships (the organization switcher's too); the imports.
    with django_assert_num_queries(4):
        response = admin_client.get(LIST)

    assert response.status_code == 200
    assert "mine.csv" in response.text
    assert "theirs.csv" not in response.text
    assert f'href="{LIST}" aria-current="page">Import</a>' in response.text


def test_the_import_page_costs_a_known_number_of_queries(
    admin_client, acme, importer, wayne, django_assert_num_queries
):
    content = csv_text("Id,Date,Company", "a,2025-01-02,Wayne Enterprises", "b,x,W")
    call_import = import_file(acme, importer, content)

    # Session, user, memberships (the switcher's too), the import, its job, its first errors.
    with django_assert_num_queries(6):
        response = admin_client.get(call_import.get_absolute_url())

    assert response.status_code == 200
    assert "Calls created" in response.text
    assert "Download the rejected rows (CSV)" in response.text


def test_an_upload_refused_is_a_form_error_and_nothing_is_stored(admin_client, acme):
    response = _upload(admin_client, b"\x00\x01binary")

    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("This is not a CSV file")
    assert not CallImport.objects.exists()


@pytest.fixture
def acme_import(acme, importer, wayne):
    return import_file(acme, importer, csv_text("Id,Date,Company", "a,2025-01-02,x"))


def _urls(call_import):
    return [
        ("get", LIST),
        ("get", call_import.get_absolute_url()),
        ("post", call_import.get_absolute_url()),
        ("post", reverse("imports:commit", args=[call_import.pk])),
        ("post", reverse("imports:revert", args=[call_import.pk])),
        ("get", reverse("imports:progress", args=[call_import.pk])),
        ("get", reverse("imports:errors", args=[call_import.pk])),
    ]


def test_a_member_who_is_not_an_admin_is_refused_every_page(client, alice, acme_import):
    client.force_login(alice)

    for method, url in _urls(acme_import):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url
        assert "Only an organization admin can import calls." in response.text
    assert CallImport.objects.get().status == CallImport.Status.IMPORTED


def test_another_organizations_admin_finds_no_import_of_ours(client, globex, acme_import):
    client.force_login(make_user(globex, role="admin"))

    responses = [getattr(client, m)(url) for m, url in _urls(acme_import)]

    assert [response.status_code for response in responses] == [200, *[404] * 6]
    assert list(responses[0].context["imports"]) == []


def test_anonymous_visitors_are_sent_to_sign_in(client, acme_import):
    for method, url in _urls(acme_import):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_members_are_not_shown_the_import_link(client, alice):
    client.force_login(alice)

    response = client.get(reverse("leads:list"))

    assert response.status_code == 200
    assert LIST not in response.text


def test_the_columns_chosen_are_remembered_for_their_organization_only(
    admin_client, acme, importer, globex
):
    first = upload(acme, importer, csv_text("Ref,When,Account", "a,2025-01-02,Wayne"))
    page = admin_client.get(first.get_absolute_url())
    admin_client.post(
        first.get_absolute_url(),
        _form_data(page.context["form"], column_0="external_id", column_1="activity_at"),
    )

    theirs = upload(globex, make_user(globex, role="admin"), csv_text("Ref,When,Account", "b,x,y"))

    assert theirs.columns == ["", "", "lead_name"]
