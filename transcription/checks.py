"""The chosen engine's problems as system-check errors: `manage.py check`, the web server's and
the worker's startup all show them, and the worker does not start with them."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from transcription.engines import get_engine


def engine_problems():
    """Return what keeps the chosen engine from working, as sentences."""
    try:
        return get_engine().problems()
    except ImproperlyConfigured as error:
        return [str(error)]


@checks.register("transcription")
def check_engine(app_configs=None, **kwargs):
    return [
        checks.Error(
            problem,
            hint="Fix TRANSCRIPTION_ENGINE and its settings (README, Transcription), "
            "or set TRANSCRIPTION_ENGINE=none.",
            id="transcription.E001",
        )
        for problem in engine_problems()
    ]
