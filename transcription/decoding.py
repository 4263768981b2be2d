"""Decoding a recording into what an engine hears: one 16-bit PCM track per side.

PyAV (FFmpeg in its wheel) reads any common format: WAV, MP3, OGG/Opus, M4A/AAC, FLAC, at any
rate, and resamples to the engine's rate. The samples are written to temporary files and
memory-mapped, so a two-hour stereo call costs disk, not the worker's memory.

Only `transcription.audio.decode` imports this module: PyAV and numpy (about 40 MB of a
process's memory) load with the first recording decoded, not in every web worker.
"""

import tempfile
from dataclasses import dataclass, field

import av
import numpy as np

from transcription.audio import AudioError

FRAME_SECONDS = 0.03
# The loudest 30 ms of a track under this level (dBFS) means nobody speaks on it.
SILENCE_DBFS = -50
# Two channels whose difference is this much quieter than their sum are one mono track, copied.
SAME_CHANNELS_DB = -30


@dataclass
class Track:
    """One channel's samples (int16, memory-mapped) and whether anyone speaks on it."""

    samples: np.ndarray
    silent: bool


@dataclass
class DecodedAudio:
    """The audio's channels at `rate`: two tracks for a stereo call, one for mono."""

    rate: int
    tracks: list = field(default_factory=list)
    files: list = field(default_factory=list)

    @property
    def duration(self):
        return len(self.tracks[0].samples) / self.rate if self.tracks else 0.0

    @property
    def stereo(self):
        return len(self.tracks) == 2

    def close(self):
        self.tracks.clear()
        for file in self.files:
            file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def _level_dbfs(samples, rate):
    """The level of the loudest FRAME_SECONDS of `samples`, in dBFS (-inf for digital silence)."""
    frame = max(int(rate * FRAME_SECONDS), 1)
    loudest = 0.0
    block = frame * 4096
    for offset in range(0, len(samples), block):
        chunk = samples[offset : offset + block].astype(np.float32)
        whole = len(chunk) // frame * frame
        frames = chunk[:whole].reshape(-1, frame) if whole else chunk.reshape(1, -1)
        loudest = max(loudest, float(np.sqrt((frames**2).mean(axis=1)).max()))
    return 20 * np.log10(loudest / 32768) if loudest else float("-inf")


def _same_channels(left, right):
    """Whether two channels carry one signal (a mono call saved as stereo)."""
    block = 1 << 20
    difference = total = 0.0
    for offset in range(0, len(left), block):
        a = left[offset : offset + block].astype(np.float64)
        b = right[offset : offset + block].astype(np.float64)
        difference += float(((a - b) ** 2).sum())
        total += float(((a + b) ** 2).sum())
    if not total:
        return True
    return 10 * np.log10(max(difference, 1e-9) / total) < SAME_CHANNELS_DB


def _duration_of(container):
    if container.duration:
        return container.duration / av.time_base
    stream = container.streams.audio[0]
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def decode(source, *, rate, max_seconds):
    """Decode `source` (a path or a binary file object) into a DecodedAudio at `rate`.

    Stereo stays two tracks, left then right, unless both carry the same signal; more than two
    channels are mixed down to one.
    """
    try:
        container = av.open(source, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise AudioError("The file is not audio that can be read.") from error
    with container:
        if not container.streams.audio:
            raise AudioError("The file has no audio in it.")
        stream = container.streams.audio[0]
        announced = _duration_of(container)
        if announced is not None and announced > max_seconds:
            raise AudioError(_too_long(max_seconds))
        channels = 2 if stream.codec_context.channels == 2 else 1
        layout = "stereo" if channels == 2 else "mono"
        audio = DecodedAudio(rate=rate)
        try:
            _decode_into(audio, container, stream, channels, layout, max_seconds)
        except BaseException:
            audio.close()
            raise
    return audio


def _too_long(max_seconds):
    hours, rest = divmod(int(max_seconds), 3600)
    limit = f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"
    return f"The audio is longer than the limit of {limit}."


def _decode_into(audio, container, stream, channels, layout, max_seconds):
    # Closed by DecodedAudio.close(), which the caller's `with` calls.
    files = [tempfile.TemporaryFile(prefix="closecalls-audio-") for _ in range(channels)]  # noqa: SIM115
    audio.files.extend(files)
    resampler = av.AudioResampler(format="s16p", layout=layout, rate=audio.rate)
    limit = int(max_seconds * audio.rate)
    written = 0
    try:
        for frame in container.decode(stream):
            for chunk in resampler.resample(frame):
                written += _write(chunk, files)
            if written > limit:
                raise AudioError(_too_long(max_seconds))
        for chunk in resampler.resample(None):
            written += _write(chunk, files)
    except av.FFmpegError as error:
        raise AudioError("The file is damaged: its audio could not be decoded.") from error
    for file in files:
        file.flush()
    if written > limit:
        raise AudioError(_too_long(max_seconds))
    if not written:
        raise AudioError("The audio is empty.")
    tracks = [np.memmap(file, dtype=np.int16, mode="r", shape=(written,)) for file in files]
    if channels == 2 and _same_channels(*tracks):
        tracks = tracks[:1]
    audio.tracks = [
        Track(samples, silent=_level_dbfs(samples, audio.rate) < SILENCE_DBFS) for samples in tracks
    ]
    if all(track.silent for track in audio.tracks):
        raise AudioError("The audio is silent: nobody speaks in it.")


def _write(chunk, files):
    planes = chunk.to_ndarray()
    for plane, file in zip(planes, files, strict=True):
        file.write(plane.tobytes())
    return planes.shape[1]
