from django.apps import AppConfig


class TranscriptionConfig(AppConfig):
    name = "transcription"
    verbose_name = "Transcription"

    def ready(self):
        from transcription import checks  # noqa: F401 (registers the engine's check)
