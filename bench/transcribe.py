"""How much CPU transcription costs: `python -m bench.transcribe`.

For each engine that can run here (pocketsphinx always; faster-whisper when it is installed and
TRANSCRIPTION_WHISPER_MODEL points at a model), it transcribes the scripted sales call of the
tests, said BENCH_TRANSCRIBE_TIMES times over (default 4: about two and a half minutes), as a
worker does: PyAV decodes and resamples, the engine hears each channel, utterances are built.
It runs on one CPU core (sched_setaffinity) and reports the real-time factor: seconds of CPU
per second of audio, for the whole job. A worker keeps up with RTF x 3600 seconds of CPU per
hour of calls; the target for pocketsphinx is at most 0.3. Also the share of the script's
words recognized. Needs espeak-ng and sox, as the tests do. Writes bench/results/transcribe.json.
"""

import os
import tempfile
import time
from pathlib import Path

import django
import orjson

RESULTS = Path(__file__).resolve().parent / "results" / "transcribe.json"


def _inputs(folder, times):
    """Write the sales call in the forms a dialer delivers; return {name: path}."""
    from transcription import synthetic

    conversation = synthetic.speak(synthetic.SALES_CALL * times)
    stereo, mono = folder / "stereo.wav", folder / "mono.wav"
    stereo.write_bytes(conversation.wav())
    mono.write_bytes(conversation.wav(stereo=False))
    inputs = {
        "stereo WAV, 22.05 kHz": stereo,
        "stereo MP3, 22.05 kHz": folder / "stereo.mp3",
        "stereo WAV, 8 kHz (phone)": folder / "phone.wav",
        "mono WAV, 22.05 kHz": mono,
    }
    synthetic.convert(stereo, inputs["stereo MP3, 22.05 kHz"])
    synthetic.convert(stereo, inputs["stereo WAV, 8 kHz (phone)"], "-r", "8000")
    return inputs, conversation


def _engines():
    from transcription.engines import Engine, get_engine

    usable = {}
    for name in sorted(Engine.engines):
        engine = get_engine(name)
        if name != "none" and not engine.problems():
            usable[name] = engine
    return usable


def measure(engine, path, spoken):
    from transcription.services import utterances_of
    from transcription.synthetic import word_recall
    from transcription.utterances import CONTACT, REP, Speaker

    def speakers(stereo):
        return (
            (Speaker(REP, "Rep"), Speaker(CONTACT, "Contact"))
            if stereo
            else (Speaker(CONTACT, "?"),)
        )

    started, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as file:
        utterances, seconds = utterances_of(file, engine=engine, speakers=speakers)
    cpu = time.process_time() - cpu
    return {
        "audio_seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "real_time_factor": round(cpu / seconds, 3),
        "utterances": len(utterances),
        "word_recall": round(word_recall(spoken, utterances), 3),
    }


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closecalls.settings")
    django.setup()
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as a worker has
    times = int(os.environ.get("BENCH_TRANSCRIBE_TIMES", "4"))
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-transcribe-") as folder:
        inputs, conversation = _inputs(Path(folder), times)
        engines = _engines()
        for name, engine in engines.items():
            engine.transcribe(conversation.left[: conversation.rate])  # load the model first
            for label, path in inputs.items():
                row = {"engine": name, "input": label, **measure(engine, path, conversation.spoken)}
                results.append(row)
                print(
                    f"{name:14} {label:26} {row['audio_seconds']:7.1f} s of audio  "
                    f"{row['cpu_seconds']:6.1f} s CPU  RTF {row['real_time_factor']:.3f}  "
                    f"recall {row['word_recall']:.2f}",
                    flush=True,
                )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_bytes(
        orjson.dumps(
            {"cpu": _cpu_model(), "times": times, "results": results}, option=orjson.OPT_INDENT_2
        )
    )
    print(f"Wrote {RESULTS}")


def _cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return ""


if __name__ == "__main__":
    main()
