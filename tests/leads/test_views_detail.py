from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import make_call, make_contact, make_lead, make_outcome, make_user

pytestmark = pytest.mark.django_db

# Session, user, the user's memberships (the organization picker's too); lead, contacts (the
# forms' pick lists too); calls (counted by the lead's `calls_count` unless filtered), their
# transcripts; the organization's outcomes and its members (every pick list of them: the
# filters', log a call's, the follow-up's); the follow-ups.
QUERIES_OF_THE_LEAD_PAGE = 10


def timeline(response):
    return list(response.context["page"].object_list)


def test_another_organizations_lead_is_not_found(alice_browser, globex):
    lead = make_lead(globex)
    assert alice_browser.get(lead.get_absolute_url()).status_code == 404


def test_a_lead_that_does_not_exist_is_not_found(alice_browser):
    assert alice_browser.get(reverse("leads:detail", args=["lead_nope"])).status_code == 404


def test_the_header_shows_contacts_with_dialable_numbers(alice_browser, lead, contact):
    make_contact(lead, name="Alfred", phones=[{"phone": "+442079460000", "type": "mobile"}])
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, "<h1>Wayne Enterprises</h1>", html=True)
    assertContains(
        response, '<a class="phone" href="tel:+16505551234">+1 650-555-1234</a>', html=True
    )
    assertContains(
        response, '<a class="phone" href="tel:+442079460000">+44 20 7946 0000</a>', html=True
    )


def test_the_timeline_is_newest_first(alice_browser, alice, lead):
    now = timezone.now()
    old = make_call(lead, alice, activity_at=now - timedelta(days=3))
    new = make_call(lead, alice, activity_at=now - timedelta(hours=1))
    middle = make_call(lead, alice, activity_at=now - timedelta(days=1))
    response = alice_browser.get(lead.get_absolute_url())
    assert timeline(response) == [new, middle, old]


def test_a_call_shows_its_facts(alice_browser, alice, acme_shows_costs, lead, contact, outcome):
    make_call(
        lead,
        alice,
        contact=contact,
        direction="inbound",
        disposition="answered",
        outcome=outcome,
        duration=125,
        cost=Decimal("150"),
        phone="+16505551234",
        activity_at=datetime(2024, 5, 1, 14, 30, tzinfo=ZoneInfo("UTC")),
    )
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, "Inbound")
    assertContains(response, '<span class="badge badge--answered">Answered</span>', html=True)
    assertContains(response, "Regular")
    assertContains(response, "<dd>2:05</dd>", html=True)
    assertContains(response, "<dd>$1.50</dd>", html=True)
    assertContains(response, "<dd>Demo booked</dd>", html=True)
    assertContains(response, "by Alice Archer")
    assertContains(response, 'title="Wednesday 1 May 2024, 14:30:00 UTC"')


def test_times_are_shown_in_the_users_time_zone(alice_browser, alice, lead):
    alice.time_zone = "Europe/Paris"
    alice.save()
    make_call(lead, alice, activity_at=datetime(2024, 5, 1, 14, 30, tzinfo=ZoneInfo("UTC")))
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, 'title="Wednesday 1 May 2024, 16:30:00 CEST"')


def test_the_names_in_a_calls_row_stay_text(alice_browser, acme, lead):
    rep = make_user(acme, first_name="<i>Rep</i>")
    contact = make_contact(lead, name="<b>Mallory</b>")
    outcome = make_outcome(acme, name="<script>alert(2)</script>")
    make_call(lead, rep, contact=contact, outcome=outcome)
    response = alice_browser.get(lead.get_absolute_url())
    row = response.content.decode().split('<ol class="timeline">')[1].split("</ol>")[0]
    assert "by &lt;i&gt;Rep&lt;/i&gt;" in row
    assert "<dd>&lt;b&gt;Mallory&lt;/b&gt;</dd>" in row
    assert "<dd>&lt;script&gt;alert(2)&lt;/script&gt;</dd>" in row


def test_the_note_is_rendered_and_nothing_else_is_marked_safe(alice_browser, alice, lead):
    make_call(
        lead,
        alice,
        note_html="<p>Wants a <strong>demo</strong></p><script>alert(1)</script>",
        phone="+16505551234",
    )
    make_contact(lead, name="<b>Mallory</b>")
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, "<p>Wants a <strong>demo</strong></p>")
    assertNotContains(response, "<script>alert")
    assertNotContains(response, "<b>Mallory</b>")
    assertContains(response, "&lt;b&gt;Mallory&lt;/b&gt;")


