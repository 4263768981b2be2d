"""The admin's list of call transcriptions: each call's state, the engine's problems, the walls."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from activities import services as activities
from activities.models import Transcript
from jobs.models import Job
from jobs.services import job_claim, job_failed
from tests.conftest import make_call, make_lead
from tests.transcription.conftest import make_machine_transcript
from transcription.services import transcription_request

CHANGELIST = reverse("admin:transcription_calltranscription_changelist")
URL = "https://dialer.example.com/call.mp3"
UTTERANCES = [
    {"speaker_label": "Alice", "speaker_side": "close-user", "start": 0, "end": 1, "text": "Hi."}
]


@pytest.fixture
def failed(lead, alice):
    call = make_call(lead, alice, recording_url=URL)
    job = job_claim(transcription_request(call, "recording").pk, "test-worker")
    job_failed(job, reason="The audio is silent: nobody speaks in it.", error="")
    return call


@pytest.fixture
def done(lead, alice):
    call = make_call(lead, alice, voicemail_url=URL, status="completed")
    make_machine_transcript(call, "voicemail", UTTERANCES, audio_seconds=60, cpu_seconds=12)
    return call


@pytest.fixture
def globex_call(globex, bob):
    return make_call(make_lead(globex, name="Initech"), bob, recording_url=URL)


def test_each_call_with_audio_shows_where_its_transcription_stands(
    acme_admin_client, failed, done, lead, alice
):
    make_call(lead, alice)  # no audio: not listed

    response = acme_admin_client.get(CHANGELIST)

    assert [call.id for call in response.context["cl"].result_list] == [done.id, failed.id]
    assertContains(response, "Failed: The audio is silent: nobody speaks in it.")
    assertContains(response, "Done by pocketsphinx: 60 s of audio, 0.20× real time")


def test_a_transcript_edited_by_hand_says_so(acme_admin_client, done):
    activities.transcript_save(
        Transcript.of(done, "voicemail"),
        actor=None,
        fields={"utterances": UTTERANCES, "summary_text": "Edited."},
    )

    assertContains(acme_admin_client.get(CHANGELIST), "Done: written or edited by hand")


def test_an_organization_admin_sees_only_their_calls(acme_admin_client, failed, globex_call):
    response = acme_admin_client.get(CHANGELIST)

    assert [call.id for call in response.context["cl"].result_list] == [failed.id]
    assertNotContains(response, "Initech")


def test_the_list_reads_the_jobs_of_a_page_in_one_query(
    superuser_client, lead, alice, django_assert_max_num_queries
):
    for _ in range(20):
        transcription_request(make_call(lead, alice, recording_url=URL), "recording")

    with django_assert_max_num_queries(12):
        response = superuser_client.get(CHANGELIST)
    assert response.content.decode().count("Queued") == 20


def test_the_engines_problems_are_shown_above_the_list(superuser_client, settings):
    settings.TRANSCRIPTION_ENGINE = "faster-whisper"
    settings.TRANSCRIPTION_WHISPER_MODEL = "/srv/models/nowhere"

    response = superuser_client.get(CHANGELIST)

    assertContains(
        response,
        "Transcription cannot run: TRANSCRIPTION_WHISPER_MODEL: /srv/models/nowhere is not a "
        "directory.",
    )


def test_transcribe_again_queues_the_calls_audio_and_keeps_hand_written_transcripts(
    acme_admin_client, done, lead, alice
):
    handwritten = make_call(lead, alice, recording_url=URL)
    activities.transcript_save(
        Transcript.of(handwritten, "recording"), actor=None, fields={"utterances": UTTERANCES}
    )

    response = acme_admin_client.post(
        CHANGELIST,
        {"action": "transcribe_again", "_selected_action": [done.pk, handwritten.pk]},
        follow=True,
    )

    assertContains(response, "1 transcription(s) queued.")
    assertContains(response, "1 left as they are")
    assert list(Job.objects.values_list("kwargs", flat=True)) == [
        {"call_id": done.id, "kind": "voicemail", "audio": URL}
    ]


def test_nothing_is_added_or_deleted_here(superuser_client, done):
    assert superuser_client.get(CHANGELIST + "add/").status_code == 403
    response = superuser_client.get(CHANGELIST)
    assertNotContains(response, 'value="delete_selected"')
