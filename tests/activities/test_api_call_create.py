"""POST /api/v1/activity/call/: logging a call, as Close's clients do."""

import datetime

from activities.models import Call, Transcript
from leads.phones import invalid_phone_message
from tests.conftest import make_user

URL = "/api/v1/activity/call/"


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_create_answers_200_with_the_full_call(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "duration": 345, "direction": "inbound"})

    assert response.status_code == 200
    body = response.json()
    call = Call.objects.get(pk=body["id"])
    assert body == alice_api.get(f"{URL}{call.id}/").json()
    assert (call.lead, call.duration, call.direction) == (lead, 345, "inbound")


def test_a_logged_call_defaults_to_an_external_completed_call_by_the_caller(alice_api, lead, alice):
    body = post(alice_api, {"lead_id": lead.id}).json()

    assert body["call_method"] == "external"
    assert body["source"] == "External"
    assert body["status"] == "completed"
    assert body["user_id"] == alice.id
    assert body["created_by"] == alice.id
    assert body["updated_by"] == alice.id


def test_create_stores_every_writable_field(acme_admin_api, acme, lead, contact, outcome):
    carol = make_user(acme)
    body = {
        "lead_id": lead.id,
        "contact_id": contact.id,
        "user_id": carol.id,
        "direction": "inbound",
        "status": "completed",
        "disposition": "answered",
        "call_method": "power",
        "duration": 120,
        "cost": "2.5",
        "phone": "+16505551234",
        "recording_url": "https://recordings.example.com/1.mp3",
        "voicemail_url": "https://voicemail.example.com/1.mp3",
        "voicemail_duration": 20,
        "note": "Talked pricing",
        "outcome_id": outcome.id,
        "activity_at": "2026-11-24T14:35:08.272000+00:00",
        "date_created": "2026-11-24T14:40:00Z",
    }

    created = post(acme_admin_api, body).json()

    assert created == created | body | {
        "cost": "2.5",
        "date_created": "2026-11-24T14:40:00.000000+00:00",
    }
    call = Call.objects.get(pk=created["id"])
    assert (call.contact, call.user, call.outcome) == (contact, carol, outcome)


def test_phone_is_normalized_to_e164(alice_api, lead):
    body = post(alice_api, {"lead_id": lead.id, "phone": "(650) 555-1234"}).json()

    assert body["phone"] == "+16505551234"
    assert body["remote_phone_formatted"] == "+1 650-555-1234"


def test_an_unreadable_phone_is_a_field_error(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "phone": "call me maybe"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"phone"}


def test_a_naive_activity_at_is_taken_as_utc(alice_api, lead):
    body = post(alice_api, {"lead_id": lead.id, "activity_at": "2026-11-24T09:00:00"}).json()

    assert body["activity_at"] == "2026-11-24T09:00:00.000000+00:00"


def test_an_activity_at_with_an_offset_is_stored_in_utc(alice_api, lead):
    body = post(alice_api, {"lead_id": lead.id, "activity_at": "2026-11-24T09:00:00-0500"}).json()

    call = Call.objects.get(pk=body["id"])
    assert call.activity_at == datetime.datetime(2026, 11, 24, 14, tzinfo=datetime.UTC)


def test_lead_id_is_required(alice_api):
    response = post(alice_api, {"duration": 10})

    assert response.status_code == 400
    assert response.json() == {"errors": [], "field-errors": {"lead": "This field is required."}}


def test_an_unknown_lead_is_a_field_error_keyed_by_the_relation(alice_api):
    response = post(alice_api, {"lead_id": "lead_nope"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"lead": "Object does not exist."}


def test_another_organizations_lead_does_not_exist(alice_api, bob_lead):
    response = post(alice_api, {"lead_id": bob_lead.id})

    assert response.json()["field-errors"] == {"lead": "Object does not exist."}
    assert not Call.objects.exists()


def test_another_organizations_contact_does_not_exist(alice_api, lead, bob_contact):
    response = post(alice_api, {"lead_id": lead.id, "contact_id": bob_contact.id})

    assert response.json()["field-errors"] == {"contact": "Object does not exist."}


def test_another_organizations_user_does_not_exist(alice_api, lead, bob):
    response = post(alice_api, {"lead_id": lead.id, "user_id": bob.id})

    assert response.json()["field-errors"] == {"user": "Object does not exist."}


def test_another_organizations_outcome_does_not_exist(alice_api, lead, bob_outcome):
    response = post(alice_api, {"lead_id": lead.id, "duration": 5, "outcome_id": bob_outcome.id})

    assert response.json()["field-errors"] == {"outcome": "Object does not exist."}


def test_unknown_and_read_only_keys_are_ignored(alice_api, lead, bob):
    body = {
        "lead_id": lead.id,
        "favourite_colour": "teal",
        "id": "acti_mine",
        "organization_id": "orga_elsewhere",
        "created_by": bob.id,
        "source": "Close.io",
        "users": ["x"],
        "has_recording": True,
    }

    response = post(alice_api, body)

    assert response.status_code == 200
    created = response.json()
    assert created["id"] != "acti_mine"
    assert created["organization_id"] == lead.organization_id
    assert created["source"] == "External"
    assert created["users"] == []


def test_a_call_read_from_the_api_can_be_posted_back(alice_api, call):
    """Close's own import script re-posts the objects it read."""
    original = alice_api.get(f"{URL}{call.id}/").json()

    response = post(alice_api, original)

    assert response.status_code == 200
    assert response.json()["id"] != call.id
    assert response.json()["duration"] == original["duration"]


def test_transcripts_can_be_sent_with_the_call(alice_api, lead):
    transcript = {
        "utterances": [
            {"speaker_label": "Jo", "speaker_side": "contact", "start": 0, "end": 1, "text": "Hi"}
        ],
        "summary_html": "<p>Short</p>",
    }

    body = post(alice_api, {"lead_id": lead.id, "recording_transcript": transcript}).json()

    stored = Transcript.objects.get(call_id=body["id"])
    assert (stored.kind, stored.summary_text) == ("recording", "Short")
    shown = alice_api.get(f"{URL}{body['id']}/", {"_fields": "recording_transcript"}).json()
    assert shown["recording_transcript"]["utterances"] == transcript["utterances"]


def test_a_badly_timed_transcript_is_a_field_error(alice_api, lead):
    utterance = {"speaker_label": "Jo", "speaker_side": "contact", "start": 5, "end": 1, "text": ""}

    response = post(
        alice_api, {"lead_id": lead.id, "recording_transcript": {"utterances": [utterance]}}
    )

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"recording_transcript"}
    assert not Call.objects.exists()


def test_a_transcript_must_be_an_object(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "voicemail_transcript": "blah"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"voicemail_transcript"}


def test_create_moves_the_leads_last_activity(alice_api, lead):
    post(alice_api, {"lead_id": lead.id, "activity_at": "2026-11-24T09:00:00Z"})

    lead.refresh_from_db()
    assert lead.last_activity_at == datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC)


def test_a_phone_without_a_plus_is_read_in_the_organizations_region(alice_api, acme, lead):
    acme.phone_region = "GB"
    acme.save()

    body = post(alice_api, {"lead_id": lead.id, "phone": "0113 496 0659"}).json()

    assert body["phone"] == body["remote_phone"] == "+441134960659"
    assert body["remote_phone_formatted"] == "+44 113 496 0659"


def test_an_invalid_phone_error_gives_examples_for_the_organizations_region(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "phone": "+1 555 0000"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"phone": invalid_phone_message("US")}
