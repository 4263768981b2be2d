"""What the transcription app hears of the write path (settings.CHANGE_RECEIVERS)."""

import functools

from django.db import transaction

from activities.models import Call
from core.changes import DELETED
from transcription import services
from transcription.engines import enabled

AUDIO_FIELDS = {kind: {f"{kind}_file", f"{kind}_url"} for kind in services.KINDS}


def transcribe_new_audio(change):
    """Queue a transcription of a call's new or replaced recording or voicemail.

    Once the change commits: a transcript sent with the call (as the API allows) is written in
    the same transaction, after the call itself, and then no job is queued.
    """
    if change.model is not Call or change.action == DELETED or not enabled():
        return
    for kind, fields in AUDIO_FIELDS.items():
        if change.changed & fields and services.audio_source(change.instance, kind):
            transaction.on_commit(
                functools.partial(services.request_for_new_audio, change.pk, kind), robust=True
            )
