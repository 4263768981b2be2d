from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from activities.models import Call
from tests.conftest import make_call

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 5, 1, 14, 30, 15, 123456, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def call(alice, lead, contact, outcome):
    return make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        outcome=outcome,
        duration=125,
        cost=Decimal("150"),
        phone="+16505551234",
        activity_at=WHEN,
        note_html="<p>Wants a <strong>demo</strong></p>",
    )


def edit_url(call):
    return reverse("activities:call_edit", args=[call.id])


def form_data(response):
    """The form's fields as the page shows them, as a browser would send them back."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields if not name.endswith("_file")}
    data["activity_at"] = form.fields["activity_at"].widget.format_value(data["activity_at"])
    return {name: "" if value is None else value for name, value in data.items()}


def test_the_edit_page_shows_the_call_as_it_is(alice_browser, alice, acme_shows_costs, call):
    alice.time_zone = "Europe/Paris"
    alice.save()
    response = alice_browser.get(edit_url(call))
    assertContains(response, 'value="2:05"')
    assertContains(response, 'value="1.50"')
    assertContains(response, 'value="2024-05-01T16:30:15"')
    assertContains(response, "&lt;strong&gt;demo&lt;/strong&gt;")


def test_saving_writes_only_what_changed(alice_browser, call):
    data = form_data(alice_browser.get(edit_url(call)))
    data["duration"] = "3:00"
    response = alice_browser.post(edit_url(call), data)
    assertRedirects(response, f"{call.lead.get_absolute_url()}?highlight={call.id}#call-{call.id}")
    saved = Call.objects.get()
    assert saved.duration == 180
    assert saved.activity_at == WHEN  # the microseconds the form can't show are kept
    assert saved.note_html == call.note_html
    assert saved.cost == Decimal("150")


def test_a_rule_broken_by_the_edit_is_shown_and_nothing_is_saved(alice_browser, call):
    data = form_data(alice_browser.get(edit_url(call)))
    data.update(disposition="no-answer", duration="0:10")
    response = alice_browser.post(edit_url(call), data)
    assertContains(response, "An outcome can only be set on a connected (answered) call.")
    saved = Call.objects.get()
    assert (saved.disposition, saved.duration) == ("answered", 125)


def test_an_edit_shows_field_and_rule_errors_in_one_round(alice_browser, call):
    data = form_data(alice_browser.get(edit_url(call)))
    data.update(disposition="vm-answer", direction="outbound", duration="soon")
    response = alice_browser.post(edit_url(call), data)
    errors = response.context["form"].errors
    assert errors["duration"]
    assert errors["disposition"] == ["“Voicemail, no message” is only possible on inbound calls."]
    assert Call.objects.get().disposition == "answered"


def test_dropping_the_outcome_with_the_disposition_saves(alice_browser, call):
    data = form_data(alice_browser.get(edit_url(call)))
    data.update(disposition="no-answer", outcome="")
    alice_browser.post(edit_url(call), data)
    saved = Call.objects.get()
    assert (saved.disposition, saved.outcome) == ("no-answer", None)


def test_a_recording_can_be_replaced_and_cleared(alice_browser, call):
    call.recording_file.save("old.wav", ContentFile(b"RIFF old"), save=True)
    data = form_data(alice_browser.get(edit_url(call)))
    response = alice_browser.post(edit_url(call), {**data, "recording_file-clear": "on"})
    assert response.status_code == 302
    assert not Call.objects.get().recording_file


def test_the_current_recording_links_to_the_calls_audio_url(alice_browser, call):
    call.recording_file.save("old.wav", ContentFile(b"RIFF old"), save=True)
    response = alice_browser.get(edit_url(call))
    assertContains(response, f'href="{call.audio_link("recording")}"')
    assertContains(response, "old")


def test_another_organizations_call_is_not_found(alice_browser, bob_call):
    assert alice_browser.get(edit_url(bob_call)).status_code == 404
    response = alice_browser.post(edit_url(bob_call), {"duration": "9"})
    assert response.status_code == 404
    bob_call.refresh_from_db()
    assert bob_call.duration == 60
