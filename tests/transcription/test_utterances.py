"""Utterances from timed words: a new one at a change of side or after a long pause."""

from transcription.engines import Word
from transcription.utterances import CONTACT, REP, Speaker, build_utterances

REP_ALICE = Speaker(REP, "Alice Archer")
CONTACT_BRUCE = Speaker(CONTACT, "Bruce Wayne")


def _words(*timed):
    return [Word(start, end, text) for start, end, text in timed]


def test_words_close_together_make_one_utterance():
    heard = [(REP_ALICE, _words((0.5, 0.9, "hello"), (1.2, 1.6, "there"), (2.3, 2.8, "bruce")))]

    assert build_utterances(heard, pause=0.8) == [
        {
            "speaker_label": "Alice Archer",
            "speaker_side": "close-user",
            "start": 0.5,
            "end": 2.8,
            "text": "hello there bruce",
        }
    ]


def test_a_pause_longer_than_the_setting_starts_a_new_utterance():
    heard = [(REP_ALICE, _words((0.0, 0.5, "hello"), (1.4, 1.9, "anyone"), (2.6, 3.0, "there")))]

    utterances = build_utterances(heard, pause=0.8)

    assert [(u["start"], u["end"], u["text"]) for u in utterances] == [
        (0.0, 0.5, "hello"),
        (1.4, 3.0, "anyone there"),
    ]


def test_the_sides_take_turns_in_time_order():
    heard = [
        (REP_ALICE, _words((0.0, 1.0, "hello"), (4.0, 5.0, "great"))),
        (CONTACT_BRUCE, _words((2.0, 3.0, "hi"), (6.0, 7.0, "bye"))),
    ]

    utterances = build_utterances(heard, pause=0.8)

    assert [(u["speaker_label"], u["text"]) for u in utterances] == [
        ("Alice Archer", "hello"),
        ("Bruce Wayne", "hi"),
        ("Alice Archer", "great"),
        ("Bruce Wayne", "bye"),
    ]


def test_a_short_reply_over_someone_speaking_does_not_cut_them():
    heard = [
        (REP_ALICE, _words((0.0, 0.4, "we"), (0.5, 0.9, "ship"), (1.0, 1.5, "tomorrow"))),
        (CONTACT_BRUCE, _words((0.6, 0.8, "okay"))),
    ]

    utterances = build_utterances(heard, pause=0.8)

    assert [(u["speaker_label"], u["text"]) for u in utterances] == [
        ("Alice Archer", "we ship tomorrow"),
        ("Bruce Wayne", "okay"),
    ]


def test_nothing_heard_is_no_utterance():
    assert build_utterances([(REP_ALICE, []), (CONTACT_BRUCE, [])], pause=0.8) == []
