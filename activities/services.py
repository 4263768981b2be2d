"""Writing calls, their transcripts and outcomes: the one path the API, the rep's forms, the
admin and the demo data all take.

Each function runs in one transaction, validates with the models' own rules (`full_clean()`;
the seed's rules for calls live in `Call.clean`), writes only what changed and announces each
change, with who made it (core/changes.py). Callers hand over the values they were given;
shaping them (the note coupling, files cleared, defaults) is done here, once.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.audio_files import delete_on_commit
from activities.models import Call, Outcome, Transcript
from activities.notes import couple_note
from core import changes as announced
from core.changes import (
    announce_created,
    announce_deleted,
    announce_updated,
    changed_fields,
    field_values,
)
from core.writes import create_announced, full_clean_loaded, update_announced
from leads.models import Lead

AUDIO_FIELDS = ("recording_file", "voicemail_file")
TRANSCRIPT_FIELDS = {
    "recording_transcript": Transcript.Kind.RECORDING,
    "voicemail_transcript": Transcript.Kind.VOICEMAIL,
}


def _shaped(fields):
    """Return `fields` as the model takes them. An audio file comes as a form's file input
    gives it: a new file, None (left as it is) or False (cleared)."""
    shaped = {}
    for name, value in fields.items():
        if name in AUDIO_FIELDS:
            if value is None:
                continue
            value = value or ""
        shaped[name] = value
    return shaped


def _apply(call, changes):
    """Set `changes` on `call` (note and note_html coupled); return the names of changed fields."""
    changes = dict(changes)
    note = couple_note(text=changes.pop("note", None), html=changes.pop("note_html", None))
    if note is not None:
        changes["note"], changes["note_html"] = note
    for name, value in changes.items():
        setattr(call, name, value)
    return {Call._meta.get_field(name).attname for name in changes}


def _clean(call):
    """Validate `call`; return the names of the fields that cleaning derived."""
    before = (call.disposition, call.date_answered)
    full_clean_loaded(call)
    derived = set()
    if call.disposition != before[0]:
        derived.add("disposition")
    if call.date_answered != before[1]:
        derived.add("date_answered")
    return derived


@transaction.atomic
def transcript_save(transcript, *, actor, fields):
    """Create `transcript` (a new one carries its call and kind) or change it, with `fields`:
    model fields, and the summary as `summary_text` or `summary_html`, coupled as a call's note
    is (neither: no summary). Return the transcript."""
    _write_transcript(transcript, actor, fields)
    return transcript


def _write_transcript(transcript, actor, fields):
    """`transcript_save()` inside the caller's transaction; return the names of what changed."""
    fields = dict(fields)
    before = field_values(transcript) if transcript.pk else None
    summary = couple_note(
        text=fields.pop("summary_text", None), html=fields.pop("summary_html", None)
    )
    transcript.summary_text, transcript.summary_html = summary or ("", "")
    for name, value in fields.items():
        setattr(transcript, name, value)
    transcript.organization_id = transcript.call.organization_id
    transcript.full_clean(exclude=["call", "organization"])
    transcript.save()
    if before is None:
        announce_created(transcript, actor=actor)
        return frozenset(field_values(transcript))
    return announce_updated(transcript, before, actor=actor)


@transaction.atomic
def transcript_delete(transcript, *, deleted_by):
    announce_deleted(transcript, actor=deleted_by)
    transcript.delete()


def _set_transcripts(call, transcripts, actor):
    """Replace (or with None remove) the call's transcripts named in `transcripts`, as the API
    sends them: {"recording_transcript": {"utterances": [...], "summary_text": ...}}. Return
    whether any changed."""
    written = False
    for key, kind in TRANSCRIPT_FIELDS.items():
        if key not in transcripts:
            continue
        data = transcripts[key]
        transcript = Transcript.of(call, kind)
        if data is None:
            if transcript.pk is not None:
                transcript_delete(transcript, deleted_by=actor)
                written = True
            continue
        fields = {
            "utterances": data.get("utterances", []),
            "summary_text": data.get("summary_text"),
            "summary_html": data.get("summary_html"),
        }
        try:
            changed = _write_transcript(transcript, actor, fields)
        except ValidationError as error:
            raise ValidationError({key: " ".join(error.messages)}) from None
        written = written or bool(changed)
    return written


