"""The transcription job's work, run here in the test's process on real audio.

(The same job through real worker processes is in test_worker.py.)
"""

import io
import wave

import pytest
from django.core.files.base import ContentFile

from activities import services as activities
from activities.models import Transcript
from jobs import PermanentError
from tests.conftest import make_call
from transcription.jobs import transcribe_call
from transcription.models import MachineTranscript
from transcription.services import transcribable

HANDWRITTEN = [
    {"speaker_label": "Alice", "speaker_side": "close-user", "start": 0, "end": 1, "text": "Hi."}
]


@pytest.fixture
def recorded(lead, alice, contact, short_call):
    """A call of Alice's with Bruce, with the short stereo call uploaded as its recording."""
    return make_call(
        lead, alice, contact=contact, recording_file=ContentFile(short_call, name="call.wav")
    )


def _transcript(call, kind="recording"):
    return Transcript.objects.filter(call=call, kind=kind).first()


def test_a_stereo_recording_becomes_a_transcript_with_each_side_named(recorded):
    transcribe_call(call_id=recorded.id, kind="recording")

    utterances = _transcript(recorded).utterances
    assert [(u["speaker_side"], u["speaker_label"]) for u in utterances] == [
        ("close-user", "Alice Archer"),
        ("contact", "Bruce Wayne"),
    ]
    assert utterances[0]["text"].startswith("the price is")


def test_the_transcript_made_is_remembered_with_its_engine_and_cost(recorded, short_call):
    with wave.open(io.BytesIO(short_call)) as audio:
        seconds = audio.getnframes() / audio.getframerate()

    transcribe_call(call_id=recorded.id, kind="recording")

    machine = MachineTranscript.objects.get(transcript__call=recorded)
    assert (machine.engine, machine.audio, machine.untouched) == (
        "pocketsphinx",
        recorded.recording_file.name,
        True,
    )
    assert machine.audio_seconds == pytest.approx(seconds, abs=0.05)
    assert 0 < machine.cpu_seconds < machine.audio_seconds


def test_a_mono_voicemail_on_an_inbound_call_is_the_contact_speaking(
    lead, alice, contact, short_voicemail
):
    call = make_call(
        lead,
        alice,
        contact=contact,
        direction="inbound",
        status="completed",
        voicemail_file=ContentFile(short_voicemail, name="vm.wav"),
    )

    transcribe_call(call_id=call.id, kind="voicemail")

    utterances = _transcript(call, "voicemail").utterances
    assert {(u["speaker_side"], u["speaker_label"]) for u in utterances} == {
        ("contact", "Bruce Wayne")
    }


def test_a_transcript_sent_through_the_api_is_left_as_it_is(recorded, alice):
    activities.transcript_save(
        Transcript.of(recorded, "recording"), actor=None, fields={"utterances": HANDWRITTEN}
    )

    transcribe_call(call_id=recorded.id, kind="recording")

    assert _transcript(recorded).utterances == HANDWRITTEN
    assert not MachineTranscript.objects.exists()


def test_a_transcript_edited_by_hand_is_never_overwritten(recorded):
    transcribe_call(call_id=recorded.id, kind="recording")
    edited = [{**_transcript(recorded).utterances[0], "text": "The price is $200."}]
    activities.transcript_save(
        Transcript.of(recorded, "recording"), actor=None, fields={"utterances": edited}
    )

    transcribe_call(call_id=recorded.id, kind="recording")

    assert _transcript(recorded).utterances == edited
    assert not transcribable(recorded, "recording")


def test_a_summary_written_on_a_machine_transcript_makes_it_the_reps(recorded):
    transcribe_call(call_id=recorded.id, kind="recording")
    utterances = _transcript(recorded).utterances
    activities.transcript_save(
        Transcript.of(recorded, "recording"),
        actor=None,
        fields={"utterances": utterances, "summary_text": "Price."},
    )

    assert not transcribable(recorded, "recording")


def test_an_untouched_machine_transcript_is_replaced_for_new_audio(
    recorded, alice, short_voicemail
):
    transcribe_call(call_id=recorded.id, kind="recording")
    activities.call_update(
        recorded,
        updated_by=alice,
        fields={"recording_file": ContentFile(short_voicemail, name="new.wav")},
    )

    transcribe_call(call_id=recorded.id, kind="recording")

    transcript = _transcript(recorded)
    assert {u["speaker_label"] for u in transcript.utterances} == {"Unknown speaker"}
    assert transcript.machine.audio == recorded.recording_file.name


def test_a_job_for_audio_replaced_since_leaves_it_to_the_new_audios_job(
    recorded, alice, short_voicemail
):
    queued_for = recorded.recording_file.name
    activities.call_update(
        recorded,
        updated_by=alice,
        fields={"recording_file": ContentFile(short_voicemail, name="new.wav")},
    )

    transcribe_call(call_id=recorded.id, kind="recording", audio=queued_for)

    assert _transcript(recorded) is None


def test_a_call_deleted_before_its_job_ran_is_nothing_to_do(recorded, alice):
    call_id = recorded.id
    activities.call_delete(recorded, deleted_by=alice)

    transcribe_call(call_id=call_id, kind="recording")

    assert not Transcript.objects.exists()


def test_a_missing_file_fails_with_a_reason_and_writes_nothing(recorded):
    recorded.recording_file.storage.delete(recorded.recording_file.name)

    with pytest.raises(PermanentError, match="The audio file is missing from storage."):
        transcribe_call(call_id=recorded.id, kind="recording")
    assert _transcript(recorded) is None


def test_an_engine_that_cannot_run_fails_with_what_to_fix(recorded, settings):
    settings.TRANSCRIPTION_ENGINE = "faster-whisper"
    settings.TRANSCRIPTION_WHISPER_MODEL = ""

    with pytest.raises(PermanentError, match="Transcription is not set up: .*WHISPER_MODEL"):
        transcribe_call(call_id=recorded.id, kind="recording")
