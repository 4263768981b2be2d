"""What the search app hears of the write path (settings.CHANGE_RECEIVERS)."""

from activities.models import Call, Transcript
from core.changes import CREATED, DELETED
from search import index


def keep_index(change):
    """Index a transcript's utterances and a call's note as they are written, in the same
    transaction. Deleted ones leave the index with their rows (the foreign keys cascade)."""
    if change.action == DELETED:
        return
    replace = change.action != CREATED
    if change.model is Transcript and "utterances" in change.changed:
        index.index_transcript(change.instance, replace=replace)
    elif change.model is Call and "note" in change.changed:
        index.index_note(change.instance, replace=replace)