def _refresh_leads(lead_ids):
    """Set each lead's `last_activity_at` and `calls_count` from its calls, in one UPDATE.

    The leads changed with their calls, so their `date_updated` moves too: incremental syncs,
    which read leads by `date_updated`, see them again.
    """
    calls = Call.objects.filter(lead_id=OuterRef("pk")).order_by().values("lead_id")
    Lead.objects.filter(pk__in=set(lead_ids)).update(
        last_activity_at=Subquery(calls.annotate(latest=Max("activity_at")).values("latest")),
        calls_count=Coalesce(Subquery(calls.annotate(count=Count("id")).values("count")), 0),
        date_updated=timezone.now(),
    )


def _lock(call):
    """Lock `call`'s row and read it again: what an update or a deletion announces it was
    (`Change.previous`) is then what the database held, even when `call` was read before
    another update of it committed. Receivers that keep sums of calls rely on it."""
    call.refresh_from_db(from_queryset=Call.objects.select_for_update())
    call._stored_outcome_id = call.outcome_id


def call_build(*, organization, created_by, fields, logged_by_hand=False, membership=None):
    """Return a new call of `organization` with `fields` (model field names to values), shaped
    and validated as `call_create` stores it, but not saved; ValidationError if refused.

    A call a rep logs by hand, on a lead's page, was made on their own phone: its method is
    `regular` unless `fields` say otherwise. The API's calls come from other systems:
    `external`, the model's default, as in Close.

    `membership` is the caller's, as the request read it (with its API key, or for its
    session): a call whose rep is the caller is then known to have a member as its rep, and
    `Call.clean` does not look that up again.
    """
    call = Call(organization=organization, created_by=created_by, updated_by=created_by)
    call.rep_membership = membership
    defaults = {"user": created_by}
    if logged_by_hand:
        defaults["call_method"] = Call.Method.REGULAR
    _apply(call, {**defaults, **_shaped(fields)})
    if not call.note_html:
        call.note, call.note_html = couple_note(text="")
    full_clean_loaded(call)
    return call


@transaction.atomic
def call_create(
    *, organization, created_by, fields, transcripts=None, logged_by_hand=False, membership=None
):
    """Log a call for `organization` with `fields` (see `call_build`)."""
    call = call_build(
        organization=organization,
        created_by=created_by,
        fields=fields,
        logged_by_hand=logged_by_hand,
        membership=membership,
    )
    call.save(force_insert=True)
    # Announced before the lead is refreshed, as an update and a deletion are: receivers that
    # lock rows of their own (the insights tallies) take them before the lead's in every write.
    announce_created(call, actor=created_by)
    _refresh_leads([call.lead_id])
    _set_transcripts(call, transcripts or {}, created_by)
    return call


@dataclass
class CallAmendment:
    """A call with changes set and validated but not saved (`call_amend`): `before` is what it
    was (`field_values()`), `written` the fields set or derived."""

    call: Call
    before: dict
    written: set

    @property
    def changed(self):
        """The fields whose values really differ from before."""
        return changed_fields(self.call, self.before)


def call_amend(call, *, updated_by, fields):
    """Set `fields` on `call` as `call_update` does, and validate it, saving nothing; return
    a CallAmendment (ValidationError if the rules refuse the result)."""
    fields = _shaped(fields)
    before = field_values(call)
    if Call.DISPOSITION_INPUTS & fields.keys() and "disposition" not in fields:
        call.disposition = ""  # derived again from the new status, duration or voicemail
    written = _apply(call, fields)
    call.updated_by = updated_by  # set first: validated as given, not looked up again
    written |= _clean(call)
    return CallAmendment(call, before, written)


