"""What the search app hears of the write path (settings.CHANGE_RECEIVERS).

`keep_index` is the one way in for every writer of transcripts and notes: the API, the pages,
the admin, the transcription job and the demo write through `activities.services`, which
announces each change, and so does a writer of many calls at once (an importer's batch),
which announces the calls it creates or changes together (heard by `keep_index_of`). A
writer has nothing of search's to call, and must not (the layers: search is a room of its
own, tests/test_layers.py).
"""

from activities.models import Call, Transcript
from core.changes import CREATED, DELETED, batch_form
from search import index


def keep_index_of(changes):
    """`keep_index` for a batch (core.changes.announce_all): the notes of its calls written in
    one INSERT (and, for those that had one, one DELETE first)."""
    new_notes, changed_notes = [], []
    for change in changes:
        if change.action == DELETED:
            continue
        replace = change.action != CREATED
        if change.model is Transcript and "utterances" in change.changed:
            index.index_transcript(change.instance, replace=replace)
        elif change.model is Call and "note" in change.changed:
            (changed_notes if replace else new_notes).append(change.instance)
        if change.model is Call and replace and "activity_at" in change.changed:
            index.move_call(change.instance)
    if new_notes:
        index.index_notes(new_notes, replace=False)
    if changed_notes:
        index.index_notes(changed_notes, replace=True)


@batch_form(keep_index_of)
def keep_index(change):
    """Index a transcript's utterances and a call's note as they are written, in the same
    transaction, and give a call's rows its new time. Deleted ones leave the index with their
    rows (the foreign keys cascade)."""
    keep_index_of([change])
