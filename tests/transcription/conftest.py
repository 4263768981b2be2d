"""The scripted sales call, spoken by espeak-ng once per test session, and what the real
pocketsphinx engine hears in it.

The call (transcription.synthetic.SALES_CALL) has the rep's lines on the left channel and the
contact's on the right, with known pauses, so where each line starts and ends is known.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from activities import services as activities
from activities.models import Transcript
from tests.core.https_server import certificate, https_server  # noqa: F401 (fixtures)
from tests.workers import redis_server, start_worker, worker_env  # noqa: F401 (fixtures)
from transcription import synthetic
from transcription.engines import get_engine
from transcription.models import MachineTranscript, fingerprint
from transcription.services import audio_source, utterances_of
from transcription.utterances import CONTACT, REP, Speaker

ALICE = Speaker(REP, "Alice Archer")
BRUCE = Speaker(CONTACT, "Bruce Wayne")
SOMEONE = Speaker(CONTACT, "Unknown speaker")
# How far an utterance's start or end may be from its line's in the script, in seconds: a
# missed first word ("Great.") moves a start by about 0.8 s.
TOLERANCE = 1.0


def make_machine_transcript(call, kind, utterances, *, audio_seconds=60, cpu_seconds=12):
    """Write the transcript of the call's `kind` audio as a transcription job does."""
    transcript = activities.transcript_save(
        Transcript.of(call, kind), actor=None, fields={"utterances": utterances}
    )
    MachineTranscript.objects.create(
        transcript=transcript,
        organization=call.organization,
        engine="pocketsphinx",
        audio=audio_source(call, kind),
        audio_seconds=audio_seconds,
        cpu_seconds=cpu_seconds,
        fingerprint=fingerprint(transcript),
    )
    return transcript


def sides(stereo):
    return (ALICE, BRUCE) if stereo else (SOMEONE,)


def off_script(utterances, spoken):
    """Return the utterances that are not where their line is: [] when all are."""
    return [
        (line.text, (line.start, line.end), (utterance["start"], utterance["end"]))
        for utterance, line in zip(utterances, spoken, strict=True)
        if abs(utterance["start"] - line.start) > TOLERANCE
        or abs(utterance["end"] - line.end) > TOLERANCE
    ]


@dataclass
class SpokenCall:
    """The sales call's script and its audio files."""

    spoken: list
    duration: float
    wav: Path
    mp3: Path
    mono: Path
    folder: Path


@pytest.fixture(scope="session")
def sales_call(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sales-call")
    conversation = synthetic.speak(synthetic.SALES_CALL)
    wav, mp3, mono = folder / "call.wav", folder / "call.mp3", folder / "call-mono.wav"
    wav.write_bytes(conversation.wav())
    mono.write_bytes(conversation.wav(stereo=False))
    synthetic.convert(wav, mp3)
    return SpokenCall(conversation.spoken, conversation.duration, wav, mp3, mono, folder)


@pytest.fixture(scope="session")
def heard(sales_call):
    """What pocketsphinx hears in each of the call's files: {name: (utterances, seconds)}."""
    engine = get_engine("pocketsphinx")
    cache = {}

    def hear(path):
        if path not in cache:
            with open(path, "rb") as file:
                cache[path] = utterances_of(file, engine=engine, speakers=sides)
        return cache[path]

    return hear


@pytest.fixture(scope="session")
def short_call(tmp_path_factory):
    """A four-second stereo call: the rep greets, the contact answers. WAV bytes."""
    conversation = synthetic.speak(
        [
            synthetic.Line(REP, "The price is two hundred dollars.", 0.3),
            synthetic.Line(CONTACT, "Thank you.", 1.0),
        ]
    )
    return conversation.wav()


@pytest.fixture(scope="session")
def short_voicemail():
    """A mono voicemail: one speaker. WAV bytes."""
    conversation = synthetic.speak([synthetic.Line(CONTACT, "Please call me back.", 0.3)])
    return conversation.wav(stereo=False)
