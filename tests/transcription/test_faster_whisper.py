"""The faster-whisper engine's side of the bargain, without a model (none can be downloaded
here): it loads the operator's directory and nothing else, and turns Whisper's words into ours.

`faster_whisper` is replaced by a stand-in that answers as its WhisperModel does.
"""

import sys
import types
from collections import namedtuple

import numpy as np
import pytest

from transcription.engines import Engine, Word

WhisperWord = namedtuple("WhisperWord", "start end word probability")
Segment = namedtuple("Segment", "start end text words")


class StandInModel:
    def __init__(self, model_size_or_path, **options):
        self.path, self.options = model_size_or_path, options
        StandInModel.loaded.append(self)

    def transcribe(self, audio, **options):
        self.audio, self.transcribed_with = audio, options
        segments = [
            Segment(0.4, 1.5, " Hello, there.", [
                WhisperWord(0.5, 0.9, " Hello,", 0.9), WhisperWord(1.0, 1.43, " there.", 0.8)
            ]),
            Segment(2.0, 2.2, " ", [WhisperWord(2.0, 2.1, " ", 0.1)]),
        ]  # fmt: skip
        return iter(segments), types.SimpleNamespace(language="en")


@pytest.fixture
def engine(monkeypatch, settings, tmp_path):
    StandInModel.loaded = []
    monkeypatch.setitem(
        sys.modules, "faster_whisper", types.SimpleNamespace(WhisperModel=StandInModel)
    )
    settings.TRANSCRIPTION_WHISPER_MODEL = str(tmp_path)
    for name in ("config.json", "model.bin"):
        (tmp_path / name).write_bytes(b"{}")
    return Engine.engines["faster-whisper"]()


def test_a_model_directory_with_the_package_installed_is_ready(engine):
    assert engine.problems() == []


def test_the_model_is_loaded_from_the_directory_only_once_and_never_downloaded(engine, tmp_path):
    engine.transcribe(np.zeros(16000, np.int16))
    engine.transcribe(np.zeros(16000, np.int16))

    [model] = StandInModel.loaded
    assert model.path == str(tmp_path)
    assert model.options == {
        "device": "cpu",
        "compute_type": "int8",
        "cpu_threads": 1,
        "local_files_only": True,
    }


def test_whispers_words_become_timed_words(engine):
    samples = np.array([0, 16384, -32768, 32767], np.int16)

    words = engine.transcribe(samples)

    assert words == [Word(0.5, 0.9, "Hello,"), Word(1.0, 1.43, "there.")]
    model = StandInModel.loaded[0]
    assert model.audio.dtype == np.float32
    assert model.audio.tolist() == pytest.approx([0, 0.5, -1, 32767 / 32768])
    assert model.transcribed_with == {"language": "en", "word_timestamps": True, "vad_filter": True}
