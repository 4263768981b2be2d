"""The search index: one row per utterance of every transcript, and one per call note.

The rows are kept by `search.receivers` inside the transaction that writes a transcript or a
note (core/changes.py), so the index never says what the call no longer says; a row goes with
its transcript or call (CASCADE) whoever deletes them, and each row keeps a copy of its call's
`activity_at`, changed with it. `manage.py rebuild_search_index` writes them all again from the
calls and transcripts. How they are written and matched depends on the database
(search/backends.py): PostgreSQL keeps each row's `vector` (a `tsvector`, GIN-indexed); SQLite
leaves it empty and indexes the text in an FTS5 table, `search_entry_fts`.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from accounts.models import Organization
from activities.models import Call, Transcript


class Entry(models.Model):
    """One searchable piece of a call: an utterance of one of its transcripts, or its note."""

    class Kind(models.TextChoices):
        RECORDING = "recording", "Recording"  # the transcripts' kinds (Transcript.Kind)
        VOICEMAIL = "voicemail", "Voicemail"
        NOTE = "note", "Note"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+", db_index=False)
    transcript = models.ForeignKey(
        Transcript, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    position = models.PositiveIntegerField(
        help_text="The utterance's place in its transcript, from 0; 0 for a note."
    )
    speaker_side = models.CharField(max_length=16, blank=True)
    speaker_label = models.TextField(blank=True)
    start = models.FloatField(null=True, blank=True, help_text="Seconds; none for a note.")
    end = models.FloatField(null=True, blank=True)
    text = models.TextField(help_text="As said or written, without the fragments' markers.")
    activity_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="The call's, kept with it: the newest-first order and the date filters need "
        "not read the calls.",
    )
    vector = SearchVectorField(
        null=True, editable=False, help_text="PostgreSQL's tsvector of the text; SQLite: empty."
    )

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            # Also the index that finds a call's rows (call_id leads it).
            models.UniqueConstraint(
                fields=["call", "kind", "position"], name="one_search_entry_per_place"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.position} of {self.call_id}"