def test_uploaded_and_external_audio_get_players(alice_browser, alice, lead):
    call = make_call(lead, alice, recording_url="https://recordings.example/1.mp3")
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, 'src="https://recordings.example/1.mp3"')
    assertContains(response, 'preload="none"')
    assertContains(response, f"call-{call.id}")


def test_each_call_has_permalink_edit_delete_and_transcript_links(alice_browser, alice, lead):
    utterance = {
        "speaker_label": "Jo",
        "speaker_side": "contact",
        "start": 0,
        "end": 1,
        "text": "Hi",
    }
    call = make_call(lead, alice, transcripts={"recording_transcript": {"utterances": [utterance]}})
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, f'id="call-{call.id}"')
    assertContains(response, f'href="{call.get_absolute_url()}"')
    assertContains(response, f'href="{reverse("activities:call_edit", args=[call.id])}"')
    assertContains(response, f'href="{reverse("activities:call_delete", args=[call.id])}"')
    assertContains(response, f'href="{reverse("activities:call_transcript", args=[call.id])}"')


def test_the_highlighted_call_is_marked(alice_browser, alice, lead):
    call = make_call(lead, alice)
    response = alice_browser.get(lead.get_absolute_url(), {"highlight": call.id})
    assertContains(response, "is-highlighted")


def test_the_timeline_is_paginated_keeping_the_filters(alice_browser, alice, lead):
    now = timezone.now()
    calls = [make_call(lead, alice, activity_at=now - timedelta(hours=n)) for n in range(55)]
    first = alice_browser.get(lead.get_absolute_url(), {"direction": "outbound"})
    assert timeline(first) == calls[:50]
    assertContains(
        first, '<a rel="next" href="?direction=outbound&amp;page=2">Older →</a>', html=True
    )
    second = alice_browser.get(lead.get_absolute_url(), {"direction": "outbound", "page": 2})
    assert timeline(second) == calls[50:]


def test_the_unfiltered_timeline_is_paginated(alice_browser, alice, lead):
    now = timezone.now()
    calls = [make_call(lead, alice, activity_at=now - timedelta(hours=n)) for n in range(55)]
    first = alice_browser.get(lead.get_absolute_url())
    assert timeline(first) == calls[:50]
    assertContains(first, '<a rel="next" href="?page=2">Older →</a>', html=True)
    second = alice_browser.get(lead.get_absolute_url(), {"page": 2})
    assert timeline(second) == calls[50:]
    assertNotContains(second, 'rel="next"')


def test_a_filtered_timeline_has_the_pages_of_its_own_calls(alice_browser, alice, lead):
    for _ in range(51):
        make_call(lead, alice)
    inbound = make_call(lead, alice, direction="inbound")
    response = alice_browser.get(lead.get_absolute_url(), {"direction": "inbound"})
    assert timeline(response) == [inbound]
    assert response.context["page"].paginator.num_pages == 1
    assertNotContains(response, 'rel="next"')


def test_a_highlighted_call_opens_the_page_it_is_on(alice_browser, alice, lead):
    now = timezone.now()
    calls = [make_call(lead, alice, activity_at=now - timedelta(hours=n)) for n in range(55)]
    response = alice_browser.get(lead.get_absolute_url(), {"highlight": calls[52].id})
    assert response.context["page"].number == 2
    assertContains(response, f'id="call-{calls[52].id}"')


def test_the_page_offers_the_log_a_call_form(alice_browser, lead, contact):
    response = alice_browser.get(lead.get_absolute_url())
    assertContains(response, f'action="{reverse("activities:call_create", args=[lead.id])}"')
    assertContains(response, '<trix-editor input="log_note_html"')
    assertContains(response, 'value="+1 650-555-1234"')


def test_the_page_costs_the_same_number_of_queries_whatever_the_calls(
    alice_browser, alice, acme, lead, contact, outcome, django_assert_num_queries
):
    def log(count):
        for n in range(count):
            make_call(
                lead,
                make_user(acme),
                contact=contact,
                outcome=outcome,
                disposition="answered",
                transcripts={"recording_transcript": {"summary_text": f"Call {n}"}},
            )

    log(1)
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE):
        response = alice_browser.get(lead.get_absolute_url())
    assert response.status_code == 200
    assert len(timeline(response)) == 1
    log(29)
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE):
        response = alice_browser.get(lead.get_absolute_url())
    assert response.status_code == 200
    assert len(timeline(response)) == 30
    assertContains(response, '<li class="call call--answered', count=30)


