"""The transcription state shown on a call's row, its page and its transcript page.

Each kind of audio a call has is in one of these states, read from the newest job for that
audio (jobs are keyed by it): queued, transcribing, done or failed (with the reason). A panel
is one query for a whole page of calls.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from activities.models import Transcript
from activities.panels import CALL, TIMELINE, TRANSCRIPT
from jobs import latest_jobs
from transcription import services
from transcription.engines import enabled

TEMPLATE = "transcription/panel.html"
# A page the panel is fetched alone for, to replace itself as the state changes (panel.js).
UPDATE = "update"
PREVIEW_UTTERANCES = 4
STATUS = {"queued": "queued", "running": "transcribing", "done": "done", "failed": "failed"}


@dataclass
class KindState:
    kind: str
    status: str  # queued, transcribing, done, failed, or "" (never transcribed)
    reason: str = ""
    action: str = ""  # the button's label: "Retry", "Transcribe again", "Transcribe"
    preview: list = field(default_factory=list)

    @property
    def label(self):
        return Transcript.Kind(self.kind).label

    @property
    def pending(self):
        return self.status in ("queued", "transcribing")


def transcription_panel(calls, *, page):
    """Return {call id: (TEMPLATE, context)} for the calls whose audio has a state to show.

    The timeline and the transcript page show only jobs at work or failed (a done transcript
    is linked from the one and shown by the other); the call's page shows every state, with
    "Transcribe again"; the panel fetched alone shows a finished transcript's first utterances.
    """
    keys = {
        (call.id, kind): services.job_key(call, kind) for call in calls for kind in services.KINDS
    }
    if not any(keys.values()):
        return {}  # no call here has audio
    jobs = latest_jobs([key for key in keys.values() if key])
    transcripts = _transcripts(calls) if page in (CALL, UPDATE) else {}
    panels = {}
    for call in calls:
        states = []
        for kind in services.KINDS:
            if not keys[call.id, kind]:
                continue
            job = jobs.get(keys[call.id, kind])
            state = _state(kind, job, transcripts.get((call.id, kind)), page)
            if state is not None:
                states.append(state)
        if states:
            panels[call.id] = (TEMPLATE, _context(call, states, page))
    return panels


def _transcripts(calls):
    rows = Transcript.objects.filter(call__in=[call.id for call in calls]).select_related("machine")
    return {(transcript.call_id, transcript.kind): transcript for transcript in rows}


def _state(kind, job, transcript, page):
    state = KindState(kind, STATUS[job.status] if job is not None else "")
    if state.status == "failed" or (state.status == "queued" and job.is_retrying):
        state.reason = job.reason
    if state.status == "failed":
        state.action = "Retry"
    elif not state.pending:
        state.status = "done" if transcript is not None else ""
    if page in (TIMELINE, TRANSCRIPT):
        # A done transcript has its link on the timeline, and is itself the transcript page.
        return state if state.status in ("queued", "transcribing", "failed") else None
    if state.status == "done" and page == UPDATE:
        state.preview = transcript.utterances[:PREVIEW_UTTERANCES]
    ready = page == CALL and not state.action and not state.pending and enabled()
    if ready and services.replaceable(transcript):
        state.action = "Transcribe again" if transcript is not None else "Transcribe"
    return state if state.status or state.action else None


def _context(call, states, page):
    return {
        "states": states,
        "page": page,
        "pending": any(state.pending for state in states),
        "poll_url": reverse("transcription:panel", args=[call.id]),
        "action_url": reverse("transcription:transcribe", args=[call.id]),
        "transcript_url": reverse("activities:call_transcript", args=[call.id]),
    }
