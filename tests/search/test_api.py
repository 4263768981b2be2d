"""`GET /api/v1/activity/call/search/?query=…`: calls with where they say it, in Close's list."""

from datetime import UTC, datetime

import pytest

from search.api import UTTERANCES_PER_TRANSCRIPT
from tests.conftest import make_call, make_user
from tests.search.conftest import SEARCH, call_saying

pytestmark = pytest.mark.django_db


def test_a_call_comes_as_the_call_list_has_it_with_where_it_matches(alice_api, call):
    response = alice_api.get(SEARCH, {"query": "fleet budget"})

    assert response.status_code == 200
    body = response.json()
    listed = alice_api.get("/api/v1/activity/call/", {"id__in": call.id}).json()["data"][0]
    (found,) = body["data"]
    assert body["has_more"] is False
    assert {key: found[key] for key in listed} == listed
    assert found["matching_utterances"] == [
        {
            "transcript": "recording",
            "start": 5.0,
            "end": 9.0,
            "speaker_side": "close-user",
            "speaker_label": "Alice Archer",
            "text": "Hi Bruce, it's Alice. Is the fleet budget approved?",
            "fragment": "Hi Bruce, it&#x27;s Alice. Is the <mark>fleet</mark> <mark>budget</mark> "
            "approved?",
            "url": f"http://testserver/calls/{call.id}/transcript/?t=5.0#recording-1",
        },
        {
            "transcript": "recording",
            "start": 10.0,
            "end": 14.0,
            "speaker_side": "contact",
            "speaker_label": "Bruce Wayne",
            "text": "The fleet budget is approved for next quarter.",
            "fragment": "The <mark>fleet</mark> <mark>budget</mark> is approved for next quarter.",
            "url": f"http://testserver/calls/{call.id}/transcript/?t=10.0#recording-2",
        },
    ]
    assert found["note_fragment"] == (
        "<mark>Fleet</mark> <mark>budget</mark> approved; send the contract."
    )


def test_a_call_found_by_its_note_alone_has_no_utterances(alice_api, lead, alice):
    call = make_call(lead, alice, note="Send the contract")

    (found,) = alice_api.get(SEARCH, {"query": "contract"}).json()["data"]

    assert found["id"] == call.id
    assert found["matching_utterances"] == []
    assert found["note_fragment"] == "Send the <mark>contract</mark>"


def test_fields_are_honoured(alice_api, call):
    response = alice_api.get(SEARCH, {"query": "fleet", "_fields": "lead_id,note_fragment"})

    assert response.json()["data"] == [
        {
            "id": call.id,
            "lead_id": call.lead_id,
            "note_fragment": "<mark>Fleet</mark> budget approved; send the contract.",
        }
    ]


def test_a_call_gives_a_bounded_number_of_utterances_per_transcript(alice_api, lead, alice):
    call_saying(lead, alice, *(f"Budget item {n}" for n in range(UTTERANCES_PER_TRANSCRIPT + 3)))

    (found,) = alice_api.get(SEARCH, {"query": "budget"}).json()["data"]

    assert [u["text"] for u in found["matching_utterances"]] == [
        f"Budget item {n}" for n in range(UTTERANCES_PER_TRANSCRIPT)
    ]


def test_results_come_in_pages_of_close_s_list(alice_api, lead, alice):
    calls = [
        call_saying(lead, alice, "Renewal", activity_at=datetime(2026, 1, 1 + n, tzinfo=UTC))
        for n in range(5)
    ]
    newest_first = [call.id for call in reversed(calls)]
    params = {"query": "renewal", "_order_by": "-activity_at", "_limit": 2}

    pages = [alice_api.get(SEARCH, {**params, "_skip": skip}).json() for skip in (0, 2, 4)]

    assert [[call["id"] for call in page["data"]] for page in pages] == [
        newest_first[0:2], newest_first[2:4], newest_first[4:],
    ]  # fmt: skip
    assert [page["has_more"] for page in pages] == [True, True, False]


@pytest.mark.parametrize("params", [{}, {"query": ""}, {"query": "  "}, {"query": "?!"}])
def test_a_search_without_words_is_a_400_in_close_s_shape(alice_api, params):
    response = alice_api.get(SEARCH, params)

    assert response.status_code == 400
    assert response.json() == {
        "error": "query must have a word to find (words after - are left out)."
    }


def test_a_search_too_long_is_a_400(alice_api):
    response = alice_api.get(SEARCH, {"query": "budget " * 100})

    assert response.status_code == 400
    assert response.json() == {"error": "query: A search has at most 500 characters."}


def test_a_bad_filter_is_a_400_naming_it(alice_api, call):
    response = alice_api.get(SEARCH, {"query": "fleet", "speaker_side": "robot"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "speaker_side": "Select a valid choice. robot is not one of the available choices."
    }


def test_a_bad_order_is_a_400(alice_api, call):
    response = alice_api.get(SEARCH, {"query": "fleet", "_order_by": "duration"})

    assert response.status_code == 400
    assert "_order_by must be one of activity_at, rank" in response.json()["error"]


def test_the_search_does_not_take_the_place_of_a_call(alice_api, call):
    """`activity/call/search` is not a call's id, and a call's id is still one."""
    assert alice_api.get("/api/v1/activity/call/search", {"query": "fleet"}).status_code == 200
    assert alice_api.get(f"/api/v1/activity/call/{call.id}/").json()["id"] == call.id
    assert alice_api.put(SEARCH, {}, content_type="application/json").status_code == 405


def test_the_call_list_s_filters_narrow_the_search(alice_api, lead, alice, acme):
    jamie = make_user(acme)
    call_saying(lead, alice, "Renewal", disposition="answered")
    jamies = call_saying(lead, jamie, "Renewal", disposition="answered")
    call_saying(lead, jamie, "Renewal", disposition="no-answer")

    response = alice_api.get(
        SEARCH, {"query": "renewal", "user_id": jamie.id, "disposition": "answered"}
    )

    assert [call["id"] for call in response.json()["data"]] == [jamies.id]


def test_speaker_side_keeps_what_that_side_said(alice_api, lead, alice):
    call_saying(lead, alice, ("close-user", "Our price is fair"))
    theirs = call_saying(lead, alice, "The price is too high")
    make_call(lead, alice, note="Price objection")

    response = alice_api.get(SEARCH, {"query": "price", "speaker_side": "contact"})

    assert [call["id"] for call in response.json()["data"]] == [theirs.id]


def test_the_queries_do_not_grow_with_the_results(
    alice_api, lead, alice, acme, django_assert_num_queries
):
    call_saying(lead, alice, "Renewal", note="Renewal")
    with django_assert_num_queries(QUERIES) as one:
        response = alice_api.get(SEARCH, {"query": "renewal", "user_id": alice.id})
    assert len(response.json()["data"]) == 1

    for _ in range(30):
        call_saying(lead, alice, "Renewal", "Renewal again", note="Renewal")
    with django_assert_num_queries(QUERIES) as many:
        response = alice_api.get(SEARCH, {"query": "renewal", "user_id": alice.id})

    assert response.status_code == 200
    assert len(response.json()["data"]) == 31
    assert sum(len(call["matching_utterances"]) for call in response.json()["data"]) == 61
    assert len(one.captured_queries) == len(many.captured_queries)
    assert not [query for query in many.captured_queries if "COUNT(" in query["sql"].upper()]


# The API key, the page of calls, their matches, the calls as the API shows them.
QUERIES = 4
