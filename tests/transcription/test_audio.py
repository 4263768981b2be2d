"""Decoding recordings of every common format into the tracks an engine hears."""

import io
import os

import numpy as np
import pytest

from tests.conftest import wav
from transcription import synthetic
from transcription.audio import AudioError, decode

RATE = 16000
TWO_HOURS = 7200


def _loudness(samples, start, end):
    """Root mean square of `samples` (at RATE) between two times in seconds."""
    piece = samples[int(start * RATE) : int(end * RATE)].astype(np.float64)
    return float(np.sqrt((piece**2).mean()))


@pytest.mark.parametrize(
    ("codec", "suffix", "rate"),
    [
        ("pcm_s16le", "wav", 8000),
        ("pcm_s16le", "wav", 44100),
        ("libmp3lame", "mp3", 22050),
        ("libopus", "ogg", 48000),
        ("libopus", "opus", 16000),
        ("aac", "m4a", 44100),
        ("flac", "flac", 32000),
    ],
)
def test_every_common_format_decodes_to_the_two_sides_at_the_engines_rate(
    sales_call, codec, suffix, rate
):
    path = sales_call.folder / f"call-{rate}.{suffix}"
    synthetic.transcode(sales_call.wav, path, codec=codec, rate=rate)

    with decode(path, rate=RATE, max_seconds=TWO_HOURS) as audio:
        assert audio.stereo
        assert audio.duration == pytest.approx(sales_call.duration, abs=0.1)
        rep, contact = (track.samples for track in audio.tracks)
        first = sales_call.spoken[0]  # the rep speaks, the contact listens
        assert _loudness(rep, first.start, first.end) > 30 * _loudness(
            contact, first.start, first.end
        )
        second = sales_call.spoken[1]  # and the other way round
        assert _loudness(contact, second.start, second.end) > 30 * _loudness(
            rep, second.start, second.end
        )


def test_mono_audio_is_one_track(sales_call):
    with decode(sales_call.mono, rate=RATE, max_seconds=TWO_HOURS) as audio:
        assert not audio.stereo
        assert len(audio.tracks[0].samples) == pytest.approx(
            sales_call.duration * RATE, abs=RATE / 10
        )


def test_stereo_with_the_same_signal_on_both_channels_is_mono(sales_call, tmp_path):
    path = tmp_path / "copied.wav"
    synthetic.convert(sales_call.mono, path, "-c", "2")  # sox copies the one channel twice

    with decode(path, rate=RATE, max_seconds=TWO_HOURS) as audio:
        assert len(audio.tracks) == 1


def test_a_channel_nobody_speaks_on_is_silent(tmp_path):
    conversation = synthetic.speak([synthetic.Line("close-user", "Hello there.", 0.2)])
    path = tmp_path / "one-sided.wav"
    path.write_bytes(conversation.wav())

    with decode(path, rate=RATE, max_seconds=TWO_HOURS) as audio:
        assert [track.silent for track in audio.tracks] == [False, True]


def test_the_samples_live_in_temporary_files_that_closing_removes(sales_call):
    audio = decode(sales_call.wav, rate=RATE, max_seconds=TWO_HOURS)
    descriptors = [file.fileno() for file in audio.files]

    audio.close()

    assert audio.tracks == []
    assert all(file.closed for file in audio.files)
    assert not any(os.path.exists(f"/proc/self/fd/{fd}") for fd in descriptors)


def _fails(content, tmp_path, max_seconds=TWO_HOURS):
    path = tmp_path / "audio"
    path.write_bytes(content)
    with pytest.raises(AudioError) as failure:
        decode(path, rate=RATE, max_seconds=max_seconds)
    return str(failure.value)


def test_bytes_that_are_not_audio_fail_with_a_reason(tmp_path):
    assert _fails(os.urandom(20000), tmp_path) == "The file is not audio that can be read."


def test_an_empty_file_fails_with_a_reason(tmp_path):
    assert _fails(b"", tmp_path) == "The file is not audio that can be read."


def test_audio_without_samples_is_empty(tmp_path):
    assert _fails(synthetic.wav_bytes([np.zeros(0, np.int16)], 8000), tmp_path) == (
        "The audio is empty."
    )


def test_digital_silence_is_silent(tmp_path):
    silence = synthetic.wav_bytes([np.zeros(8000 * 5, np.int16)] * 2, 8000)

    assert _fails(silence, tmp_path) == "The audio is silent: nobody speaks in it."


def test_a_faint_hiss_is_silent(tmp_path):
    hiss = np.random.default_rng(1).normal(0, 20, 8000 * 5).astype(np.int16)  # about -64 dBFS

    assert _fails(synthetic.wav_bytes([hiss], 8000), tmp_path) == (
        "The audio is silent: nobody speaks in it."
    )


def test_audio_longer_than_the_limit_fails_before_it_is_decoded(tmp_path):
    assert _fails(wav(seconds=3), tmp_path, max_seconds=2) == (
        "The audio is longer than the limit of 0 min 02 s."
    )


class Pipe:
    """A stream that can only be read, like a download in progress: its length is unknown."""

    def __init__(self, content):
        self.stream = io.BytesIO(content)

    def read(self, size=-1):
        return self.stream.read(size)


def test_audio_of_unknown_length_is_stopped_at_the_limit():
    content = bytearray(wav(seconds=3))
    content[4:8] = content[40:44] = (0xFFFFFFFF).to_bytes(4, "little")  # sizes: "streaming"

    with pytest.raises(AudioError, match="longer than the limit of 0 min 02 s"):
        decode(Pipe(bytes(content)), rate=RATE, max_seconds=2)


def test_a_file_with_no_audio_stream_fails_with_a_reason(tmp_path):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )

    assert _fails(png, tmp_path) == "The file has no audio in it."
