"""Calls found again by (source, id): a file imported twice creates nothing new, a changed row
updates its call, and closecalls' own CSV export imports back onto the calls it came from."""

import csv
import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Call
from core.changes import CREATED, UPDATED
from events.models import Event
from followups.models import Task
from imports import services
from search.models import Entry
from tests.conftest import make_call, wav
from tests.imports.conftest import csv_text, fixture_file, import_file, upload

HEADER = "Id,Date,Company,Duration,Notes"
# The import; the organization's leads and contacts; the batch in its savepoint (the ids seen
# before, the calls found and their leads, the ids noted, the counters); then the import read
# again, marked previewed and its ids forgotten. None per row.
QUERIES_PER_DRY_RUN = 13
# The same, and the batch written: one INSERT of its calls, one UPDATE of their leads.
QUERIES_PER_IMPORT = 17
# The insights tallies of a batch (reps and team: no outcome in these files): one statement on
# PostgreSQL, one upsert per table on SQLite (insights.tallies._upsert_in_order).
TALLY_STATEMENTS = 1 if connection.vendor == "postgresql" else 2
# What the receivers add to a batch of new calls, whatever its size (core.changes.announce_all).
RECEIVER_STATEMENTS_PER_BATCH = 4 + TALLY_STATEMENTS
# Reverting: the import; a batch of its calls, in its savepoint: the tallies, the events, the
# calls' open tasks, the DELETE (and the rows it cascades to), the leads, the counter; the
# next batch (none); the import's leads and status.
QUERIES_PER_REVERT = 19 + TALLY_STATEMENTS


def test_importing_the_same_file_again_creates_nothing(acme, importer, reps, wayne):
    content = fixture_file("hubspot-calls.csv")
    first = import_file(acme, importer, content)

    again = import_file(acme, importer, content)

    assert (first.created, again.created, again.updated, again.unchanged) == (5, 0, 0, 5)
    assert Call.objects.filter(organization=acme).count() == 5


def test_a_changed_row_updates_its_call_and_only_what_changed(acme, importer, wayne, announced):
    import_file(acme, importer, csv_text(HEADER, "c-1,2025-01-02 10:00,Wayne Enterprises,60,Hi"))
    call = Call.objects.get(external_id="c-1")
    announced.clear()

    again = import_file(
        acme,
        importer,
        csv_text(HEADER, "c-1,2025-01-02 10:00,Wayne Enterprises,95,Hi again"),
    )

    assert (again.created, again.updated) == (0, 1)
    updated = Call.objects.get(pk=call.pk)
    assert (updated.duration, updated.note, updated.import_id) == (95, "Hi again", call.import_id)
    assert [(c.action, c.pk, sorted(c.changed)) for c in announced] == [
        (UPDATED, call.pk, ["duration", "note", "note_html"])
    ]
    assert announced[0].previous["duration"] == 60


def test_the_same_ids_from_another_source_are_other_calls(acme, importer, wayne):
    content = csv_text(HEADER, "c-1,2025-01-02 10:00,Wayne Enterprises,60,Hi")
    import_file(acme, importer, content, source="Dialer A")

    other = import_file(acme, importer, content, source="Dialer B")

    assert other.created == 1
    assert sorted(Call.objects.values_list("external_source", flat=True)) == [
        "Dialer A", "Dialer B",
    ]  # fmt: skip


def test_every_created_call_is_announced_to_the_receivers(acme, importer, reps, wayne, announced):
    call_import = import_file(acme, importer, fixture_file("hubspot-calls.csv"))

    created = [change for change in announced if change.model is Call]
    assert [change.action for change in created] == [CREATED] * 5
    assert {change.pk for change in created} == set(
        Call.objects.filter(import_id=call_import.pk).values_list("pk", flat=True)
    )
    assert all(change.actor == importer for change in created)


