"""GET /api/v1/activity/call/{id}/, and `_fields` with the opt-in transcripts."""

import pytest

from tests.conftest import make_call

URL = "/api/v1/activity/call/"
TRANSCRIPT = {
    "utterances": [
        {
            "speaker_label": "Bruce Wayne",
            "speaker_side": "contact",
            "start": 0.1,
            "end": 1.2,
            "text": "Hello?",
        },
        {
            "speaker_label": "Alice Archer",
            "speaker_side": "close-user",
            "start": 1.3,
            "end": 2.4,
            "text": "Hi Bruce, it's Alice from Acme.",
        },
    ],
    "summary_html": "<p>Intro call</p>",
}


@pytest.fixture
def transcribed_call(lead, alice):
    return make_call(
        lead,
        alice,
        voicemail_url="https://voicemail.example.com/1.mp3",
        transcripts={"recording_transcript": TRANSCRIPT, "voicemail_transcript": TRANSCRIPT},
    )


def test_get_answers_the_call_object(alice_api, call):
    response = alice_api.get(f"{URL}{call.id}/")

    assert response.status_code == 200
    assert response.json()["id"] == call.id
    assert response.json()["_type"] == "Call"
    assert response.json() == alice_api.get(URL).json()["data"][0]


def test_get_is_one_query_after_the_key_lookup(alice_api, call, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = alice_api.get(f"{URL}{call.id}/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["contact_id"]) == (call.id, call.contact_id)


def test_an_unknown_id_is_404(alice_api, call):
    response = alice_api.get(f"{URL}acti_doesnotexist/")

    assert response.status_code == 404
    assert "error" in response.json()


def test_another_organizations_call_is_404(alice_api, bob_call):
    response = alice_api.get(f"{URL}{bob_call.id}/")

    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_fields_returns_only_the_named_keys_and_the_id(alice_api, call):
    response = alice_api.get(URL, {"_fields": "duration,note"})

    assert response.json()["data"] == [{"id": call.id, "duration": 60, "note": ""}]


def test_fields_ignores_unknown_names(alice_api, call):
    response = alice_api.get(URL, {"_fields": "duration,favourite_colour,"})

    assert response.json()["data"] == [{"id": call.id, "duration": 60}]


def test_fields_applies_to_a_single_call(alice_api, call):
    response = alice_api.get(f"{URL}{call.id}/", {"_fields": "lead_id"})

    assert response.json() == {"id": call.id, "lead_id": call.lead_id}


def test_transcripts_are_not_returned_by_default(alice_api, transcribed_call):
    item = alice_api.get(URL).json()["data"][0]

    assert "recording_transcript" not in item
    assert "voicemail_transcript" not in item


def test_transcripts_are_returned_when_named_in_fields(alice_api, transcribed_call):
    response = alice_api.get(URL, {"_fields": "recording_transcript,voicemail_transcript"})

    item = response.json()["data"][0]
    expected = {
        "utterances": TRANSCRIPT["utterances"],
        "summary_text": "Intro call",
        "summary_html": "<body><p>Intro call</p></body>",
    }
    assert item == {
        "id": transcribed_call.id,
        "recording_transcript": expected,
        "voicemail_transcript": expected,
    }


def test_a_missing_transcript_is_null(alice_api, call):
    response = alice_api.get(f"{URL}{call.id}/", {"_fields": "recording_transcript"})

    assert response.json() == {"id": call.id, "recording_transcript": None}


def test_transcripts_are_read_in_the_pages_own_query(
    alice_api, lead, alice, django_assert_num_queries
):
    for _ in range(5):
        make_call(lead, alice, transcripts={"recording_transcript": TRANSCRIPT})
    fields = "id,note,recording_transcript,voicemail_transcript"

    with django_assert_num_queries(2):  # the API key, the page
        response = alice_api.get(URL, {"_fields": fields})

    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data) == 5
    assert all(item["recording_transcript"]["summary_html"] for item in data)


def test_transcripts_are_scoped_to_the_page(alice_api, lead, alice):
    make_call(lead, alice, transcripts={"recording_transcript": TRANSCRIPT})
    plain = make_call(lead, alice)

    response = alice_api.get(URL, {"_fields": "recording_transcript", "id__in": plain.id})

    assert response.json()["data"] == [{"id": plain.id, "recording_transcript": None}]
