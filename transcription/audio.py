"""Decoding a recording into what an engine hears, and the reason when it cannot be.

Whatever cannot be transcribed raises AudioError with a reason a rep can read: no audio,
undecodable, empty, silent, longer than the limit.

The decoding itself is `transcription.decoding`, imported by `decode` when first called: PyAV
and numpy (about 40 MB of a process's memory) stay out of the web workers, which import this
module (for AudioError, through the services) and never decode.
"""


class AudioError(Exception):
    """The audio cannot be transcribed; the message says why, for the rep."""


def decode(source, *, rate, max_seconds):
    """Decode `source` into a DecodedAudio at `rate`: `transcription.decoding.decode`."""
    from transcription import decoding

    return decoding.decode(source, rate=rate, max_seconds=max_seconds)
