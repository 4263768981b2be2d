"""The write path tells every receiver named in settings of each change, inside its transaction."""

import pytest
from django.db import transaction

from activities import services
from activities.models import Call, Transcript
from core.changes import CREATED, DELETED, UPDATED
from tests.conftest import make_call, make_lead


def refuse(change):
    raise RuntimeError("the receiver failed")


@pytest.fixture
def lead(acme):
    return make_lead(acme)


def test_a_logged_call_is_announced_as_created_by_its_author(announced, lead, alice):
    call = make_call(lead, alice)

    (change,) = announced
    assert (change.action, change.instance, change.actor) == (CREATED, call, alice)
    assert {"lead_id", "disposition", "note_html"} <= change.changed


def test_an_update_names_only_what_changed_with_the_values_before(announced, lead, alice):
    call = make_call(lead, alice, duration=60)
    announced.clear()

    services.call_update(call, updated_by=alice, fields={"duration": 90, "direction": "outbound"})

    (change,) = announced
    assert change.action == UPDATED
    assert change.changed == {"duration"}
    assert change.previous == {"duration": 60}


def test_an_update_that_changes_nothing_is_not_announced(announced, lead, alice):
    call = make_call(lead, alice, duration=60)
    announced.clear()

    services.call_update(call, updated_by=alice, fields={"duration": 60})

    assert announced == []


def test_a_deleted_call_is_announced_with_its_id_still_set(announced, lead, alice):
    call = make_call(lead, alice)
    call_id = call.pk
    announced.clear()

    services.call_delete(call, deleted_by=alice)

    (change,) = announced
    assert (change.action, change.pk, change.actor) == (DELETED, call_id, alice)


def test_transcripts_are_announced_on_their_own(announced, lead, alice):
    utterance = {"speaker_side": "contact", "speaker_label": "Ann", "start": 0, "end": 1}
    call = make_call(
        lead,
        alice,
        transcripts={"recording_transcript": {"utterances": [{**utterance, "text": "Hi"}]}},
    )
    services.call_update(
        call,
        updated_by=alice,
        fields={},
        transcripts={"recording_transcript": {"utterances": [{**utterance, "text": "Hello"}]}},
    )
    services.call_update(
        call, updated_by=alice, fields={}, transcripts={"recording_transcript": None}
    )

    transcript_changes = [c for c in announced if c.model is Transcript]
    assert [c.action for c in transcript_changes] == [CREATED, UPDATED, DELETED]
    assert transcript_changes[1].changed == {"utterances"}


def test_a_failing_receiver_rolls_the_change_back(settings, lead, alice):
    settings.CHANGE_RECEIVERS = ["tests.core.test_changes.refuse"]

    with pytest.raises(RuntimeError), transaction.atomic():
        make_call(lead, alice)

    assert not Call.objects.exists()
