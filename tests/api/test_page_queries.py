"""A list's page query compiled once per shape (api/page_queries.py): the request's values are
bound as parameters, and each page answers what the ORM's path answers for the same request."""

import datetime

import pytest
from django.db import connection

from activities.api import CALL, CallViewSet
from api import page_queries
from tests.conftest import make_call, make_lead, make_user

URL = "/api/v1/activity/call/"
# The ORM's path: an indented answer is not written by the compiled query.
ORM_PATH = {"HTTP_ACCEPT": "application/json; indent=2"}
UTC = datetime.UTC


def at(day):
    return datetime.datetime(2026, 11, day, 12, tzinfo=UTC)


def ids(response):
    return [item["id"] for item in response.json()["data"]]


@pytest.fixture
def calls(acme, alice, lead):
    other_lead = make_lead(acme, name="Other")
    carol = make_user(acme, username="carol")
    return [
        make_call(lead, alice, activity_at=at(2), direction="outbound"),
        make_call(lead, carol, activity_at=at(4), direction="inbound", disposition="no-answer"),
        make_call(other_lead, alice, activity_at=at(6), direction="inbound"),
        make_call(other_lead, carol, activity_at=at(8), direction="outbound"),
    ]


@pytest.mark.postgresql
def test_pages_of_one_shape_compile_their_query_once(alice_api, calls):
    first, second = calls[0].lead_id, calls[2].lead_id
    alice_api.get(URL, {"lead_id": first, "_fields": "id,lead_id"})
    before = page_queries._compiled.cache_info()

    response = alice_api.get(URL, {"lead_id": second, "_fields": "id,lead_id"})

    after = page_queries._compiled.cache_info()
    assert response.status_code == 200
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert ids(response) == [calls[3].id, calls[2].id]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"_limit": "1"},
        {"_order_by": "date_created"},
        {"_fields": "id,user_name,recording_url,has_recording"},
        {"direction": "inbound"},
        {"disposition": "no-answer,answered"},
        {"activity_at__gte": "2026-11-04", "activity_at__lt": "2026-11-08"},
        {"date_created__lte": "2099-01-01T00:00:00Z", "lead_id": "lead_nonesuch"},
        {"lead_id": 'lead_"quoted",{braced},back\\slash,NULL'},
    ],
    ids=lambda params: ",".join(params) or "none",
)
def test_compiled_page_answers_as_the_orms_path(alice_api, calls, params):
    compiled = alice_api.get(URL, params)
    orm = alice_api.get(URL, params, **ORM_PATH)

    assert compiled.status_code == orm.status_code == 200
    assert compiled.json() == orm.json()


def test_one_shape_answers_for_each_requests_values(alice_api, calls):
    """The same filters, other values: each page has its own request's calls."""
    leads = {call.lead_id for call in calls}
    pages = {lead_id: ids(alice_api.get(URL, {"lead_id": lead_id})) for lead_id in leads}

    assert pages == {
        lead_id: [call.id for call in reversed(calls) if call.lead_id == lead_id]
        for lead_id in leads
    }


def test_a_list_filter_binds_any_number_of_ids(alice_api, calls):
    one = alice_api.get(URL, {"id__in": calls[0].id})
    three = alice_api.get(URL, {"id__in": f"{calls[0].id}, {calls[1].id},{calls[3].id},"})

    assert ids(one) == [calls[0].id]
    assert ids(three) == [calls[3].id, calls[1].id, calls[0].id]


def test_a_compiled_page_is_scoped_to_the_callers_organization(bob_api, calls):
    response = bob_api.get(URL, {"lead_id": calls[0].lead_id})

    assert response.status_code == 200
    assert response.json() == {"has_more": False, "data": []}


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "filters",
    [
        (),
        (("lead_id", "one"),),
        (("activity_at__gte", None), ("activity_at__lt", None), ("user_id", "one")),
    ],
    ids=["organization", "lead", "rep_range"],
)
def test_the_usual_call_pages_are_short_enough_for_psycopg_to_cache_their_parsing(db, filters):
    """psycopg parses a statement's placeholders on every execution unless it is at most
    MAX_CACHED_STATEMENT_LENGTH bytes long (then it remembers the parse): a key added to the
    call object can push the page query over it, a cost on every API page."""
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH

    keys = tuple(CALL.plan(None).keys)
    sql, _, _ = page_queries._compiled(
        CallViewSet, filters, ("-activity_at", "-id"), keys, connection.alias, 101
    )

    assert len(sql.encode()) <= MAX_CACHED_STATEMENT_LENGTH


@pytest.mark.parametrize(
    "params",
    [
        {"direction": "sideways"},
        {"activity_at__gte": "yesterday", "disposition": "maybe", "lead_id": "lead_a"},
        {"date_created__gt": "2026-13-01", "_limit": "many"},
    ],
    ids=["one", "several", "with-limit"],
)
def test_a_bad_filter_value_is_refused_as_the_orms_path_refuses_it(alice_api, calls, params):
    compiled = alice_api.get(URL, params)
    orm = alice_api.get(URL, params, **ORM_PATH)

    assert compiled.status_code == orm.status_code == 400
    assert compiled.json() == orm.json()


@pytest.mark.postgresql
def test_one_rep_reads_as_equality_so_postgresql_can_take_the_index_in_its_order(db):
    """`user_id = ANY(array)` makes PostgreSQL 15 read every call of the rep's range and sort
    them; `user_id = value` reads the first page of `call_org_user` as it lies."""
    keys = tuple(CALL.plan(None).keys)
    order = ("-activity_at", "-id")

    one, _, _ = page_queries._compiled(
        CallViewSet, (("user_id", "one"),), order, keys, connection.alias, 101
    )
    several, _, _ = page_queries._compiled(
        CallViewSet, (("user_id", "any"),), order, keys, connection.alias, 101
    )

    assert '"activities_call"."user_id" = (%s)' in one
    assert "ANY(" not in one
    assert '"activities_call"."user_id" = ANY(%s)' in several


def test_a_list_filter_answers_alike_with_one_value_and_with_several(alice_api, calls):
    lead_a, lead_b = calls[0].lead_id, calls[2].lead_id

    one = alice_api.get(URL, {"lead_id": lead_a})
    several = alice_api.get(URL, {"lead_id": f"{lead_a},{lead_b}"})

    assert ids(one) == [calls[1].id, calls[0].id]
    assert ids(several) == [call.id for call in reversed(calls)]
