"""What logging a call costs in SQL statements, with every rule still checked."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Call

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
    # The key; the body's lead, contact and outcome, each within the organization; then, in the
    # transaction (a savepoint here, BEGIN/COMMIT in production), the rules of Call.clean that
    # need the database (the rep is a member, the outcome is live), the INSERT and the lead's
    # calls_count/last_activity_at, and its event (events/: the call as the API shows it,
    # whether anyone subscribed, the event's INSERT); last, the call read back as the API shows it.
    assert statements == [
        "SELECT", "SELECT", "SELECT", "SELECT",
        "SAVEPOINT", "SELECT", "SELECT", "INSERT", "UPDATE", "SELECT", "SELECT", "INSERT",
        "RELEASE",
        "SELECT",
    ]  # fmt: skip
    assert Call.objects.get(pk=response.json()["id"]).outcome == outcome


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
