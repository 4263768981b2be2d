"""Writing calls: the one path the API, the rep's forms and the admin all take.

Each function runs in one transaction, applies the note coupling, validates the call with
`Call.full_clean()` (the seed's rules live in `Call.clean`) and writes only what changed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.audio_files import delete_on_commit
from activities.models import Call, Transcript
from activities.notes import couple_note
from core.changes import CREATED, DELETED, UPDATED, Change, announce
from leads.models import Lead

AUDIO_FIELDS = ("recording_file", "voicemail_file")
DISPOSITION_SOURCES = {"status", "duration", "voicemail_url", "voicemail_file"}
TRANSCRIPT_FIELDS = {
    "recording_transcript": Transcript.Kind.RECORDING,
    "voicemail_transcript": Transcript.Kind.VOICEMAIL,
}


def _apply(call, changes):
    """Set `changes` on `call` (note and note_html coupled); return the names of changed fields."""
    changes = dict(changes)
    note = couple_note(text=changes.pop("note", None), html=changes.pop("note_html", None))
    if note is not None:
        changes["note"], changes["note_html"] = note
    for name, value in changes.items():
        setattr(call, name, value)
    return {Call._meta.get_field(name).attname for name in changes}


def _full_clean(call, *, validate_unique=False):
    """`call.full_clean()`, without looking up again the relations given as objects.

    Those were read by the caller (within its organization), so they exist; `Call.clean` still
    checks that each belongs to the call's organization. The primary key is generated, so its
    uniqueness is only checked when the caller chose it.
    """
    resolved = [
        field.name
        for field in call._meta.concrete_fields
        if field.is_relation and field.is_cached(call) and getattr(call, field.name) is not None
    ]
    call.full_clean(exclude=resolved, validate_unique=validate_unique)


def _clean(call):
    """Validate `call`; return the names of the fields that cleaning derived."""
    before = (call.disposition, call.date_answered)
    _full_clean(call)
    derived = set()
    if call.disposition != before[0]:
        derived.add("disposition")
    if call.date_answered != before[1]:
        derived.add("date_answered")
    return derived


def _set_transcripts(call, transcripts, actor):
    """Create, change or delete the call's transcripts; return whether any changed."""
    written = False
    for key, kind in TRANSCRIPT_FIELDS.items():
        if key not in transcripts:
            continue
        data = transcripts[key]
        existing = Transcript.objects.filter(call=call, kind=kind).first()
        if data is None:
            if existing is not None:
                announce(Change(DELETED, existing, actor=actor))
                existing.delete()
                written = True
            continue
        transcript = existing or Transcript(
            call=call, kind=kind, organization_id=call.organization_id
        )
        previous = {name: getattr(transcript, name) for name in Transcript.API_FIELDS}
        transcript.utterances = data.get("utterances", [])
        summary = couple_note(text=data.get("summary_text"), html=data.get("summary_html"))
        transcript.summary_text, transcript.summary_html = summary or ("", "")
        try:
            transcript.full_clean(exclude=["call", "organization"])
        except ValidationError as error:
            raise ValidationError({key: " ".join(error.messages)}) from None
        transcript.save()
        if existing is None:
            announce(Change(CREATED, transcript, frozenset(Transcript.API_FIELDS), actor=actor))
            written = True
        else:
            changed = {
                name for name, value in previous.items() if getattr(transcript, name) != value
            }
            previous = {name: previous[name] for name in changed}
            announce(Change(UPDATED, transcript, frozenset(changed), previous, actor=actor))
            written = written or bool(changed)
    return written


@transaction.atomic
def transcript_set(call, *, kind, data, actor=None):
    """Write the `kind` transcript of `call` from `data` (utterances, summary); return it.

    For writers of a transcript alone, such as a transcription job: the call itself is left as
    it is (its `date_updated` and `updated_by` too).
    """
    key = next(key for key, value in TRANSCRIPT_FIELDS.items() if value == kind)
    _set_transcripts(call, {key: data}, actor)
    return Transcript.objects.get(call=call, kind=kind)


def _refresh_lead(lead_id):
    """Set the lead's `last_activity_at` and `calls_count` from its calls, in one UPDATE.

    The lead changed with its calls, so its `date_updated` moves too: incremental syncs, which
    read leads by `date_updated`, see it again.
    """
    calls = Call.objects.filter(lead_id=lead_id).order_by().values("lead_id")
    Lead.objects.filter(pk=lead_id).update(
        last_activity_at=Subquery(calls.annotate(latest=Max("activity_at")).values("latest")),
        calls_count=Coalesce(Subquery(calls.annotate(count=Count("id")).values("count")), 0),
        date_updated=timezone.now(),
    )


@transaction.atomic
def call_create(*, organization, created_by, fields, transcripts=None):
    """Log a call for `organization` with `fields` (model field names to values)."""
    call = Call(organization=organization, created_by=created_by, updated_by=created_by)
    fields = {"user": created_by, **fields}
    _apply(call, fields)
    if not call.note_html:
        call.note, call.note_html = couple_note(text="")
    _full_clean(call, validate_unique="id" in fields)
    call.save(force_insert=True)
    _refresh_lead(call.lead_id)
    written = frozenset(field.attname for field in Call._meta.concrete_fields)
    announce(Change(CREATED, call, written, actor=created_by))
    _set_transcripts(call, transcripts or {}, created_by)
    return call


@transaction.atomic
def call_update(call, *, updated_by, fields, transcripts=None):
    """Change only the given `fields` of `call`; concurrent updates of other fields survive."""
    old_lead_id = call.lead_id
    before = {field.attname: getattr(call, field.attname) for field in Call._meta.concrete_fields}
    replaced_files = [getattr(call, name) for name in AUDIO_FIELDS if name in fields]
    if DISPOSITION_SOURCES & fields.keys() and "disposition" not in fields:
        call.disposition = ""  # derived again from the new status, duration or voicemail
    changed = _apply(call, fields)
    changed |= _clean(call)
    call.updated_by = updated_by
    call.date_updated = timezone.now()
    call.save(update_fields=changed | {"updated_by", "date_updated"})
    really_changed = frozenset(name for name in changed if getattr(call, name) != before[name])
    if really_changed:
        previous = {name: before[name] for name in really_changed}
        announce(Change(UPDATED, call, really_changed, previous, actor=updated_by))
    transcripts_changed = _set_transcripts(call, transcripts or {}, updated_by)
    delete_on_commit(
        [
            file
            for file in replaced_files
            if file.name not in {call.recording_file.name, call.voicemail_file.name}
        ]
    )
    if really_changed or transcripts_changed:
        _refresh_lead(call.lead_id)
        if old_lead_id != call.lead_id:
            _refresh_lead(old_lead_id)
    return call


@transaction.atomic
def call_delete(call, *, deleted_by=None):
    """Delete `call`; its audio leaves storage on commit (`audio_files.delete_audio_with_call`)."""
    lead_id = call.lead_id
    announce(Change(DELETED, call, actor=deleted_by))
    call.delete()
    _refresh_lead(lead_id)
