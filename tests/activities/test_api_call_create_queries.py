"""What logging a call costs in SQL statements, with every rule still checked."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Call
from tests.conftest import make_contact, make_lead

URL = "/api/v1/activity/call/"


def test_logging_a_call_costs_no_lookup_the_caller_already_made(alice_api, lead, contact, outcome):
    body = {
        "lead_id": lead.id,
        "contact_id": contact.id,
        "status": "completed",
        "duration": 312,
        "outcome_id": outcome.id,
        "note_html": "<p>Wants a <b>demo</b></p>",
    }
    with CaptureQueriesContext(connection) as captured:
        response = alice_api.post(URL, body, content_type="application/json")

    assert response.status_code == 200
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    # The key; the body's lead with its contact and its outcome (one query), within the
    # organization; then, in the transaction (a savepoint here, BEGIN/COMMIT in production),
    # the INSERT (Call.clean reads the rep's membership from the one the key was found with,
    # and the outcome's liveness from the outcome just loaded); the receivers of the change:
    # insights' tallies (rep, team, outcome: one statement on PostgreSQL, one upsert per table
    # on SQLite), the event's INSERT (which also marks it when anyone subscribed; its data
    # built from the call as written), follow-ups' look for the lead's open tasks (the call
    # connected), the search entry; the lead's calls_count/last_activity_at. The answer is
    # built from the call as written: no read back.
    tallies = ["WITH"] if connection.vendor == "postgresql" else ["INSERT"] * 3
    assert statements == [
        "SELECT", "SELECT",
        "SAVEPOINT", "INSERT",
        *tallies,
        "INSERT",
        "SELECT", "INSERT",
        "UPDATE", "RELEASE",
    ]  # fmt: skip
    assert Call.objects.get(pk=response.json()["id"]).outcome == outcome


def test_a_contact_of_another_lead_is_still_refused(alice_api, lead, acme):
    other = make_contact(make_lead(acme, name="Other"), name="Someone else")

    response = alice_api.post(
        URL, {"lead_id": lead.id, "contact_id": other.id}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "contact": "The contact does not belong to this lead."
    }
    assert not Call.objects.exists()


def test_a_deleted_outcome_is_still_refused(alice_api, lead, outcome):
    outcome.date_deleted = outcome.date_created
    outcome.save()

    response = alice_api.post(
        URL,
        {"lead_id": lead.id, "duration": 5, "outcome_id": outcome.id},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert not Call.objects.exists()


def test_the_answer_built_from_the_call_as_written_is_the_call_as_read(
    alice_api, lead, contact, outcome
):
    body = {
        "lead_id": lead.id,
        "contact_id": contact.id,
        "direction": "inbound",
        "status": "completed",
        "duration": 312,
        "cost": "2.50",
        "phone": "+14155550123",
        "local_phone": "+14155550199",
        "recording_url": "https://example.com/calls/1.mp3",
        "activity_at": "2026-11-24T09:30:00.123456+02:00",
        "outcome_id": outcome.id,
        "note_html": "<p>Wants a <b>demo</b></p>",
    }

    created = alice_api.post(URL, body, content_type="application/json")

    assert created.status_code == 200
    read = alice_api.get(f"{URL}{created.json()['id']}/")
    assert created.json() == read.json()
    assert created.json()["cost"] == "2.5"
    assert created.json()["activity_at"] == "2026-11-24T07:30:00.123456+00:00"
