"""The search page: calls by what was said or written, grouped, filtered, ordered and paged."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from search.views import CALLS_PER_PAGE
from tests.conftest import make_call, make_contact, make_lead, make_user
from tests.search.conftest import call_saying

pytestmark = pytest.mark.django_db

PAGE = reverse("search:search")


def results(response):
    """The ids of the calls the page lists, in order."""
    return [result.call_id for result in response.context["results"]]


def test_the_page_asks_for_a_sign_in(client):
    assertRedirects(client.get(PAGE, {"q": "x"}), f"{reverse('login')}?next=/search/%3Fq%3Dx")


def test_every_page_has_a_search_box_that_leads_here(alice_browser):
    response = alice_browser.get(reverse("leads:list"))

    assertContains(response, f'<form class="site-search" method="get" action="{PAGE}"')
    assertContains(response, 'name="q"')


def test_a_call_is_listed_once_with_its_matching_utterances_and_note(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "fleet budget"})

    assert results(response) == [call.id]
    assertContains(response, "Wayne Enterprises")
    assertContains(response, "with Bruce Wayne")
    assertContains(response, '<span class="badge badge--answered">Answered</span>', html=True)
    assertContains(response, "Tue 10 Mar 2026, 15:42")
    assertContains(response, "by Alice Archer")
    assertContains(response, 'Alice Archer <span class="muted">(rep)</span>')
    assertContains(response, 'Bruce Wayne <span class="muted">(contact)</span>')
    assertContains(response, '<span class="match__time">0:05</span>')
    assertContains(response, "Is the <mark>fleet</mark> <mark>budget</mark> approved?")
    assertContains(response, "<mark>Fleet</mark> <mark>budget</mark> approved; send the contract.")
    assertNotContains(response, "Bruce Wayne speaking")


def test_a_calls_time_is_shown_in_the_reps_time_zone(alice_browser, alice, call):
    alice.time_zone = "America/New_York"
    alice.save()

    response = alice_browser.get(PAGE, {"q": "fleet budget"})

    assertContains(
        response,
        '<time datetime="2026-03-10T11:42:00-04:00" title="Tuesday 10 March 2026, 11:42:00 EDT">'
        "Tue 10 Mar 2026, 11:42</time>",
        html=True,
    )


def test_an_utterance_links_to_its_moment_in_the_transcript(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "quarter"})

    assertContains(response, f'href="/calls/{call.id}/transcript/?t=10.0#recording-2"')


def test_the_transcript_page_has_an_anchor_for_each_utterance(alice_browser, call):
    response = alice_browser.get(reverse("activities:call_transcript", args=[call.id]))

    for position in range(3):
        assertContains(response, f'id="recording-{position}"')


def test_a_call_shows_three_matches_of_a_transcript_and_says_how_many_more(
    alice_browser, lead, alice
):
    call = call_saying(lead, alice, *(f"Budget item {n}" for n in range(7)))

    response = alice_browser.get(PAGE, {"q": "budget"})

    assert len(response.context["results"][0].utterances) == 3
    assertContains(response, "4 more in this call’s transcript")
    assertContains(response, f'href="/calls/{call.id}/transcript/"')


def test_matching_leads_are_listed_above_the_calls(alice_browser, acme, alice):
    lead = make_lead(acme, name="Fleet Logistics")
    make_contact(lead, name="Dana Fleet", phones=[{"phone": "+16505550199", "type": "office"}])
    call = make_call(lead, alice, note="Fleet renewal")

    response = alice_browser.get(PAGE, {"q": "fleet"})

    assert response.context["leads"] == [lead]
    assert results(response) == [call.id]
    content = response.content.decode()
    assert content.index("Fleet Logistics") < content.index('id="calls-heading"')
    assertContains(response, "+1 650-555-0199")


def test_more_than_five_leads_link_to_the_lead_list(alice_browser, acme):
    for n in range(6):
        make_lead(acme, name=f"Fleet {n}")

    response = alice_browser.get(PAGE, {"q": "fleet"})

    assertContains(response, 'href="/leads/?q=fleet"')
    assert len(response.context["leads"]) == 6  # five shown, the sixth says there are more


def test_leads_are_found_by_phone_digits(alice_browser, lead, contact):
    response = alice_browser.get(PAGE, {"q": "650-555-1234"})

    assert response.context["leads"] == [lead]


def test_calls_can_be_narrowed_to_what_one_side_said(alice_browser, lead, alice):
    said_by_rep = call_saying(lead, alice, ("close-user", "Our price is fair"))
    said_by_contact = call_saying(lead, alice, "The price is too high")
    written = make_call(lead, alice, note="Price objection")

    assert set(results(alice_browser.get(PAGE, {"q": "price"}))) == {
        said_by_rep.id, said_by_contact.id, written.id,
    }  # fmt: skip
    assert results(alice_browser.get(PAGE, {"q": "price", "speaker_side": "contact"})) == [
        said_by_contact.id
    ]
    assert results(alice_browser.get(PAGE, {"q": "price", "speaker_side": "close-user"})) == [
        said_by_rep.id
    ]


def test_calls_can_be_narrowed_to_a_rep(alice_browser, lead, alice, acme):
    jamie = make_user(acme, first_name="Jamie")
    call_saying(lead, alice, "The price is too high")
    jamies = call_saying(lead, jamie, "The price is fine")

    response = alice_browser.get(PAGE, {"q": "price", "user_id": jamie.id})

    assert results(response) == [jamies.id]
    assertContains(response, f'<option value="{jamie.id}" selected>')


def test_the_rep_pick_list_has_only_the_organizations_reps(client, alice, bob):
    for user, own, other in ((alice, alice, bob), (bob, bob, alice)):
        client.force_login(user)

        response = client.get(PAGE, {"q": "price"})

        assertContains(response, f'<option value="{own.id}">')
        assertNotContains(response, other.id)


def test_a_rep_of_another_organization_is_refused_as_a_filter(client, alice, bob):
    client.force_login(alice)
    client.get(PAGE, {"q": "price"})
    client.force_login(bob)

    response = client.get(PAGE, {"q": "price", "user_id": alice.id})

    assertContains(response, "Select a valid choice.")


def test_calls_can_be_narrowed_to_days(alice_browser, lead, alice):
    call_saying(lead, alice, "Price talk", activity_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    kept = call_saying(lead, alice, "Price talk", activity_at=datetime(2026, 3, 5, 23, tzinfo=UTC))
    call_saying(lead, alice, "Price talk", activity_at=datetime(2026, 3, 6, 0, 1, tzinfo=UTC))

    response = alice_browser.get(
        PAGE, {"q": "price", "activity_at__gte": "2026-03-02", "activity_at__lte": "2026-03-05"}
    )

    assert results(response) == [kept.id]


def test_calls_can_be_narrowed_to_a_disposition(alice_browser, lead, alice):
    call_saying(lead, alice, "Price talk", disposition="answered")
    left = make_call(
        lead, alice, disposition="vm-left",
        transcripts={"voicemail_transcript": {"utterances": [
            {"speaker_side": "close-user", "speaker_label": "Alice", "start": 0, "end": 2,
             "text": "About the price"}]}},
    )  # fmt: skip

    response = alice_browser.get(PAGE, {"q": "price", "disposition": "vm-left"})

    assert results(response) == [left.id]
    assertContains(response, "(rep, voicemail)")


def test_a_filter_it_cannot_read_is_shown_and_left_out(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "fleet", "activity_at__gte": "someday"})

    assert results(response) == [call.id]
    assertContains(response, "Enter a valid date.")


def test_calls_come_best_match_first_or_newest_first(alice_browser, lead, alice):
    once = call_saying(lead, alice, "The renewal", activity_at=datetime(2026, 3, 2, tzinfo=UTC))
    often = call_saying(
        lead, alice, "Renewal, renewal, renewal", activity_at=datetime(2026, 3, 1, tzinfo=UTC)
    )

    best = alice_browser.get(PAGE, {"q": "renewal"})
    newest = alice_browser.get(PAGE, {"q": "renewal", "order": "newest"})

    assert results(best) == [often.id, once.id]
    assert results(newest) == [once.id, often.id]
    assertContains(best, '<a href="?q=renewal&amp;order=newest">Newest</a>', html=True)
    assertContains(newest, '<a href="?q=renewal&amp;order=newest" aria-current="true">Newest</a>')


def test_results_come_a_page_at_a_time(alice_browser, lead, alice):
    calls = [
        call_saying(lead, alice, "Renewal", activity_at=datetime(2026, 1, 1 + n, tzinfo=UTC))
        for n in range(CALLS_PER_PAGE + 2)
    ]
    newest_first = [call.id for call in reversed(calls)]

    first = alice_browser.get(PAGE, {"q": "renewal", "order": "newest"})
    second = alice_browser.get(PAGE, {"q": "renewal", "order": "newest", "page": "2"})

    assert results(first) == newest_first[:CALLS_PER_PAGE]
    assert results(second) == newest_first[CALLS_PER_PAGE:]
    assertContains(first, '<a rel="next" href="?q=renewal&amp;order=newest&amp;page=2">')
    assertNotContains(second, 'rel="next"')
    assertContains(second, '<a rel="prev" href="?q=renewal&amp;order=newest&amp;page=1">')


def test_a_page_number_it_cannot_read_is_the_first_page(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "fleet", "page": "x"})

    assert results(response) == [call.id]


def test_no_match_says_so(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "zeppelin"})

    assertContains(response, "No call says “zeppelin”.")


def test_a_search_of_only_left_out_words_says_what_is_missing(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "-budget"})

    assert results(response) == []
    assertContains(response, "Type a word to find")


def test_a_search_too_long_says_so(alice_browser, call):
    response = alice_browser.get(PAGE, {"q": "budget " * 100})

    assertContains(response, "A search has at most 500 characters.")


def test_the_empty_page_says_what_it_does(alice_browser):
    response = alice_browser.get(PAGE)

    assert response.status_code == 200
    assertContains(response, "Find any word said in a call or written in its note")


def test_a_user_of_no_organization_is_refused(client, db):
    client.force_login(User.objects.create_user("loner", password="x"))

    assert client.get(PAGE, {"q": "x"}).status_code == 403


def test_the_queries_do_not_grow_with_the_results(
    alice_browser, acme, alice, django_assert_num_queries
):
    lead = make_lead(acme, name="Fleet Logistics")
    make_contact(lead, name="Dana")
    call_saying(lead, alice, "Fleet budget", note="Fleet note")
    with django_assert_num_queries(QUERIES) as one:
        response = alice_browser.get(PAGE, {"q": "fleet"})
    assert len(response.context["results"]) == 1

    for n in range(CALLS_PER_PAGE + 5):
        other = make_lead(acme, name=f"Fleet {n}")
        make_contact(other)
        call_saying(other, make_user(acme), "Fleet budget", "Fleet again", note="Fleet")
    with django_assert_num_queries(QUERIES) as many:
        response = alice_browser.get(PAGE, {"q": "fleet"})

    assert response.status_code == 200
    assert len(response.context["results"]) == CALLS_PER_PAGE
    assert len(response.context["leads"]) == 6
    assertContains(response, "<mark>Fleet</mark>", count=CALLS_PER_PAGE * 3)
    assert len(one.captured_queries) == len(many.captured_queries)


# The session and its user, the user's memberships (the one the page acts for, the organization
# switcher's), the page of calls, their matches, the calls themselves, the leads found and their
# first contacts, the reps of the filter.
QUERIES = 9
