"""The search page's filter form: the organization's pick lists, as the rep sees them."""

import pytest
from django.http import QueryDict

from activities.filters import TimelineFilter
from activities.models import Call
from search.filters import SearchPageFilter
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def rep_pick_list(organization, query=""):
    filters = SearchPageFilter(
        QueryDict(query) or None, queryset=Call.objects.none(), organization=organization
    )
    filters.is_valid()
    return str(filters.form["user_id"])


def test_a_reps_name_in_the_pick_list_stays_text(acme, alice):
    make_user(acme, first_name="<b>Jamie</b>", last_name="& Co")

    pick_list = rep_pick_list(acme)

    assert "&lt;b&gt;Jamie&lt;/b&gt; &amp; Co</option>" in pick_list
    assert "<b>" not in pick_list


def test_the_pick_list_offers_calls_without_a_rep(acme, alice):
    assert '<option value="none">No rep</option>' in rep_pick_list(acme)


def test_a_chosen_rep_is_selected(acme, alice):
    assert f'<option value="{alice.pk}" selected>Alice Archer</option>' in rep_pick_list(
        acme, f"user_id={alice.pk}"
    )


def test_the_timeline_pick_list_still_lists_the_reps_after_the_search_page_built_its_form(
    acme, alice
):
    """The search page's form class is built once from the filters it shares with the lead
    timeline's; building it must leave those filters' pick lists to each page."""
    rep_pick_list(acme)

    filters = TimelineFilter(None, queryset=Call.objects.none(), organization=acme)

    assert f'<option value="{alice.pk}">Alice Archer</option>' in str(filters.form["user_id"])
