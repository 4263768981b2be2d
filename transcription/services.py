"""Transcribing a call's recording or voicemail: when a job is queued, and what it does.

A job is keyed by the call, the kind of audio and the audio itself, so the state shown for a
call is the state of the job for the audio it has now, and new audio gets a job of its own.
"""

import hashlib
import tempfile
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from activities import services as activities
from activities.models import Call, Transcript
from core import safe_http
from transcription.audio import AudioError, decode
from transcription.engines import enabled, get_engine
from transcription.models import MachineTranscript, fingerprint
from transcription.utterances import CONTACT, REP, Speaker, build_utterances

KINDS = (Transcript.Kind.RECORDING, Transcript.Kind.VOICEMAIL)
UNKNOWN_SPEAKER = "Unknown speaker"


class EngineUnavailable(Exception):
    """The chosen engine cannot run here; the message says why."""


def audio_source(call, kind):
    """Return what the call's `kind` audio is (its stored file's name, or its URL), or ""."""
    file = getattr(call, f"{kind}_file")
    return file.name if file else getattr(call, f"{kind}_url")


def job_key(call, kind):
    """The key of the job transcribing the `kind` audio `call` has now ("" if it has none)."""
    source = audio_source(call, kind)
    if not source:
        return ""
    digest = hashlib.sha256(source.encode()).hexdigest()[:16]
    return f"transcribe:{call.id}:{kind}:{digest}"


def replaceable(transcript):
    """Whether a job may write over `transcript`: none yet, or one a job wrote, untouched."""
    if transcript is None:
        return True
    machine = getattr(transcript, "machine", None)
    return machine is not None and machine.untouched


def _transcript(call, kind):
    return Transcript.objects.select_related("machine").filter(call=call, kind=kind).first()


def transcribable(call, kind):
    """Whether a job may transcribe the call's `kind` audio: it has some, and no transcript
    that someone wrote or edited."""
    return bool(audio_source(call, kind)) and replaceable(_transcript(call, kind))


def transcription_request(call, kind):
    """Queue a job for the call's `kind` audio; return it, or None if there is nothing to do.

    While a job for this audio is queued or running, that job is returned: asking twice
    transcribes once.
    """
    from transcription.jobs import transcribe_call  # which imports this module

    if not enabled() or not transcribable(call, kind):
        return None
    return transcribe_call.enqueue_once(
        key=job_key(call, kind),
        organization=call.organization_id,
        call_id=call.id,
        kind=kind,
        audio=audio_source(call, kind),
    )


def request_for_new_audio(call_id, kind):
    """Queue a job for a call's new audio, read again once the change that brought it has
    committed: a transcript sent with the audio is then there, and is kept."""
    call = Call.objects.filter(pk=call_id).first()
    if call is not None:
        transcription_request(call, kind)


def speakers(call, kind, *, stereo):
    """Return who speaks on each channel: (left, right) for stereo, (one,) for mono.

    Stereo follows TRANSCRIPTION_LEFT_CHANNEL (the rep's side by default). A mono voicemail has
    one speaker: the contact on an inbound call, the rep on an outbound one. A mono recording's
    sides are unknown: TRANSCRIPTION_MONO_SIDE, labelled "Unknown speaker".
    """
    rep = Speaker(REP, call.user.display_name if call.user else "Rep")
    contact = Speaker(
        CONTACT, call.contact.name if call.contact and call.contact.name else "Contact"
    )
    if stereo:
        return (rep, contact) if settings.TRANSCRIPTION_LEFT_CHANNEL == REP else (contact, rep)
    if kind == Transcript.Kind.VOICEMAIL:
        return (contact if call.direction == Call.Direction.INBOUND else rep,)
    return (Speaker(settings.TRANSCRIPTION_MONO_SIDE, UNKNOWN_SPEAKER),)


@contextmanager
def open_audio(call, kind):
    """Yield the call's `kind` audio as a binary file: its stored file, or its URL downloaded
    under core.safe_http's rules."""
    file = getattr(call, f"{kind}_file")
    if file:
        try:
            stored = file.storage.open(file.name, "rb")
        except FileNotFoundError:
            raise AudioError("The audio file is missing from storage.") from None
        with stored:
            yield stored
        return
    with tempfile.TemporaryFile(prefix="closecalls-download-") as download:
        safe_http.fetch(
            getattr(call, f"{kind}_url"),
            into=download,
            max_bytes=settings.TRANSCRIPTION_DOWNLOAD_MAX_BYTES,
            timeout=settings.TRANSCRIPTION_DOWNLOAD_TIMEOUT,
        )
        download.seek(0)
        yield download


def utterances_of(file, *, engine, speakers):
    """Decode the audio `file`, run `engine` on each channel and return (utterances, seconds).

    `speakers(stereo)` says who speaks on each channel (see `speakers()`). Raises AudioError
    when there is nothing to transcribe.
    """
    with decode(
        file, rate=engine.sample_rate, max_seconds=settings.TRANSCRIPTION_MAX_SECONDS
    ) as audio:
        heard = [
            (speaker, engine.transcribe(track.samples))
            for speaker, track in zip(speakers(audio.stereo), audio.tracks, strict=True)
            if not track.silent
        ]
        duration = audio.duration
    utterances = build_utterances(heard, pause=settings.TRANSCRIPTION_PAUSE_SECONDS)
    if not utterances:
        raise AudioError("No words were recognized in the audio.")
    return utterances, duration


def transcribe(call_id, kind, audio=None):
    """Transcribe the call's `kind` audio and write the transcript; return it, or None when
    there was nothing to do: no call, no audio, audio other than `audio` (replaced since the
    job was queued: the new audio has a job of its own), or a transcript someone wrote."""
    call = Call.objects.select_related("user", "contact").filter(pk=call_id).first()
    if call is None or not enabled() or not transcribable(call, kind):
        return None
    if audio is not None and audio_source(call, kind) != audio:
        return None
    engine = get_engine()
    if problems := engine.problems():
        raise EngineUnavailable(f"Transcription is not set up: {' '.join(problems)}")
    source = audio_source(call, kind)
    started = time.process_time()
    with open_audio(call, kind) as file:
        utterances, duration = utterances_of(
            file, engine=engine, speakers=lambda stereo: speakers(call, kind, stereo=stereo)
        )
    cpu = time.process_time() - started
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call_id)
        # The audio may have been replaced, or a transcript written, while this job listened.
        if audio_source(call, kind) != source or not replaceable(_transcript(call, kind)):
            return None
        transcript = activities.transcript_save(
            Transcript.of(call, kind), actor=None, fields={"utterances": utterances}
        )
        MachineTranscript.objects.update_or_create(
            transcript=transcript,
            defaults={
                "organization_id": call.organization_id,
                "engine": engine.name,
                "audio": source,
                "audio_seconds": round(duration, 3),
                "cpu_seconds": round(cpu, 3),
                "fingerprint": fingerprint(transcript),
            },
        )
    return transcript
