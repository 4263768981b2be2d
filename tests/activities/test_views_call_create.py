from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from activities.models import Call
from tests.activities.conftest import log_call
from tests.conftest import make_contact, make_lead, make_outcome, wav

pytestmark = pytest.mark.django_db


def test_the_form_page_defaults_to_the_first_contact_and_its_phone(alice_browser, lead, contact):
    make_contact(lead, name="Second", phones=[{"phone": "+16505550000"}])
    response = alice_browser.get(reverse("activities:call_create", args=[lead.id]))
    form = response.context["form"]
    assert form["contact"].value() == contact.id
    assert form["phone"].value() == "+1 650-555-1234"
    assertContains(response, 'data-phone="+1 650-555-0000"')


def test_the_link_to_log_a_call_to_a_number_prefills_its_contact_and_number(
    alice_browser, lead, contact
):
    lucius = make_contact(
        lead, name="Lucius Fox", phones=[{"phone": "+16505550100"}, {"phone": "+16505550199"}]
    )
    lead_page = alice_browser.get(lead.get_absolute_url())
    link = f"/leads/{lead.id}/calls/new/?contact={lucius.id}&amp;phone=%2B16505550199"
    assertContains(lead_page, f'href="{link}"')

    response = alice_browser.get(link.replace("&amp;", "&"))

    form = response.context["form"]
    assert (form["contact"].value(), form["phone"].value()) == (lucius.id, "+1 650-555-0199")


def test_a_contact_of_another_lead_in_the_link_is_not_prefilled(alice_browser, acme, lead, contact):
    stranger = make_contact(make_lead(acme))
    url = reverse("activities:call_create", args=[lead.id])

    response = alice_browser.get(url, {"contact": stranger.id})

    assert response.context["form"]["contact"].value() == contact.id


def test_it_logs_a_regular_external_call_and_lands_on_the_highlighted_timeline(
    alice_browser, alice, acme_shows_costs, lead, contact, outcome
):
    response = log_call(
        alice_browser,
        lead,
        contact=contact.id,
        outcome=outcome.id,
        phone="(650) 555-1234",
        cost="0.12",
    )
    call = Call.objects.get()
    assertRedirects(response, f"{lead.get_absolute_url()}?highlight={call.id}#call-{call.id}")
    assert (call.organization, call.lead, call.contact) == (lead.organization, lead, contact)
    assert (call.user, call.created_by) == (alice, alice)
    assert (call.call_method, call.source) == ("regular", "External")
    assert (call.direction, call.disposition, call.outcome) == ("outbound", "answered", outcome)
    assert call.duration == 125
    assert call.phone == "+16505551234"
    assert call.cost == Decimal("12")
    assert call.activity_at == datetime(2024, 5, 1, 14, 30, tzinfo=ZoneInfo("UTC"))
    lead.refresh_from_db()
    assert lead.last_activity_at == call.activity_at


def test_where_the_organization_hides_costs_the_form_neither_asks_nor_takes_one(
    alice_browser, lead
):
    response = alice_browser.get(reverse("activities:call_create", args=[lead.id]))
    assert "cost" not in response.context["form"].fields
    assert 'name="cost"' not in response.content.decode()
    log_call(alice_browser, lead, cost="0.12")
    assert Call.objects.get().cost is None


def test_the_time_is_read_in_the_reps_time_zone(alice_browser, alice, lead):
    alice.time_zone = "America/New_York"
    alice.save()
    log_call(alice_browser, lead, activity_at="2024-05-01T10:30")
    call = Call.objects.get()
    assert call.activity_at == datetime(2024, 5, 1, 14, 30, tzinfo=ZoneInfo("UTC"))


def test_the_time_says_its_time_zone(alice_browser, alice, lead):
    alice.time_zone = "Europe/Paris"
    alice.save()
    response = alice_browser.get(reverse("activities:call_create", args=[lead.id]))
    assertContains(response, '<p class="help" id="id_activity_at_helptext">In Europe/Paris.</p>')


@pytest.mark.parametrize(("typed", "seconds"), [("95", 95), ("1:35", 95), ("1:00:05", 3605)])
def test_duration_is_typed_as_minutes_and_seconds_or_seconds(alice_browser, lead, typed, seconds):
    log_call(alice_browser, lead, duration=typed)
    assert Call.objects.get().duration == seconds


def test_the_note_is_sanitized_and_its_plaintext_derived(alice_browser, lead):
    log_call(
        alice_browser,
        lead,
        note_html='<p>Wants a <strong>demo</strong> <a href="https://acme.example">here</a></p>'
        '<script>alert(1)</script><p><img src=x onerror="alert(2)">Next week</p>',
    )
    call = Call.objects.get()
    assert call.note_html == (
        '<body><p>Wants a <strong>demo</strong> <a href="https://acme.example" '
        'rel="noopener noreferrer nofollow">here</a></p><p>Next week</p></body>'
    )
    assert call.note == "Wants a demo here\nNext week"


def test_without_javascript_the_plain_textarea_is_the_note(alice_browser, lead):
    log_call(alice_browser, lead, note_html="", note_html_text="Line one\r\n<b>line</b> two")
    call = Call.objects.get()
    assert call.note_html == "<body>Line one<br>&lt;b&gt;line&lt;/b&gt; two</body>"
    assert call.note == "Line one\n<b>line</b> two"