def test_an_admins_page_costs_no_query_more_for_the_rep_picker(
    acme_admin_client, acme_admin, alice, lead, django_assert_num_queries
):
    make_call(lead, alice)

    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE):
        response = acme_admin_client.get(lead.get_absolute_url())

    assert response.status_code == 200
    assert len(timeline(response)) == 1
    assertContains(response, '<label for="log_user">Rep</label>', html=True)


class TestFilters:
    @pytest.fixture
    def calls(self, alice, acme, lead, outcome):
        rep = make_user(acme, first_name="Robin", last_name="Rep")
        paris = ZoneInfo("Europe/Paris")
        return {
            "answered": make_call(
                lead,
                alice,
                disposition="answered",
                outcome=outcome,
                activity_at=datetime(2024, 5, 1, 23, 30, tzinfo=paris),
            ),
            "busy": make_call(
                lead, rep, disposition="busy", activity_at=datetime(2024, 5, 2, 0, 30, tzinfo=paris)
            ),
            "inbound": make_call(
                lead,
                alice,
                direction="inbound",
                disposition="vm-left",
                activity_at=datetime(2024, 4, 30, 9, 0, tzinfo=paris),
            ),
        }

    def filtered(self, client, lead, **params):
        return timeline(client.get(lead.get_absolute_url(), params))

    def test_by_disposition(self, alice_browser, lead, calls):
        assert self.filtered(alice_browser, lead, disposition="busy") == [calls["busy"]]

    def test_by_direction(self, alice_browser, lead, calls):
        assert self.filtered(alice_browser, lead, direction="inbound") == [calls["inbound"]]

    def test_by_outcome(self, alice_browser, lead, outcome, calls):
        assert self.filtered(alice_browser, lead, outcome_id=outcome.id) == [calls["answered"]]

    def test_by_rep(self, alice_browser, lead, calls):
        rep = calls["busy"].user
        assert self.filtered(alice_browser, lead, user_id=rep.id) == [calls["busy"]]

    def test_by_days_in_the_users_time_zone_with_the_last_day_included(
        self, alice_browser, alice, lead, calls
    ):
        alice.time_zone = "Europe/Paris"
        alice.save()
        found = self.filtered(
            alice_browser, lead, activity_at__gte="2024-05-01", activity_at__lte="2024-05-01"
        )
        assert found == [calls["answered"]]
        found = self.filtered(alice_browser, lead, activity_at__gte="2024-04-30")
        assert found == [calls["busy"], calls["answered"], calls["inbound"]]

    def test_the_filter_form_offers_only_the_organizations_outcomes_and_reps(
        self, alice_browser, lead, globex, calls
    ):
        make_outcome(globex, name="Globex outcome")
        make_user(globex, first_name="Gus", last_name="Globex")
        response = alice_browser.get(lead.get_absolute_url())
        assertContains(response, "Robin Rep")
        assertNotContains(response, "Globex outcome")
        assertNotContains(response, "Gus Globex")

    def test_a_deleted_outcome_is_a_filter_but_not_a_pick_for_a_new_call(
        self, alice_browser, acme, lead, calls
    ):
        gone = make_outcome(acme, name="Retired outcome")
        gone.soft_delete()
        response = alice_browser.get(lead.get_absolute_url())
        filters, form = response.context["timeline"].form, response.context["form"]
        assert gone in filters.fields["outcome_id"].queryset
        assert gone not in form.fields["outcome"].queryset
        assertContains(response, "Retired outcome", count=1)

    def test_a_bad_date_is_reported_not_a_crash(self, alice_browser, lead, calls):
        response = alice_browser.get(lead.get_absolute_url(), {"activity_at__gte": "someday"})
        assertContains(response, "Enter a valid date.")
        assert len(timeline(response)) == 3

    def test_an_empty_result_says_so(self, alice_browser, lead, calls):
        response = alice_browser.get(lead.get_absolute_url(), {"disposition": "blocked"})
        assertContains(response, "No call matches these filters.")
