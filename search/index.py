"""Writing the search index (search/models.py): a transcript's utterances, a call's note, or
everything again. Each write is one INSERT … SELECT from the transcript or call as stored, the
same statement for one row and for a million (search/backends.py)."""

from django.db import connection, transaction

from search.backends import backend
from search.models import Entry


def _insert(rows, where, params=()):
    engine = backend()
    with connection.cursor() as cursor:
        cursor.execute(engine.insert_sql(rows, where), engine.insert_params(params))


def index_transcript(transcript, *, replace=True):
    """Index `transcript`'s utterances, in place of what it said before when `replace`."""
    if replace:
        Entry.objects.filter(transcript=transcript).delete()
    if transcript.utterances:
        _insert(backend().UTTERANCES, "t.id = %s", [transcript.pk])


def index_note(call, *, replace=True):
    """Index `call`'s note (if it has one), in place of the one it had when `replace`."""
    index_notes([call], replace=replace)


def index_notes(calls, *, replace=True):
    """`index_note` for many calls at once: one DELETE (when `replace`), one INSERT."""
    if replace:
        Entry.objects.filter(call__in=[call.pk for call in calls], kind=Entry.Kind.NOTE).delete()
    noted = [call.pk for call in calls if call.note]
    if noted:
        _insert(backend().NOTES, f"c.id IN ({', '.join(['%s'] * len(noted))})", noted)


def move_call(call):
    """Give `call`'s rows its `activity_at`, as it is now."""
    Entry.objects.filter(call=call).update(activity_at=call.activity_at)


@transaction.atomic
def rebuild(organization=None):
    """Write the index again from every transcript and note (of `organization`, if given);
    return how many rows it has."""
    engine = backend()
    entries = Entry.objects.all()
    transcripts, notes, params = "1 = 1", "1 = 1", []
    if organization is not None:
        entries = entries.filter(organization=organization)
        transcripts, notes = "t.organization_id = %s", "c.organization_id = %s"
        params = [organization.pk]
    with connection.cursor() as cursor:
        engine.before_rebuild(cursor)
    entries.delete()
    _insert(engine.UTTERANCES, transcripts, params)
    _insert(engine.NOTES, notes, params)
    with connection.cursor() as cursor:
        engine.after_rebuild(cursor)
    return entries.count()
