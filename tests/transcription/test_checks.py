"""The chosen engine's problems: system-check errors (the worker does not start with them)."""

import importlib.util

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from transcription.checks import check_engine


def _messages(settings, **overrides):
    for name, value in overrides.items():
        setattr(settings, name, value)
    return [error.msg for error in check_engine()]


def test_pocketsphinx_works_as_installed(settings):
    assert _messages(settings, TRANSCRIPTION_ENGINE="pocketsphinx") == []


def test_none_needs_nothing(settings):
    assert _messages(settings, TRANSCRIPTION_ENGINE="none") == []


def test_an_unknown_engine_is_named_with_the_choices(settings):
    assert _messages(settings, TRANSCRIPTION_ENGINE="vosk") == [
        "TRANSCRIPTION_ENGINE: unknown engine 'vosk' (faster-whisper, none, pocketsphinx)."
    ]


def test_faster_whisper_without_a_model_directory_says_so(settings):
    problems = _messages(
        settings, TRANSCRIPTION_ENGINE="faster-whisper", TRANSCRIPTION_WHISPER_MODEL=""
    )

    assert "TRANSCRIPTION_WHISPER_MODEL is not set: give a model directory." in problems


def test_faster_whisper_with_a_missing_directory_says_so(settings, tmp_path):
    problems = _messages(
        settings,
        TRANSCRIPTION_ENGINE="faster-whisper",
        TRANSCRIPTION_WHISPER_MODEL=str(tmp_path / "nowhere"),
    )

    assert f"TRANSCRIPTION_WHISPER_MODEL: {tmp_path / 'nowhere'} is not a directory." in problems


def test_faster_whisper_with_a_directory_that_is_not_a_model_says_so(settings, tmp_path):
    (tmp_path / "config.json").write_text("{}")

    problems = _messages(
        settings, TRANSCRIPTION_ENGINE="faster-whisper", TRANSCRIPTION_WHISPER_MODEL=str(tmp_path)
    )

    assert (
        f"TRANSCRIPTION_WHISPER_MODEL: {tmp_path} is not a CTranslate2 model (no model.bin)."
        in problems
    )


def test_faster_whisper_not_installed_says_how_to_install_it(settings, tmp_path):
    if importlib.util.find_spec("faster_whisper") is not None:  # an optional package
        pytest.skip("faster-whisper is installed here")

    problems = _messages(
        settings, TRANSCRIPTION_ENGINE="faster-whisper", TRANSCRIPTION_WHISPER_MODEL=str(tmp_path)
    )

    assert "The faster-whisper package is not installed: pip install faster-whisper." in problems


def test_manage_py_check_fails_on_a_broken_engine(settings):
    settings.TRANSCRIPTION_ENGINE = "faster-whisper"
    settings.TRANSCRIPTION_WHISPER_MODEL = ""

    with pytest.raises(SystemCheckError, match="transcription.E001"):
        call_command("check")