def test_a_recording_can_be_uploaded(alice_browser, lead):
    recording = SimpleUploadedFile("call.wav", wav(), content_type="audio/wav")
    log_call(alice_browser, lead, recording_file=recording)
    call = Call.objects.get()
    assert call.recording_file.name.startswith("recordings/")
    assert call.recording_file.read() == wav()


class TestErrors:
    """Every rule shows next to its field, and nothing is saved."""

    def assert_error(self, response, field, message):
        assert response.status_code == 200
        assert message in response.context["form"].errors[field][0]
        assertContains(response, message)
        assert not Call.objects.exists()

    def test_vm_answer_on_an_outbound_call_in_the_forms_words(self, alice_browser, lead):
        response = log_call(alice_browser, lead, direction="outbound", disposition="vm-answer")
        self.assert_error(
            response, "disposition", "“Voicemail, no message” is only possible on inbound calls."
        )

    def test_abandoned_without_the_predictive_dialer_in_the_forms_words(self, alice_browser, lead):
        response = log_call(alice_browser, lead, disposition="abandoned")
        self.assert_error(
            response, "disposition", "“Abandoned” is only possible with the predictive dialer."
        )

    def test_field_errors_and_rule_errors_show_in_one_round(self, alice_browser, lead, outcome):
        response = log_call(
            alice_browser, lead, disposition="no-answer", outcome=outcome.id, duration="soon"
        )
        errors = response.context["form"].errors
        assert errors["duration"] == [
            "Enter a duration as m:ss (e.g. 2:05) or a number of seconds."
        ]
        assert errors["outcome"] == ["An outcome can only be set on a connected (answered) call."]
        assertContains(response, "An outcome can only be set on a connected (answered) call.")
        assert not Call.objects.exists()

    def test_a_rule_on_a_field_that_did_not_parse_is_not_shown_twice(self, alice_browser, lead):
        response = log_call(alice_browser, lead, disposition="vm-answer", direction="sideways")
        errors = response.context["form"].errors
        assert set(errors) == {"direction"}

    def test_an_outcome_on_a_call_that_did_not_connect(self, alice_browser, lead, outcome):
        response = log_call(alice_browser, lead, disposition="no-answer", outcome=outcome.id)
        self.assert_error(response, "outcome", "only be set on a connected (answered) call")

    def test_a_deleted_outcome(self, alice_browser, lead, outcome):
        outcome.date_deleted = datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC"))
        outcome.save()
        response = log_call(alice_browser, lead, outcome=outcome.id)
        self.assert_error(response, "outcome", "Select a valid choice")

    def test_another_organizations_outcome(self, alice_browser, lead, globex):
        response = log_call(alice_browser, lead, outcome=make_outcome(globex).id)
        self.assert_error(response, "outcome", "Select a valid choice")

    def test_a_contact_of_another_lead(self, alice_browser, acme, lead):
        other = make_contact(make_lead(acme))
        response = log_call(alice_browser, lead, contact=other.id)
        self.assert_error(response, "contact", "Select a valid choice")

    def test_a_duration_over_a_week(self, alice_browser, lead):
        response = log_call(alice_browser, lead, duration="604801")
        self.assert_error(response, "duration", "less than or equal to 604800")

    def test_a_duration_that_is_not_one(self, alice_browser, lead):
        response = log_call(alice_browser, lead, duration="2m5")
        self.assert_error(response, "duration", "Enter a duration as m:ss")

    def test_a_negative_cost(self, alice_browser, acme_shows_costs, lead):
        response = log_call(alice_browser, lead, cost="-1")
        self.assert_error(response, "cost", "greater than or equal to 0")

    def test_a_phone_that_cannot_be_a_number(self, alice_browser, lead):
        response = log_call(alice_browser, lead, phone="12")
        self.assert_error(response, "phone", "Enter a valid phone number")

    def test_a_missing_time(self, alice_browser, lead):
        response = log_call(alice_browser, lead, activity_at="")
        self.assert_error(response, "activity_at", "This field is required.")

    def test_a_rejected_call_leaves_no_uploaded_file_behind(self, alice_browser, lead, settings):
        recording = SimpleUploadedFile("call.wav", wav(), content_type="audio/wav")
        response = log_call(alice_browser, lead, disposition="abandoned", recording_file=recording)
        self.assert_error(response, "disposition", "only possible with the predictive dialer")
        assert not any(path.is_file() for path in settings.MEDIA_ROOT.glob("**/*"))

    def test_the_rejected_form_keeps_what_was_typed(self, alice_browser, lead):
        response = log_call(
            alice_browser,
            lead,
            disposition="abandoned",
            note_html="<p>Keep me</p>",
            duration="3:00",
        )
        form = response.context["form"]
        assert form["note_html"].value() == "<p>Keep me</p>"
        assert form["duration"].value() == "3:00"


def test_another_organizations_lead_is_not_found(alice_browser, bob_lead):
    assert log_call(alice_browser, bob_lead).status_code == 404
    url = reverse("activities:call_create", args=[bob_lead.id])
    assert alice_browser.get(url).status_code == 404
    assert not Call.objects.exists()


def test_the_reps_membership_read_for_the_request_is_not_looked_up_again(
    alice_browser, alice, lead, contact
):
    with CaptureQueriesContext(connection) as captured:
        response = log_call(alice_browser, lead, contact=contact.id)

    assert response.status_code == 302
    assert Call.objects.get().user == alice
    # The request's (accounts.tenancy), handed to the call's rules by the form.
    assert sum('"accounts_membership"' in query["sql"] for query in captured) == 1
