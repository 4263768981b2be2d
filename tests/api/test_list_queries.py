"""What a call list costs: a constant number of queries, never a COUNT, deep pages via the index."""

import datetime

import pytest
from django.db import connection

from accounts.models import ApiKey, User
from tests.conftest import make_call

URL = "/api/v1/activity/call/"


@pytest.fixture
def calls(lead, alice):
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    return [
        make_call(lead, alice, activity_at=start + datetime.timedelta(hours=n)) for n in range(7)
    ]


@pytest.mark.parametrize(
    "query", ["", "?_limit=3", "?lead_id={lead}", "?user_id={user}&activity_at__gte=2026-11-01"]
)
def test_a_list_costs_the_key_lookup_and_one_query(
    alice_api, calls, lead, alice, query, django_assert_num_queries
):
    with django_assert_num_queries(2) as captured:
        response = alice_api.get(URL + query.format(lead=lead.id, user=alice.id))

    assert response.status_code == 200
    expected = [call.id for call in reversed(calls)][: 3 if "_limit" in query else None]
    assert [item["id"] for item in response.json()["data"]] == expected
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


@pytest.mark.parametrize("skip", [1, 3, 6, 7, 10])
def test_a_deep_page_is_the_same_slice_of_the_same_order(alice_api, calls, skip):
    everything = [item["id"] for item in alice_api.get(URL + "?_limit=100").json()["data"]]

    page = alice_api.get(URL + f"?_skip={skip}&_limit=2").json()

    assert [item["id"] for item in page["data"]] == everything[skip : skip + 2]
    assert page["has_more"] is (skip + 2 < len(everything))


@pytest.mark.postgresql
def test_a_deep_page_is_one_query_that_skips_over_the_index_alone(
    alice_api, calls, django_assert_num_queries
):
    """The OFFSET is applied to the ids (index-only at scale); whole rows are read for the page."""
    everything = [item["id"] for item in alice_api.get(URL).json()["data"]]

    with django_assert_num_queries(2) as captured:
        response = alice_api.get(URL + "?_skip=3&_limit=2")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == everything[3:5]
    sql = captured.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # as at scale, where sorting is dearer
        cursor.execute("EXPLAIN (VERBOSE) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    inner = sql.upper().split(" IN (SELECT ")[1]
    assert "OFFSET 3" in inner and "LIMIT 3" in inner
    assert "call_org_activity on public.activities_call u0" in plan


def test_a_deep_page_stays_within_the_callers_organization(alice_api, bob_api, calls, globex):
    assert bob_api.get(URL + "?_skip=1").json() == {"has_more": False, "data": []}


def test_lists_with_and_without_a_filter_agree(alice_api, calls, lead):
    """The FilterSet is skipped without filters and reused with them: same answers either way."""
    everything = alice_api.get(URL).json()["data"]

    assert alice_api.get(URL + f"?lead_id={lead.id}").json()["data"] == everything
    assert alice_api.get(URL + "?lead_id=lead_unknown").json()["data"] == []


def test_a_revoked_key_is_refused_on_the_next_request(alice_api, alice, calls):
    assert alice_api.get(URL).status_code == 200

    ApiKey.objects.get(membership__user=alice).revoke()

    assert alice_api.get(URL).status_code == 401


def test_a_deactivated_users_key_is_refused(alice_api, alice, calls):
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert alice_api.get(URL).status_code == 401


def test_a_deep_page_with_transcripts_is_still_the_key_and_one_query(
    alice_api, calls, lead, alice, django_assert_num_queries
):
    transcript = {"utterances": [], "summary_text": "Asked for a demo"}
    make_call(lead, alice, transcripts={"recording_transcript": transcript})

    first = alice_api.get(URL + "?_limit=1&_fields=recording_transcript").json()["data"]
    with django_assert_num_queries(2):
        response = alice_api.get(URL + "?_skip=1&_limit=1&_fields=recording_transcript")

    assert response.status_code == 200
    deep = response.json()["data"]
    assert first[0]["recording_transcript"]["summary_text"] == "Asked for a demo"
    assert deep[0]["recording_transcript"] is None