@transaction.atomic
def call_update(call, *, updated_by, fields, transcripts=None):
    """Change only the given `fields` of `call`; concurrent updates of other fields survive."""
    fields = _shaped(fields)
    _lock(call)
    replaced_files = [getattr(call, name) for name in AUDIO_FIELDS if name in fields]
    amendment = call_amend(call, updated_by=updated_by, fields=fields)
    call.save(update_fields=amendment.written | {"updated_by", "date_updated"})
    really_changed = announce_updated(call, amendment.before, actor=updated_by)
    transcripts_changed = _set_transcripts(call, transcripts or {}, updated_by)
    delete_on_commit(
        [
            file
            for file in replaced_files
            if file.name not in {call.recording_file.name, call.voicemail_file.name}
        ]
    )
    if really_changed or transcripts_changed:
        _refresh_leads({call.lead_id, amendment.before["lead_id"]})
    return call


@transaction.atomic
def calls_write(*, created=(), amended=(), actor):
    """Save a batch of calls at once, as an importer writes them: the new ones made by
    `call_build` in one INSERT, the `call_amend`ed ones that really changed in one UPDATE per
    set of changed fields (only those fields, as `call_update` writes only its own), their
    leads refreshed in one UPDATE. The changes are announced together (`announce_all`): every
    receiver hears of every call, as from `call_create` and `call_update`, and those with a
    batch form write what they keep for the whole batch at once. Audio files are not taken
    here. Return the amendments that changed something.
    """
    Call.objects.bulk_create(created)
    now = timezone.now()
    changed = [amendment for amendment in amended if amendment.changed]
    by_fields = defaultdict(list)
    for amendment in changed:
        amendment.call.date_updated = now
        by_fields[amendment.changed].append(amendment.call)
    for names, calls in by_fields.items():
        Call.objects.bulk_update(calls, [*names, "updated_by_id", "date_updated"])
    leads = {call.lead_id for call in created}
    for amendment in changed:
        leads |= {amendment.call.lead_id, amendment.before["lead_id"]}
    announced.announce_all(
        [
            *(announced.created(call, actor=actor) for call in created),
            *(announced.updated(a.call, a.before, actor=actor) for a in changed),
        ]
    )
    _refresh_leads(leads)  # after the announcements, as in call_create
    return changed


@transaction.atomic
def call_delete(call, *, deleted_by=None):
    """Delete `call`; its audio leaves storage on commit (`audio_files.delete_audio_with_call`)."""
    _lock(call)
    lead_id = call.lead_id
    announce_deleted(call, actor=deleted_by)
    call.delete()
    _refresh_leads([lead_id])


@transaction.atomic
def calls_delete(calls, *, deleted_by=None):
    """Delete `calls` (a batch, as reverting an import does), announced together as
    `calls_write` announces its batch, in one DELETE; their audio leaves storage on commit;
    their leads refreshed."""
    announced.announce_all(announced.deleted(call, actor=deleted_by) for call in calls)
    Call.objects.filter(pk__in=[call.pk for call in calls]).delete()
    _refresh_leads({call.lead_id for call in calls})


@transaction.atomic
def outcome_create(*, organization, created_by, fields):
    outcome = Outcome(
        organization=organization, created_by=created_by, updated_by=created_by, **fields
    )
    return create_announced(outcome, actor=created_by)


@transaction.atomic
def outcome_update(outcome, *, updated_by, fields):
    return update_announced(outcome, {**fields, "updated_by": updated_by}, actor=updated_by)


@transaction.atomic
def outcome_delete(outcome, *, deleted_by):
    """Delete `outcome` as Close does: it stays on its calls, hidden everywhere else."""
    outcome.soft_delete()
    announce_deleted(outcome, actor=deleted_by)


@transaction.atomic
def outcome_restore(outcome, *, restored_by):
    """Undo `outcome_delete`; ValidationError if a live outcome has taken its name since."""
    before = field_values(outcome)
    outcome.restore()
    announce_updated(outcome, before, actor=restored_by)
