"""PUT (and PATCH) /api/v1/activity/call/{id}/ and DELETE: partial updates and deletion."""

import datetime

import pytest

from activities.models import Call, Transcript
from tests.conftest import make_call, make_lead, make_user

URL = "/api/v1/activity/call/"


def put(client, call, body):
    return client.put(f"{URL}{call.id}/", body, content_type="application/json")


def test_put_changes_only_the_sent_keys(alice_api, call):
    before = alice_api.get(f"{URL}{call.id}/").json()

    response = put(alice_api, call, {"duration": 90})

    assert response.status_code == 200
    after = response.json()
    assert after["duration"] == 90
    unchanged = set(before) - {"duration", "date_updated"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_put_answers_the_full_call(alice_api, call):
    response = put(alice_api, call, {"note": "Call back Friday"})

    assert response.json() == alice_api.get(f"{URL}{call.id}/").json()


def test_patch_is_the_same_partial_update(alice_api, call):
    response = alice_api.patch(
        f"{URL}{call.id}/", {"duration": 12}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["duration"] == 12


def test_an_update_records_who_changed_the_call_and_when(alice_api, acme, lead, alice):
    carol = make_user(acme)
    call = make_call(lead, alice, created_by=carol)

    body = put(alice_api, call, {"duration": 5}).json()

    assert body["created_by"] == carol.id
    assert body["updated_by"] == alice.id
    assert body["updated_by_name"] == "Alice Archer"
    assert body["date_updated"] > body["date_created"]


def test_every_writable_field_can_be_changed(acme_admin_api, acme, call, outcome):
    other_lead = make_lead(acme)
    carol = make_user(acme)
    body = {
        "lead_id": other_lead.id,
        "contact_id": None,
        "user_id": carol.id,
        "direction": "inbound",
        "status": "completed",
        "disposition": "answered",
        "call_method": "power",
        "duration": 42,
        "cost": "0.75",
        "phone": "+442071838750",
        "recording_url": "https://recordings.example.com/2.mp3",
        "voicemail_url": "https://voicemail.example.com/2.mp3",
        "voicemail_duration": 9,
        "note": "Moved",
        "outcome_id": outcome.id,
        "activity_at": "2026-11-20T10:00:00.000000+00:00",
    }

    updated = put(acme_admin_api, call, body).json()

    assert updated == updated | body


def test_date_created_cannot_be_changed_by_an_update(alice_api, call):
    put(alice_api, call, {"date_created": "2001-01-01T00:00:00Z"})

    assert Call.objects.get(pk=call.pk).date_created == call.date_created


def test_moving_a_call_to_another_lead_refreshes_both_leads(alice_api, acme, lead, alice):
    other_lead = make_lead(acme)
    call = make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC))

    put(alice_api, call, {"lead_id": other_lead.id})

    lead.refresh_from_db()
    other_lead.refresh_from_db()
    assert lead.last_activity_at is None
    assert other_lead.last_activity_at == call.activity_at


def test_an_update_sending_nothing_changes_nothing(alice_api, call):
    before = alice_api.get(f"{URL}{call.id}/").json()

    after = put(alice_api, call, {}).json()

    assert after | {"date_updated": None} == before | {"date_updated": None}


def test_another_organizations_lead_cannot_be_given_to_a_call(alice_api, call, bob_lead):
    response = put(alice_api, call, {"lead_id": bob_lead.id})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"lead": "Object does not exist."}
    assert Call.objects.get(pk=call.pk).lead_id == call.lead_id


def test_another_organizations_user_cannot_be_given_to_a_call(alice_api, call, bob):
    response = put(alice_api, call, {"user_id": bob.id})

    assert response.json()["field-errors"] == {"user": "Object does not exist."}


def test_another_organizations_outcome_cannot_be_given_to_a_call(alice_api, call, bob_outcome):
    response = put(alice_api, call, {"outcome_id": bob_outcome.id})

    assert response.json()["field-errors"] == {"outcome": "Object does not exist."}


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_another_organizations_call_cannot_be_changed(alice_api, bob_call, method):
    response = getattr(alice_api, method)(
        f"{URL}{bob_call.id}/", {"duration": 1}, content_type="application/json"
    )

    assert response.status_code == 404
    assert set(response.json()) == {"error"}
    assert Call.objects.get(pk=bob_call.pk).duration == bob_call.duration


def test_an_update_of_an_unknown_call_is_404(alice_api):
    response = alice_api.put(f"{URL}acti_nope/", {}, content_type="application/json")

    assert response.status_code == 404


def test_a_transcript_object_replaces_the_stored_one(alice_api, lead, alice):
    old = {"utterances": [], "summary_text": "Old"}
    call = make_call(lead, alice, transcripts={"recording_transcript": old})

    put(alice_api, call, {"recording_transcript": {"summary_text": "New"}})

    assert Transcript.objects.get(call=call).summary_text == "New"


def test_a_null_transcript_deletes_it(alice_api, lead, alice):
    kept = {"utterances": [], "summary_text": "Voicemail"}
    call = make_call(
        lead, alice, transcripts={"recording_transcript": kept, "voicemail_transcript": kept}
    )

    put(alice_api, call, {"recording_transcript": None})

    assert list(Transcript.objects.filter(call=call).values_list("kind", flat=True)) == [
        "voicemail"
    ]


def test_delete_answers_an_empty_object(alice_api, call):
    response = alice_api.delete(f"{URL}{call.id}/")

    assert response.status_code == 200
    assert response.json() == {}
    assert not Call.objects.filter(pk=call.pk).exists()


def test_a_deleted_call_is_gone(alice_api, call):
    alice_api.delete(f"{URL}{call.id}/")

    assert alice_api.get(f"{URL}{call.id}/").status_code == 404
    assert alice_api.delete(f"{URL}{call.id}/").status_code == 404


def test_deleting_a_call_refreshes_the_leads_last_activity(alice_api, call, lead):
    alice_api.delete(f"{URL}{call.id}/")

    lead.refresh_from_db()
    assert lead.last_activity_at is None
