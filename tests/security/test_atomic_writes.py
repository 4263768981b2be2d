"""Logging a call is all or nothing: a failure half-way leaves no call, transcript or lead change.

The failures are real: a transcript the models refuse after a valid call, and the database itself
failing the last statement of the write (a trigger on the lead's update, raised as the server
would when shutting down), through the API, the rep's form and the admin.
"""

import pytest
from django.db import connection
from django.urls import reverse

from activities.models import Call, Transcript
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/activity/call/"
UTTERANCE = {
    "speaker_side": "contact",
    "speaker_label": "Bruce",
    "start": 0,
    "end": 1,
    "text": "Hi",
}


@pytest.fixture
def failing_lead_updates():
    """Make the database fail any update of a lead, as a server going down would.

    PostgreSQL raises SQLSTATE 57P01 (admin_shutdown) from a trigger; SQLite's trigger calls a
    function that raises, which it reports as an OperationalError too. The trigger lives in the
    test's transaction and goes with it.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION injected_fault() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'injected fault' USING ERRCODE = 'admin_shutdown'; "
                "END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER injected_fault BEFORE UPDATE ON leads_lead "
                "FOR EACH ROW EXECUTE FUNCTION injected_fault()"
            )
        else:
            connection.connection.create_function("injected_fault", 0, _injected_fault)
            cursor.execute(
                "CREATE TEMP TRIGGER injected_fault BEFORE UPDATE ON leads_lead "
                "BEGIN SELECT injected_fault(); END"
            )


def _injected_fault():
    raise RuntimeError("injected fault")


def assert_nothing_left(lead):
    assert not Call.objects.exists()
    assert not Transcript.objects.exists()
    lead.refresh_from_db()
    assert lead.last_activity_at is None


def test_an_invalid_transcript_after_a_valid_call_leaves_nothing(alice_api, lead):
    body = {
        "lead_id": lead.id,
        "duration": 60,
        "recording_transcript": {"utterances": [UTTERANCE]},
        "voicemail_transcript": {"utterances": [{**UTTERANCE, "start": 5, "end": 1}]},
    }

    response = alice_api.post(CALLS, body, content_type="application/json")

    assert response.status_code == 400
    assert "voicemail_transcript" in response.json()["field-errors"]
    assert_nothing_left(lead)


def test_a_database_failure_mid_write_through_the_api_leaves_nothing(
    alice_api, lead, failing_lead_updates
):
    body = {"lead_id": lead.id, "duration": 60, "recording_transcript": {"utterances": [UTTERANCE]}}

    response = alice_api.post(CALLS, body, content_type="application/json")

    assert response.status_code == 503
    assert set(response.json()) == {"error"}
    assert_nothing_left(lead)


def test_a_database_failure_mid_write_through_the_reps_form_leaves_nothing(
    alice_browser, lead, failing_lead_updates
):
    data = {
        "direction": "outbound",
        "disposition": "answered",
        "duration": "1:00",
        "activity_at": "2024-05-01T14:30:00",
        "note_html": "<p>Demo booked</p>",
    }

    response = alice_browser.post(reverse("activities:call_create", args=[lead.id]), data)

    assert response.status_code == 503
    assert b"Try again in a moment" in response.content
    assert_nothing_left(lead)


def test_a_database_failure_mid_write_through_the_admin_leaves_nothing(
    superuser_client, acme, lead, failing_lead_updates
):
    add = reverse("admin:activities_call_add")
    data = admin_form_data(
        superuser_client.get(add),
        organization=acme.pk,
        lead=lead.pk,
        direction="outbound",
        call_method="regular",
        duration="60",
        note_html="<p>Demo booked</p>",
    )

    response = superuser_client.post(add, data)

    assert response.status_code == 503
    assert_nothing_left(lead)
