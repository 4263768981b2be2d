"""The transcription job, run by the workers of the jobs app."""

from core.safe_http import FetchError
from jobs import PermanentError, TransientError, job
from transcription import services
from transcription.audio import AudioError


@job
def transcribe_call(call_id, kind, audio=None):
    """Transcribe a call's recording or voicemail (services.transcribe); explain any failure."""
    try:
        services.transcribe(call_id, kind, audio)
    except (AudioError, services.EngineUnavailable) as error:
        raise PermanentError(str(error)) from error
    except FetchError as error:
        reason = f"The audio could not be downloaded: {error}"
        if error.transient:
            raise TransientError(reason) from error
        raise PermanentError(reason) from error
