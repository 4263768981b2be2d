"""The index says what the calls say, whichever way they were written, changed or deleted."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities import services
from activities.models import Transcript
from leads.services import lead_delete
from search.models import Entry
from tests.conftest import admin_form_data, make_call
from tests.search.conftest import call_saying, recording, said

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/activity/call/"
MARCH = datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_a_transcript_sent_with_a_call_through_the_api_is_found(alice_api, search, lead):
    body = {"lead_id": lead.id, **recording("We need a quote for the fleet.")}
    response = alice_api.post(CALLS, json.dumps(body), content_type="application/json")

    assert search("fleet") == [response.json()["id"]]


def test_a_note_written_through_the_api_is_found(alice_api, search, lead):
    body = {"lead_id": lead.id, "note_html": "<p>Call back <b>Wednesday</b></p>"}
    response = alice_api.post(CALLS, json.dumps(body), content_type="application/json")

    assert search("wednesday") == [response.json()["id"]]


def test_a_transcript_written_by_a_transcription_job_is_found(search, lead, alice):
    call = make_call(lead, alice)
    # What the transcription job calls once the engine has heard the recording.
    services.transcript_save(
        Transcript.of(call, "recording"),
        actor=None,
        fields={"utterances": said("Send the invoice")},
    )

    assert search("invoice") == [call.id]


def test_a_voicemail_transcript_is_found_too(search, lead, alice):
    call = make_call(
        lead, alice, transcripts={"voicemail_transcript": {"utterances": said("Call me back")}}
    )

    assert search("back") == [call.id]


def test_an_edited_transcript_is_found_by_its_new_words_only(alice_api, search, lead, alice):
    call = call_saying(lead, alice, "Our budget is tight")
    body = recording("The timeline is tight")

    alice_api.put(f"{CALLS}{call.id}/", json.dumps(body), content_type="application/json")

    assert search("budget") == []
    assert search("timeline") == [call.id]


def test_a_deleted_transcript_leaves_no_hit(alice_api, search, lead, alice):
    call = call_saying(lead, alice, "Our budget is tight")
    body = {"recording_transcript": None}

    alice_api.put(f"{CALLS}{call.id}/", json.dumps(body), content_type="application/json")

    assert search("budget") == []


def test_a_deleted_call_leaves_no_hit(alice_api, search, lead, alice):
    call = call_saying(lead, alice, "Our budget is tight", note="Budget review")

    alice_api.delete(f"{CALLS}{call.id}/")

    assert search("budget") == []
    assert not Entry.objects.exists()


def test_a_deleted_lead_takes_its_calls_hits_with_it(search, lead, alice):
    call_saying(lead, alice, "Our budget is tight", note="Budget review")

    lead_delete(lead, deleted_by=alice)

    assert search("budget") == []


def test_a_changed_note_is_found_by_its_new_words_only(alice_api, search, lead, alice):
    call = make_call(lead, alice, note="Budget review on Monday")

    alice_api.put(
        f"{CALLS}{call.id}/", {"note": "Moved to Friday"}, content_type="application/json"
    )

    assert search("monday") == []
    assert search("friday") == [call.id]


def test_a_cleared_note_leaves_no_hit(alice_api, search, lead, alice):
    call = make_call(lead, alice, note="Budget review on Monday")

    alice_api.put(f"{CALLS}{call.id}/", {"note_html": ""}, content_type="application/json")

    assert search("monday") == []


def test_a_note_edited_on_the_call_form_is_found(alice_browser, search, lead, alice):
    call = make_call(lead, alice, disposition="answered", note="First thoughts")
    url = reverse("activities:call_edit", args=[call.id])
    form = alice_browser.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if not name.endswith("_file")}
    data["activity_at"] = form.fields["activity_at"].widget.format_value(data["activity_at"])
    data = {name: "" if value is None else value for name, value in data.items()}
    data["note_html"] = "<p>They want the <em>enterprise</em> plan</p>"

    assert alice_browser.post(url, data).status_code == 302
    assert search("enterprise") == [call.id]
    assert search("thoughts") == []


def test_a_transcript_edited_in_the_admin_is_found_by_its_new_words(
    acme_admin_client, search, lead, alice
):
    call = call_saying(lead, alice, "Our budget is tight")
    url = reverse("admin:activities_transcript_change", args=[quote(call.transcripts.get().pk)])
    data = admin_form_data(acme_admin_client.get(url), **{"utterances-0-text": "Renewal in May"})

    assert acme_admin_client.post(url, data).status_code == 302
    assert search("budget") == []
    assert search("renewal") == [call.id]


def test_a_write_that_fails_leaves_the_index_as_it_was(search, lead, alice):
    call = call_saying(lead, alice, "Our budget is tight")

    with pytest.raises(ValidationError):
        services.call_update(
            call,
            updated_by=alice,
            fields={"note": "Renewal in May"},
            transcripts={
                **recording("The timeline is tight"),
                "voicemail_transcript": {"utterances": "not a list"},
            },
        )

    assert search("budget") == [call.id]
    assert search("timeline") == []
    assert search("renewal") == []


def test_a_call_without_words_adds_nothing_to_the_index(lead, alice):
    make_call(lead, alice, transcripts=recording(""))

    assert not Entry.objects.exists()


def test_each_utterance_is_indexed_with_its_place_side_and_time(lead, alice):
    call = call_saying(lead, alice, "Hello", ("close-user", "Hi Bruce"))

    rows = Entry.objects.filter(call=call).order_by("position")
    assert [(r.kind, r.position, r.speaker_side, r.speaker_label, r.start, r.end, r.text)
            for r in rows] == [
        ("recording", 0, "contact", "Bruce Wayne", 0.0, 4.0, "Hello"),
        ("recording", 1, "close-user", "Alice Archer", 5.0, 9.0, "Hi Bruce"),
    ]  # fmt: skip


def test_each_row_keeps_its_calls_time(lead, alice):
    call = call_saying(lead, alice, "Hello", note="Budget", activity_at=MARCH)

    assert [row.activity_at for row in Entry.objects.filter(call=call)] == [MARCH, MARCH]


def test_a_call_moved_in_time_is_ordered_and_filtered_by_its_new_time(search, lead, alice):
    moved = call_saying(lead, alice, "Renewal", note="Renewal", activity_at=MARCH)
    other = call_saying(lead, alice, "Renewal", activity_at=datetime(2026, 3, 5, tzinfo=UTC))

    services.call_update(moved, updated_by=alice, fields={"activity_at": "2026-03-09T10:00:00Z"})

    assert search("renewal", _order_by="-activity_at") == [moved.id, other.id]
    assert search("renewal", activity_at__gt="2026-03-08T00:00:00Z") == [moved.id]


def test_the_rebuild_command_gives_the_rows_their_calls_time(search, lead, alice):
    call = call_saying(lead, alice, "Renewal", note="Renewal", activity_at=MARCH)
    Entry.objects.all().delete()

    call_command("rebuild_search_index", stdout=io.StringIO())

    assert set(Entry.objects.filter(call=call).values_list("activity_at", flat=True)) == {MARCH}


def test_the_rebuild_command_indexes_everything_again(search, lead, alice, acme):
    spoken = call_saying(lead, alice, "Our budget is tight")
    written = make_call(lead, alice, note="Budget review")
    Entry.objects.all().delete()  # as if the index had been lost
    assert search("budget") == []

    call_command("rebuild_search_index", stdout=io.StringIO())

    assert sorted(search("budget")) == sorted([spoken.id, written.id])


def test_the_rebuild_command_can_rebuild_one_organization(search, lead, alice, acme, bob_lead, bob):
    call_saying(bob_lead, bob, "Globex budget")
    call = call_saying(lead, alice, "Our budget is tight")
    Entry.objects.all().delete()

    call_command("rebuild_search_index", organization=acme.pk, stdout=io.StringIO())

    assert search("budget") == [call.id]
    assert not Entry.objects.exclude(organization=acme).exists()


def test_the_rebuild_command_refuses_an_unknown_organization(db):
    with pytest.raises(CommandError, match="No organization has that id."):
        call_command("rebuild_search_index", organization="orga_nothing")


def test_calls_are_indexed_once_each(lead, alice):
    call = call_saying(lead, alice, "Our budget is tight", note="Budget")
    services.call_update(call, updated_by=alice, fields={"duration": 30})
    call_command("rebuild_search_index", stdout=io.StringIO())

    assert Entry.objects.filter(call=call).count() == 2
