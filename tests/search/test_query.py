"""What a search finds: every word, phrases, `or`, `-word`, other forms of a word."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from tests.search.conftest import call_saying

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(lead, alice):
    """Three calls, each saying something else about the fleet."""
    return {
        "budget": call_saying(lead, alice, "The fleet budget is approved"),
        "pricing": call_saying(lead, alice, "Pricing for the fleet, then the budget"),
        "discount": call_saying(lead, alice, "A discount on the fleet would help"),
    }


def test_every_word_must_be_said(search, calls):
    assert sorted(search("fleet budget")) == sorted([calls["budget"].id, calls["pricing"].id])


def test_the_words_may_be_said_in_different_utterances_of_a_call(search, lead, alice):
    call = call_saying(lead, alice, "The fleet is growing", "The budget is not")

    assert search("fleet growing") == [call.id]
    assert search("fleet budget") == []  # both words in one utterance or note


def test_a_quoted_phrase_must_be_said_in_that_order(search, calls):
    assert search('"fleet budget"') == [calls["budget"].id]


def test_or_takes_either_word(search, calls):
    assert sorted(search("pricing or discount")) == sorted(
        [calls["pricing"].id, calls["discount"].id]
    )


def test_a_word_after_a_minus_leaves_out_what_says_it(search, calls):
    assert sorted(search("fleet -budget")) == [calls["discount"].id]


def test_a_phrase_after_a_minus_leaves_out_what_says_it(search, calls):
    assert sorted(search('fleet -"fleet budget"')) == sorted(
        [calls["pricing"].id, calls["discount"].id]
    )


def test_other_forms_of_a_word_are_found(search, lead, alice):
    call = call_saying(lead, alice, "Our pricing changed last month")

    assert search("priced") == [call.id]
    assert search("prices") == [call.id]


def test_case_and_punctuation_do_not_matter(search, calls):
    assert search("FLEET, BUDGET!") != []
    assert search("Fleet Budget") == search("fleet budget")


def test_a_search_of_nothing_but_left_out_words_is_refused(alice_api, calls):
    response = alice_api.get("/api/v1/activity/call/search/", {"query": "-budget"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "query must have a word to find (words after - are left out)."
    }


def test_the_best_match_comes_first(search, lead, alice):
    once = call_saying(lead, alice, "The renewal", activity_at=datetime(2026, 3, 2, tzinfo=UTC))
    often = call_saying(
        lead, alice, "Renewal, renewal, renewal", activity_at=datetime(2026, 3, 1, tzinfo=UTC)
    )

    assert search("renewal") == [often.id, once.id]
    assert search("renewal", _order_by="-activity_at") == [once.id, often.id]
    assert search("renewal", _order_by="activity_at") == [often.id, once.id]


@pytest.mark.postgresql
def test_the_text_search_configuration_is_a_setting(search, lead, alice, settings):
    """With `simple`, words are matched as written: no stemming, no stop words."""
    call = call_saying(lead, alice, "Our pricing changed")
    settings.SEARCH_CONFIG = "simple"
    call_command("rebuild_search_index", stdout=io.StringIO())

    assert search("priced") == []
    assert search("pricing") == [call.id]
    assert search("our") == [call.id]  # a stop word in English, a word like any in `simple`


@pytest.mark.postgresql
def test_stop_words_alone_find_nothing(search, calls):
    assert search("the") == []
