"""Speech recognition engines behind one small interface: samples in, timed words out.

An engine is one subclass of Engine with a `name`; settings.TRANSCRIPTION_ENGINE picks one by
that name. It is given one channel at a time, as 16-bit mono PCM at its `sample_rate`, and
returns the words it heard with their start and end in seconds. `problems()` lists what keeps
it from working (a missing package or model), for the system check and the worker's startup.
"""

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    text: str


class Engine:
    name = ""
    sample_rate = 16000
    engines = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Engine.engines[cls.name] = cls

    def problems(self):
        """Return what keeps this engine from transcribing, as sentences; [] when it can."""
        return []

    def transcribe(self, samples):
        """Return the Words spoken in `samples` (int16 mono at `sample_rate`), in order."""
        raise NotImplementedError


class NoEngine(Engine):
    """Transcribes nothing: jobs are not queued at all when this engine is chosen."""

    name = "none"

    def transcribe(self, samples):
        return []


class PocketsphinxEngine(Engine):
    """CMU PocketSphinx with the US English model that ships inside its wheel: works offline.

    Speech is cut into utterances by the package's voice activity detector, and each is decoded
    on its own, so silence costs almost nothing and a long call never becomes one huge search.
    """

    name = "pocketsphinx"
    MAX_UTTERANCE_SECONDS = 30

    def __init__(self):
        self._decoder = None
        self._lock = threading.Lock()

    def problems(self):
        try:
            import pocketsphinx
        except ImportError:
            return ["The pocketsphinx package is not installed: pip install pocketsphinx."]
        if not Path(pocketsphinx.get_model_path("en-us")).is_dir():
            return ["pocketsphinx's English model is missing from its installation."]
        return []

    def _get_decoder(self):
        if self._decoder is None:
            from pocketsphinx import Decoder

            self._decoder = Decoder(samprate=self.sample_rate, loglevel="FATAL")
        return self._decoder

    def transcribe(self, samples):
        import numpy as np
        from pocketsphinx import Endpointer

        with self._lock:
            decoder = self._get_decoder()
            frame_rate = decoder.config["frate"]
            endpointer = Endpointer(sample_rate=self.sample_rate)
            size = endpointer.frame_bytes // 2
            words, start, speech = [], None, 0
            for offset in range(0, len(samples), size):
                frame = np.ascontiguousarray(samples[offset : offset + size]).tobytes()
                was_speaking = endpointer.in_speech
                if len(frame) < endpointer.frame_bytes:
                    voiced = endpointer.end_stream(frame)
                else:
                    voiced = endpointer.process(frame)
                if voiced is None:
                    continue
                if not was_speaking:
                    decoder.start_utt()
                    start, speech = endpointer.speech_start, 0
                decoder.process_raw(voiced)
                speech += len(voiced) // 2
                if (
                    not endpointer.in_speech
                    or speech > self.MAX_UTTERANCE_SECONDS * self.sample_rate
                ):
                    decoder.end_utt()
                    words.extend(self._words(decoder, start, frame_rate))
                    if endpointer.in_speech:  # cut a long stretch of speech, go on
                        decoder.start_utt()
                        start, speech = start + speech / self.sample_rate, 0
            if endpointer.in_speech:
                decoder.end_utt()
                words.extend(self._words(decoder, start, frame_rate))
        return words

    @staticmethod
    def _words(decoder, offset, frame_rate):
        for segment in decoder.seg():
            text = segment.word
            if text.startswith(("<", "[")) or text == "<sil>":
                continue  # silence, sentence marks, [NOISE]
            yield Word(
                start=round(offset + segment.start_frame / frame_rate, 2),
                end=round(offset + (segment.end_frame + 1) / frame_rate, 2),
                text=text.split("(")[0],  # "the(2)" is the second pronunciation of "the"
            )


class FasterWhisperEngine(Engine):
    """Whisper through faster-whisper (CTranslate2), from a model directory the operator gives.

    Nothing is downloaded: settings.TRANSCRIPTION_WHISPER_MODEL is the path of a converted
    model (config.json, model.bin, tokenizer.json, vocabulary...). The package is optional:
    pip install faster-whisper.
    """

    name = "faster-whisper"
    MODEL_FILES = ("config.json", "model.bin")

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()

    @property
    def model_path(self):
        return settings.TRANSCRIPTION_WHISPER_MODEL

    def problems(self):
        problems = []
        try:
            import faster_whisper  # noqa: F401
        except ImportError:
            problems.append(
                "The faster-whisper package is not installed: pip install faster-whisper."
            )
        path = Path(self.model_path) if self.model_path else None
        if path is None:
            problems.append("TRANSCRIPTION_WHISPER_MODEL is not set: give a model directory.")
        elif not path.is_dir():
            problems.append(f"TRANSCRIPTION_WHISPER_MODEL: {path} is not a directory.")
        else:
            missing = [name for name in self.MODEL_FILES if not (path / name).is_file()]
            if missing:
                problems.append(
                    f"TRANSCRIPTION_WHISPER_MODEL: {path} is not a CTranslate2 model "
                    f"(no {', '.join(missing)})."
                )
        return problems

    def transcribe(self, samples):
        import numpy as np

        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    self.model_path,
                    device="cpu",
                    compute_type=settings.TRANSCRIPTION_WHISPER_COMPUTE_TYPE,
                    cpu_threads=settings.TRANSCRIPTION_THREADS,
                    local_files_only=True,
                )
            audio = np.asarray(samples, dtype=np.float32) / 32768.0
            segments, _ = self._model.transcribe(
                audio,
                language=settings.TRANSCRIPTION_LANGUAGE or None,
                word_timestamps=True,
                vad_filter=True,
            )
            return [
                Word(round(word.start, 2), round(word.end, 2), word.word.strip())
                for segment in segments
                for word in segment.words or ()
                if word.word.strip()
            ]


@cache
def _engine(name):
    return Engine.engines[name]()


def get_engine(name=None):
    """Return the engine named `name` (by default the chosen one), one instance per process."""
    name = name or settings.TRANSCRIPTION_ENGINE
    if name not in Engine.engines:
        choices = ", ".join(sorted(Engine.engines))
        raise ImproperlyConfigured(f"TRANSCRIPTION_ENGINE: unknown engine {name!r} ({choices}).")
    return _engine(name)


def enabled():
    return NoEngine.name != settings.TRANSCRIPTION_ENGINE
