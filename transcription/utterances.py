"""Turning timed words into a transcript's utterances, as Close shapes them."""

from dataclasses import dataclass

REP, CONTACT = "close-user", "contact"


@dataclass(frozen=True)
class Speaker:
    side: str
    label: str


def build_utterances(heard, *, pause):
    """Return the utterances of `heard`: [(Speaker, [Word, ...]), ...], one entry per channel.

    Each speaker's words make a new utterance after a silence longer than `pause` seconds;
    the speakers' utterances are then merged by their start, so a change of side starts a new
    one too, and someone speaking over the other does not cut either in pieces.
    """
    utterances = []
    for speaker, words in heard:
        current = []
        for word in sorted(words, key=lambda word: word.start):
            if current and word.start - current[-1].end > pause:
                utterances.append(_utterance(speaker, current))
                current = []
            current.append(word)
        if current:
            utterances.append(_utterance(speaker, current))
    return sorted(utterances, key=lambda utterance: (utterance["start"], utterance["end"]))


def _utterance(speaker, words):
    return {
        "speaker_label": speaker.label,
        "speaker_side": speaker.side,
        "start": words[0].start,
        "end": max(word.end for word in words),
        "text": " ".join(word.text for word in words),
    }