def _export(client, calls):
    response = client.post(
        reverse("admin:activities_call_changelist"),
        {"action": "export_csv", "_selected_action": [call.pk for call in calls]},
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_closecalls_own_export_imports_back_onto_its_calls(
    acme, importer, acme_admin_client, lead, contact, alice, outcome
):
    calls = [
        make_call(
            lead,
            alice,
            contact=contact,
            disposition="answered",
            outcome=outcome,
            cost="2.5",
            phone="+16505551234",
            note_html="<p>=SUM(1,2) is <b>not</b> a formula here</p>",
            recording_file=ContentFile(wav(), "call.wav"),
            activity_at=datetime.datetime(2026, 3, 4, 10, 30, tzinfo=datetime.UTC),
        ),
        make_call(lead, alice, direction="inbound", disposition="vm-answer", note="-5 points"),
    ]
    exported = _export(acme_admin_client, calls)
    assert b"'=SUM(1,2) is not a formula here" in exported  # neutralised by the export

    call_import = import_file(acme, importer, exported, name="calls.csv")

    assert call_import.flavor == "close"
    assert (call_import.created, call_import.updated, call_import.unchanged) == (0, 0, 2)
    assert call_import.rejected == 0
    assert Call.objects.count() == 2
    assert Call.objects.get(pk=calls[0].pk).note == "=SUM(1,2) is not a formula here"


def test_a_row_changed_in_the_export_updates_that_call(
    acme, importer, acme_admin_client, lead, alice
):
    call = make_call(lead, alice, note="Call back on Friday")
    rows = list(csv.reader(io.StringIO(_export(acme_admin_client, [call]).decode())))
    rows[1][rows[0].index("note_html")] = "<p>Call back on <b>Monday</b></p>"
    edited = io.StringIO()
    csv.writer(edited).writerows(rows)

    call_import = import_file(acme, importer, edited.getvalue())

    assert (call_import.created, call_import.updated) == (0, 1)
    call.refresh_from_db()
    assert call.note == "Call back on Monday"
    assert call.import_id == ""  # updated by the import, not created by it


def test_an_export_of_another_organization_creates_its_calls_once(
    acme, importer, acme_admin_client, lead, alice, globex, bob, bob_lead
):
    """The calls of Acme exported and imported into Globex: their lead is found by name."""
    call = make_call(lead, alice, note="Moved over")
    rows = list(csv.reader(io.StringIO(_export(acme_admin_client, [call]).decode())))
    rows[1][rows[0].index("lead_name")] = bob_lead.name  # Globex's lead of that name
    moved = io.StringIO()
    csv.writer(moved).writerows(rows)
    globex_admin = importer.__class__.objects.create_user("gina", "gina@globex.example")
    globex.memberships.create(user=globex_admin, role="admin")
    changes = {"user_id": ""}  # Acme's reps are not Globex's

    first = import_file(globex, globex_admin, moved.getvalue(), changes=changes)
    again = import_file(globex, globex_admin, moved.getvalue(), changes=changes)

    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    imported = Call.objects.get(organization=globex)
    assert (imported.lead, imported.external_id, imported.note) == (bob_lead, call.pk, "Moved over")
    assert Call.objects.get(pk=call.pk).organization == acme


def _rows(count):
    return csv_text(
        HEADER, *(f"c-{n},2025-01-02 10:{n % 60:02d},Wayne Enterprises,60,Hi" for n in range(count))
    )


@pytest.mark.parametrize("count", [3, 300])
def test_a_batch_of_calls_found_again_is_checked_in_the_same_queries_whatever_its_size(
    acme, importer, wayne, django_assert_num_queries, count
):
    import_file(acme, importer, _rows(count))
    again = upload(acme, importer, _rows(count))
    services.import_configure(
        again, fields=again.columns, source=again.source, time_zone="UTC", day_first=False,
        create_leads=False,
    )  # fmt: skip
    services.import_start_preview(again, enqueue=False)

    with django_assert_num_queries(QUERIES_PER_DRY_RUN):
        checked = services.run_preview(again.pk)

    assert (checked.unchanged, checked.created, checked.rejected) == (count, 0, 0)


# SQLite takes 999 parameters a statement: Django splits an INSERT of more than about 25 calls.
@pytest.mark.parametrize("count", [3, 20])
def test_a_batch_of_new_calls_is_written_in_the_same_queries_whatever_its_size(
    acme, importer, wayne, django_assert_num_queries, count, settings
):
    settings.CHANGE_RECEIVERS = []  # the importer's own statements: receivers add their own
    previewed = import_file(acme, importer, _rows(count), write=False)
    services.import_start(previewed, enqueue=False)

    with django_assert_num_queries(QUERIES_PER_IMPORT):
        imported = services.run_import(previewed.pk)

    assert imported.created == count == Call.objects.filter(import_id=imported.pk).count()


def _outbound_rows(count):
    return csv_text(
        f"{HEADER},Direction",
        *(
            f"c-{n},2025-01-02 10:{n % 60:02d},Wayne Enterprises,60,Hi,outbound"
            for n in range(count)
        ),
    )


@pytest.mark.parametrize("count", [3, 20])
def test_the_receivers_hear_a_batch_of_new_calls_in_the_same_statements_whatever_its_size(
    acme, importer, wayne, count
):
    previewed = import_file(acme, importer, _outbound_rows(count), write=False)
    services.import_start(previewed, enqueue=False)

    with CaptureQueriesContext(connection) as captured:
        imported = services.run_import(previewed.pk)

    assert imported.created == count
    # The insights tallies (TALLY_STATEMENTS), the events (whether the organization has
    # webhooks, one INSERT), the follow-ups' look for the tasks the connected calls complete,
    # the notes' search entries (one INSERT).
    assert len(captured) == QUERIES_PER_IMPORT + RECEIVER_STATEMENTS_PER_BATCH
    assert Event.objects.filter(object_type="activity.call").count() == count
    assert Entry.objects.filter(kind=Entry.Kind.NOTE).count() == count


def _missed_rows(count):
    return csv_text(
        f"{HEADER},Direction,Status,Rep",
        *(
            f"m-{n},2025-01-02 10:{n % 60:02d},Wayne Enterprises,0,,inbound,no-answer,"
            "jamie@acme.example"
            for n in range(count)
        ),
    )


# The receivers' statements for a batch of missed calls: the tallies and events of the calls,
# then their tasks: one look for a later connected call of their leads, and in a savepoint one
# INSERT and their events (whether the organization has webhooks, one INSERT). None per row.
RECEIVER_STATEMENTS_PER_BATCH_OF_MISSED_CALLS = 10 + TALLY_STATEMENTS


@pytest.mark.parametrize("count", [3, 20])
def test_the_tasks_of_a_batch_of_missed_calls_cost_the_same_statements_whatever_its_size(
    acme, importer, reps, wayne, count
):
    previewed = import_file(acme, importer, _missed_rows(count), write=False)
    services.import_start(previewed, enqueue=False)

    with CaptureQueriesContext(connection) as captured:
        imported = services.run_import(previewed.pk)

    assert imported.created == count
    tasks = Task.objects.filter(object_type="call", assigned_to=reps["jamie"], is_complete=False)
    assert tasks.count() == count
    assert len(captured) == QUERIES_PER_IMPORT + RECEIVER_STATEMENTS_PER_BATCH_OF_MISSED_CALLS


@pytest.mark.parametrize("count", [3, 20])
def test_reverting_a_batch_costs_the_same_statements_whatever_its_size(
    acme, importer, wayne, count
):
    imported = import_file(acme, importer, _rows(count))
    services.import_start_revert(imported, enqueue=False)

    with CaptureQueriesContext(connection) as captured:
        reverted = services.run_revert(imported.pk)

    assert reverted.reverted_calls == count
    assert len(captured) == QUERIES_PER_REVERT
    assert Event.objects.filter(object_type="activity.call", action="deleted").count() == count


def test_each_missed_call_of_a_batch_leaves_its_task_and_a_later_connected_one_completes_it(
    acme, importer, wayne
):
    content = csv_text(
        f"{HEADER},Direction,Status",
        "m-1,2025-01-02 09:00,Wayne Enterprises,0,,inbound,no-answer",
        "m-2,2025-01-02 11:00,Wayne Enterprises,0,,inbound,no-answer",
        "c-1,2025-01-02 10:00,Wayne Enterprises,60,Called back,outbound,completed",
    )

    imported = import_file(acme, importer, content)

    assert (imported.created, imported.rejected) == (3, 0)
    tasks = {
        Call.objects.get(pk=task.object_id).external_id: task
        for task in Task.objects.filter(object_type="call")
    }
    assert sorted(tasks) == ["m-1", "m-2"]
    assert tasks["m-1"].is_complete and not tasks["m-2"].is_complete
    assert all(task.type == "missed_call" and task.lead == wayne[0] for task in tasks.values())
    created = Event.objects.filter(object_type="task.lead", action="created")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        t.pk for t in tasks.values()
    )
