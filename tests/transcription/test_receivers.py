"""When a transcription is queued: new or replaced audio, once the change has committed."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from activities import services
from jobs.models import Job
from tests.conftest import make_call, wav
from transcription.jobs import transcribe_call
from transcription.services import job_key

URL = "https://dialer.example.com/call.mp3"
HANDWRITTEN = {
    "utterances": [
        {
            "speaker_label": "Alice Archer",
            "speaker_side": "close-user",
            "start": 0.0,
            "end": 1.0,
            "text": "Written by hand.",
        }
    ]
}


@pytest.fixture
def log(django_capture_on_commit_callbacks, lead, alice):
    """Log a call of Alice's on `lead`, committing it (the on-commit hooks run)."""

    def log_call(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_call(lead, alice, **fields)

    return log_call


def _jobs():
    jobs = Job.objects.filter(name=transcribe_call.name).order_by("id")
    return list(jobs.values_list("key", "kwargs"))


def test_a_call_logged_with_a_recording_queues_its_transcription(log):
    call = log(recording_file=ContentFile(wav(), name="call.wav"))

    assert _jobs() == [
        (
            job_key(call, "recording"),
            {"call_id": call.id, "kind": "recording", "audio": call.recording_file.name},
        )
    ]


def test_a_recording_url_queues_a_transcription_too(log):
    call = log(recording_url=URL)

    assert _jobs() == [
        (job_key(call, "recording"), {"call_id": call.id, "kind": "recording", "audio": URL})
    ]


def test_a_voicemail_queues_a_voicemail_transcription(log):
    call = log(voicemail_file=ContentFile(wav(), name="vm.wav"), status="completed")

    assert _jobs() == [
        (
            job_key(call, "voicemail"),
            {"call_id": call.id, "kind": "voicemail", "audio": call.voicemail_file.name},
        )
    ]


def test_a_call_without_audio_queues_nothing(log):
    log()

    assert _jobs() == []


def test_a_recording_sent_with_its_transcript_queues_nothing(log):
    log(
        recording_url="https://dialer.example.com/call.mp3",
        transcripts={"recording_transcript": HANDWRITTEN},
    )

    assert _jobs() == []


def test_a_replaced_recording_queues_a_transcription_of_the_new_one(
    log, alice, django_capture_on_commit_callbacks
):
    call = log(recording_url="https://dialer.example.com/first.mp3")

    with django_capture_on_commit_callbacks(execute=True):
        services.call_update(
            call, updated_by=alice, fields={"recording_url": "https://dialer.example.com/2.mp3"}
        )

    first, second = _jobs()
    assert first[0] != second[0] == job_key(call, "recording")


def test_changing_anything_else_queues_nothing(log, alice, django_capture_on_commit_callbacks):
    call = log(recording_url="https://dialer.example.com/call.mp3")

    with django_capture_on_commit_callbacks(execute=True):
        services.call_update(call, updated_by=alice, fields={"duration": 99, "note": "Called."})

    assert len(_jobs()) == 1


def test_new_audio_over_a_transcript_written_by_hand_queues_nothing(
    log, alice, django_capture_on_commit_callbacks
):
    call = log(
        recording_url="https://dialer.example.com/first.mp3",
        transcripts={"recording_transcript": HANDWRITTEN},
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.call_update(
            call, updated_by=alice, fields={"recording_url": "https://dialer.example.com/2.mp3"}
        )

    assert _jobs() == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_nothing(lead, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_call(lead, alice, recording_url="https://dialer.example.com/call.mp3")
        raise RuntimeError("the request failed after the call was written")

    assert _jobs() == []


def test_nothing_is_queued_when_transcription_is_off(log, settings):
    settings.TRANSCRIPTION_ENGINE = "none"

    log(recording_url="https://dialer.example.com/call.mp3")

    assert _jobs() == []
