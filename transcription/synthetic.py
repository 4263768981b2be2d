"""Scripted phone calls spoken by espeak-ng: the audio of the tests, the benchmark and the demo.

Each line of a script is spoken on its own by Debian's `espeak-ng`, then placed on the rep's
channel (left) or the contact's (right) after the pause the script gives, so the time at which
each line starts and ends is known to the millisecond. `sox` makes the MP3 copies. Neither is
needed to run closecalls, only to make this audio.
"""

import io
import re
import subprocess
import wave
from collections import Counter
from dataclasses import dataclass

import av
import numpy as np

from transcription.utterances import CONTACT, REP

RATE = 22050  # what espeak-ng speaks at
VOICES = {REP: "en-us+m1", CONTACT: "en-us+f3"}
SPEED = 140  # words per minute
# Samples quieter than this (of 32768) at the start and end of a spoken line are its silence.
SPEECH_LEVEL = 300


@dataclass(frozen=True)
class Line:
    side: str
    text: str
    pause: float = 1.2  # seconds of silence before the line


@dataclass(frozen=True)
class Spoken:
    side: str
    text: str
    start: float
    end: float


@dataclass
class Conversation:
    left: np.ndarray
    right: np.ndarray
    spoken: list
    rate: int = RATE

    @property
    def duration(self):
        return len(self.left) / self.rate

    def mono(self):
        mixed = self.left.astype(np.int32) + self.right.astype(np.int32)
        return np.clip(mixed, -32768, 32767).astype(np.int16)

    def wav(self, *, stereo=True):
        """Return the conversation as WAV bytes, two channels or mixed down to one."""
        channels = [self.left, self.right] if stereo else [self.mono()]
        return wav_bytes(channels, self.rate)


# A sales call: the rep's and the contact's turns, with a second turn of the rep after a long
# pause, which makes a new utterance on the same side.
SALES_CALL = (
    Line(
        REP, "Hello, this is Alice from Acme. Do you have a minute to talk about your order?", 0.5
    ),
    Line(CONTACT, "Yes, I have a few minutes right now."),
    Line(REP, "Great. We can ship the new phones next week."),
    Line(CONTACT, "That sounds good. How much are ten of them?"),
    Line(REP, "The price is two hundred dollars each."),
    Line(REP, "And the delivery is free.", 1.6),
    Line(CONTACT, "Please send me the details by email."),
    Line(REP, "I will send them today. Thank you for your time."),
    Line(CONTACT, "Thank you. Goodbye.", 1.0),
)


def say(text, voice, *, speed=SPEED):
    """Return `text` spoken by espeak-ng with `voice`, as int16 samples at RATE, trimmed."""
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "--stdout", text],
        check=True,
        capture_output=True,
    )
    with wave.open(io.BytesIO(result.stdout)) as audio:
        samples = np.frombuffer(audio.readframes(audio.getnframes()), dtype=np.int16)
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SPEECH_LEVEL)
    return samples[loud[0] : loud[-1] + 1] if len(loud) else samples[:0]


def speak(lines, *, voices=VOICES, tail=0.5):
    """Return the Conversation of `lines`: each spoken on its side's channel, in turn."""
    pieces, spoken, at = [], [], 0.0
    for line in lines:
        samples = say(line.text, voices[line.side])
        start = at + line.pause
        pieces.append((line.side, int(round(start * RATE)), samples))
        at = start + len(samples) / RATE
        spoken.append(Spoken(line.side, line.text, round(start, 3), round(at, 3)))
    total = int(round((at + tail) * RATE))
    channels = {REP: np.zeros(total, np.int16), CONTACT: np.zeros(total, np.int16)}
    for side, offset, samples in pieces:
        channels[side][offset : offset + len(samples)] = samples
    return Conversation(channels[REP], channels[CONTACT], spoken)


def wav_bytes(channels, rate):
    """Return 16-bit WAV bytes of `channels` (equal-length int16 arrays), interleaved."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(len(channels))
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(np.stack(channels, axis=1).astype("<i2").tobytes())
    return buffer.getvalue()


def convert(source, target, *options):
    """Convert the audio file `source` to `target` with sox; the format follows its suffix."""
    subprocess.run(["sox", str(source), *options, str(target)], check=True, capture_output=True)


def transcode(source, target, *, codec, rate, container=None, bit_rate=None):
    """Re-encode the audio file `source` into `target` with PyAV: `codec` ("libopus", "aac",
    "flac"...) at `rate`, keeping its channels. `container` defaults to the target's suffix."""
    with av.open(str(source)) as reader, av.open(str(target), "w", format=container) as writer:
        stream_in = reader.streams.audio[0]
        layout = "stereo" if stream_in.codec_context.channels == 2 else "mono"
        stream_out = writer.add_stream(codec, rate=rate, layout=layout)
        if bit_rate:
            stream_out.bit_rate = bit_rate
        resampler = av.AudioResampler(
            format=stream_out.codec_context.format.name, layout=layout, rate=rate
        )
        frames = [*reader.decode(stream_in), None]
        for frame in frames:
            for resampled in resampler.resample(frame):
                writer.mux(stream_out.encode(resampled))
        writer.mux(stream_out.encode(None))


def words(text):
    return re.findall(r"[a-z']+", text.lower())


def word_recall(spoken, utterances):
    """The share of the script's words found in the utterances (each found at most as often
    as it was said), whatever their order."""
    said = Counter(word for line in spoken for word in words(line.text))
    heard = Counter(word for utterance in utterances for word in words(utterance["text"]))
    return sum((said & heard).values()) / sum(said.values())
