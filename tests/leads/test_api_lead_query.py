"""Close's lead `query` on /api/v1/lead/ (leads/query.py): each form the ETL connectors send
(tests/leads/connectors.py), the rest of the subset, what is refused, and the tenant wall."""

import datetime
import json
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from tests.conftest import make_call, make_contact, make_lead
from tests.leads.connectors import AIRBYTE_029, AIRBYTE_CDK, SINGER, airbyte_06_body

URL = "/api/v1/lead/"
UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)


def at(*parts):
    return datetime.datetime(*parts, tzinfo=UTC)


def make_leads(organization, *dates_updated):
    """Leads changed last at each of `dates_updated`, in that order of creation."""
    leads = [make_lead(organization) for _ in dates_updated]
    for lead, date in zip(leads, dates_updated, strict=True):
        Lead.objects.filter(pk=lead.pk).update(date_updated=date)
    return leads


def many_leads(organization, count, start):
    """`count` leads changed a minute apart from `start`, created in one statement."""
    created = Lead.objects.bulk_create(
        Lead(organization=organization, name=f"Lead {n}", date_created=start + n * MINUTE)
        for n in range(count)
    )
    Lead.objects.filter(pk__in=[lead.pk for lead in created]).update(date_updated=F("date_created"))
    return [lead.pk for lead in created]


def ids(response):
    assert response.status_code == 200, response.content
    return [lead["id"] for lead in response.json()["data"]]


def page_through(client, params, limit, body=None):
    """Read every page the way the connectors do: `_skip` grows until `has_more` is false."""
    found, skip = [], 0
    while True:
        query = {**params, "_limit": limit, "_skip": skip}
        if body is None:
            response = client.get(URL, query)
        else:
            path = f"{URL}?{urlencode(query)}"
            response = client.generic("GET", path, json.dumps(body), "application/json")
        found += ids(response)
        skip += limit
        if not response.json()["has_more"]:
            return found


def error(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


# The connectors' forms ---------------------------------------------------------------------


def test_singers_query_answers_leads_changed_since_the_minute_oldest_first(alice_api, acme):
    before, first, second, third = make_leads(
        acme,
        at(2026, 1, 31, 9, 14, 59, 999999),
        at(2026, 2, 3),
        at(2026, 1, 31, 9, 15),
        at(2026, 1, 31, 9, 15, 30),
    )

    assert ids(alice_api.get(URL, {"query": SINGER})) == [second.id, third.id, first.id]


def test_singers_query_pages_with_skip_to_the_end(alice_api, acme):
    expected = many_leads(acme, 250, at(2026, 1, 31, 9, 15))
    make_leads(acme, at(2026, 1, 31, 9, 14))

    assert page_through(alice_api, {"query": SINGER}, 100) == expected


@pytest.mark.parametrize(
    "query_string",
    [
        urlencode({"query": AIRBYTE_CDK}),
        # Its `+` unescaped, so that it arrives decoded as a space.
        "query=sort:updated%20date_updated%20%3E=%202021-06-25T13:30:09.151000+00:00",
    ],
)
def test_airbytes_query_answers_leads_changed_since_its_state(alice_api, acme, query_string):
    _, same, later = make_leads(
        acme,
        at(2021, 6, 25, 13, 30, 9, 150999),
        at(2021, 6, 25, 13, 30, 9, 151000),
        at(2021, 6, 25, 13, 31),
    )

    assert ids(alice_api.get(URL, QUERY_STRING=query_string)) == [same.id, later.id]


def test_airbytes_query_pages_with_skip_to_the_end(alice_api, acme):
    expected = many_leads(acme, 450, at(2021, 6, 25, 13, 31))
    make_leads(acme, at(2021, 6, 25, 13, 30))

    assert page_through(alice_api, {"query": AIRBYTE_CDK}, 200) == expected


def test_airbyte_029s_yearly_slice_is_after_its_start_and_up_to_its_end(alice_api, acme):
    _, start, inside, end, _ = make_leads(
        acme,
        at(2021, 6, 25),
        at(2021, 6, 25, 0, 0, 0, 1),
        at(2022, 1, 1),
        at(2022, 6, 25),
        at(2022, 6, 25, 0, 0, 0, 1),
    )

    assert page_through(alice_api, {"query": AIRBYTE_029}, 200) == [start.id, inside.id, end.id]


def test_airbyte_06s_body_on_the_get_filters_and_sorts(alice_api, acme):
    _, start, inside, _ = make_leads(
        acme,
        at(2025, 12, 31, 23, 59, 59, 999999),
        at(2026, 1, 1),
        at(2026, 3, 1),
        at(2026, 6, 1),
    )
    body = airbyte_06_body("2026-01-01T00:00:00.000000+0000", "2026-06-01T00:00:00.000000+0000")

    assert page_through(alice_api, {}, 200, body) == [start.id, inside.id]


def test_airbyte_06s_body_pages_with_skip_to_the_end(alice_api, acme):
    expected = many_leads(acme, 450, at(2026, 1, 1))
    body = airbyte_06_body("2026-01-01T00:00:00.000000+0000", "2027-01-01T00:00:00.000000+0000")

    assert page_through(alice_api, {}, 200, body) == expected


def test_a_body_that_is_not_json_is_ignored(alice_api, acme):
    older, newer = make_leads(acme, at(2026, 1, 1), at(2026, 2, 1))

    response = alice_api.generic("GET", URL, b"sort=date_updated", "text/plain")

    assert ids(response) == [newer.id, older.id]


def test_a_json_body_of_another_shape_is_ignored(alice_api, acme):
    older, newer = make_leads(acme, at(2026, 1, 1), at(2026, 2, 1))
    body = {"sort": [{"field": "name"}], "query": {"type": "or", "queries": []}}

    assert page_through(alice_api, {}, 200, body) == [newer.id, older.id]


def test_a_query_and_a_body_both_apply(alice_api, acme):
    wanted, too_old, _ = make_leads(acme, at(2026, 2, 1), at(2025, 2, 1), at(2026, 2, 1))
    Lead.objects.filter(pk__in=[wanted.pk, too_old.pk]).update(name="Wayne Enterprises")
    body = airbyte_06_body("2026-01-01", "2026-12-31")

    assert page_through(alice_api, {"query": "wayne"}, 200, body) == [wanted.id]


def test_a_date_alone_in_the_body_spans_its_whole_last_day(alice_api, acme):
    _, first_day, last_day, _ = make_leads(
        acme, at(2025, 12, 31), at(2026, 1, 1), at(2026, 1, 31, 23, 59), at(2026, 2, 1)
    )
    body = airbyte_06_body("2026-01-01", "2026-01-31")

    assert page_through(alice_api, {}, 200, body) == [first_day.id, last_day.id]


# The rest of the subset --------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        'date_updated>="2026-01-31"',
        "date_updated >= 2026-01-31",
        "date_updated>=2026-01-31T00:00",
        'date_updated >= "2026-01-31T00:00:00Z"',
        "date_updated>=2026-01-31T01:00:00.000000+01:00",
        "date_updated >= 2026-01-30T19:00:00-05:00",
        "DATE_UPDATED >= 2026-01-31",
    ],
)
def test_each_date_form_means_the_same_moment(alice_api, acme, query):
    _, on, after = make_leads(
        acme, at(2026, 1, 30, 23, 59, 59, 999999), at(2026, 1, 31), at(2026, 2, 1)
    )

    assert ids(alice_api.get(URL, {"query": f"{query} sort:date_updated"})) == [on.id, after.id]


@pytest.mark.parametrize(
    ("operator", "expected"),
    [(">=", ["on", "after"]), (">", ["after"]), ("<=", ["before", "on"]), ("<", ["before"])],
)
def test_each_operator(alice_api, acme, operator, expected):
    before, on, after = make_leads(acme, at(2026, 1, 30), at(2026, 1, 31), at(2026, 2, 1))
    leads = {"before": before.id, "on": on.id, "after": after.id}
    query = f"date_updated {operator} 2026-01-31 sort:updated"

    assert ids(alice_api.get(URL, {"query": query})) == [leads[name] for name in expected]


def test_date_created_can_be_compared_and_sorted_on(alice_api, acme):
    older = make_lead(acme, date_created=at(2025, 1, 1))
    newer = make_lead(acme, date_created=at(2025, 6, 1))
    make_lead(acme, date_created=at(2024, 12, 31))

    response = alice_api.get(URL, {"query": "date_created>=2025-01-01 sort:created"})

    assert ids(response) == [older.id, newer.id]


@pytest.mark.parametrize("sort", ["sort:-date_updated", "sort:-updated"])
def test_a_minus_sorts_newest_first(alice_api, acme, sort):
    older, newer = make_leads(acme, at(2026, 1, 1), at(2026, 2, 1))

    assert ids(alice_api.get(URL, {"query": sort})) == [newer.id, older.id]


def test_ties_are_broken_by_id_so_pages_never_repeat(alice_api, acme):
    leads = make_leads(acme, *[at(2026, 1, 1)] * 5)

    found = page_through(alice_api, {"query": "sort:date_updated"}, 2)

    assert found == sorted(lead.id for lead in leads)


def test_without_a_sort_the_list_keeps_its_default_order(alice_api, acme):
    older = make_lead(acme, date_created=at(2025, 1, 1))
    newer = make_lead(acme, date_created=at(2025, 6, 1))
    Lead.objects.update(date_updated=at(2026, 1, 1))

    assert ids(alice_api.get(URL, {"query": "date_updated>=2026-01-01"})) == [newer.id, older.id]


@pytest.mark.parametrize(
    "query",
    ["wayne", "Bruce", '"Bruce Wayne"', "BRUCE@WAYNE.example", "650-555-1234", "+1 650 555 1234"],
)
def test_free_words_find_leads_by_name_email_or_phone(alice_api, acme, query):
    lead = make_lead(acme, name="Wayne Enterprises")
    make_contact(
        lead,
        name="Bruce Wayne",
        emails=[{"email": "bruce@wayne.example"}],
        phones=[{"phone": "+16505551234"}],
    )
    other = make_lead(acme, name="Stark Industries")
    make_contact(
        other,
        name="Tony Stark",
        emails=[{"email": "tony@stark.example"}],
        phones=[{"phone": "+14155550000"}],
    )

    assert ids(alice_api.get(URL, {"query": query})) == [lead.id]


def test_a_decoded_plus_before_a_phone_is_part_of_the_number(alice_api, acme, lead, contact):
    make_lead(acme, name="Stark Industries")

    assert ids(alice_api.get(URL, QUERY_STRING="query=+1+650+555+1234")) == [lead.id]


def test_every_word_must_match(alice_api, acme, lead, contact):
    make_lead(acme, name="Wayne Manor")

    assert ids(alice_api.get(URL, {"query": "wayne bruce"})) == [lead.id]


def test_has_calls_keeps_leads_with_a_call(alice_api, alice, acme, lead):
    make_call(lead, alice)
    make_lead(acme, name="Never called")

    assert ids(alice_api.get(URL, {"query": "has:calls"})) == [lead.id]


def test_terms_combine(alice_api, alice, acme):
    wanted, too_old, no_calls = make_lead(acme), make_lead(acme), make_lead(acme)
    for lead in (wanted, too_old):
        make_call(lead, alice)  # which moves the lead's date_updated
    Lead.objects.filter(pk__in=[wanted.pk, no_calls.pk]).update(date_updated=at(2026, 2, 1))
    Lead.objects.filter(pk=too_old.pk).update(date_updated=at(2026, 1, 1))

    response = alice_api.get(URL, {"query": "has:calls date_updated >= 2026-01-15 sort:updated"})

    assert ids(response) == [wanted.id]


def test_the_query_costs_no_more_queries_than_the_list(alice_api, acme, django_assert_num_queries):
    leads = make_leads(acme, at(2026, 2, 1), at(2026, 2, 2))
    for lead in leads:
        make_contact(lead)

    with django_assert_num_queries(4):  # the API key, the leads, their contacts, their tasks
        response = alice_api.get(URL, {"query": SINGER})

    assert ids(response) == [lead.id for lead in leads]
    assert all(lead["contacts"] for lead in response.json()["data"])


# What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "term"),
    [
        ('name:"Wayne"', 'name:"Wayne"'),
        ("has:emails", "has:emails"),
        ("slice:1/2", "slice:1/2"),
        ('call( date >= "2024-01-01" )', "call("),
        ("(wayne)", "(wayne)"),
        ("sort:name", "sort:name"),
        ("sort:", "sort:"),
        ("sort:updated sort:-created", "sort:-created"),
        ("calls > 3", "calls > 3"),
        ("date_updated = 2026-01-31", "date_updated = 2026-01-31"),
        ("date_updated => 2026-01-31", "date_updated => 2026-01-31"),
        ("date_created != 2026-01-31", "date_created != 2026-01-31"),
        ("date_updated >= yesterday", "date_updated >= yesterday"),
        ("date_updated >= 2026-02-30", "date_updated >= 2026-02-30"),
        ("date_updated >= 2026-01-31T25:00", "date_updated >= 2026-01-31T25:00"),
        ('date_updated >= "2026-01-31', 'date_updated >= "2026-01-31'),
        ("date_updated >=", "date_updated >="),
        ("date_updated", "date_updated"),
        ("wayne or stark", "or"),
        ("not wayne", "not"),
        ('"Bruce Wayne', '"Bruce Wayne'),
        ('"Bruce"Wayne', '"Bruce"Wayne'),
        ("wayne=enterprises", "wayne=enterprises"),
    ],
)
def test_an_unsupported_or_malformed_term_is_a_400_naming_it(alice_api, lead, query, term):
    assert f"`{term}`" in error(alice_api.get(URL, {"query": query}))


def test_a_query_of_too_many_terms_is_refused(alice_api, lead):
    assert "at most 20 terms" in error(alice_api.get(URL, {"query": " ".join("w" * 21)}))


def test_a_sort_in_the_query_and_an_order_by_are_refused_together(alice_api, lead):
    response = alice_api.get(URL, {"query": "sort:updated", "_order_by": "-date_created"})

    assert "_order_by" in error(response)


def test_an_empty_query_lists_every_lead(alice_api, acme):
    leads = make_leads(acme, at(2026, 1, 1), at(2026, 1, 2))

    assert set(ids(alice_api.get(URL, {"query": "  "}))) == {lead.id for lead in leads}


# Tenant walls ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", [SINGER, AIRBYTE_CDK, AIRBYTE_029, "has:calls", "Initech", "Peter", "sort:updated"]
)
def test_another_organizations_leads_never_match(alice_api, alice, acme, bob, globex, query):
    theirs = make_leads(globex, at(2021, 12, 1), at(2026, 2, 1))
    for lead in theirs:
        make_call(lead, bob)
        make_contact(lead, name="Peter Gibbons")
    Lead.objects.filter(organization=globex).update(name="Initech")
    ours = make_leads(acme, at(2026, 2, 1))

    found = set(ids(alice_api.get(URL, {"query": query})))

    assert not found & {lead.id for lead in theirs}
    assert found <= {lead.id for lead in ours}


def test_another_organizations_leads_never_match_the_airbyte_body(alice_api, acme, globex):
    make_leads(globex, at(2026, 2, 1))
    ours = make_leads(acme, at(2026, 2, 1))
    body = airbyte_06_body("2026-01-01T00:00:00.000000+0000", "2027-01-01T00:00:00.000000+0000")

    assert page_through(alice_api, {}, 200, body) == [ours[0].id]


# The index the connectors' reads use on PostgreSQL -----------------------------------------


def plan(sql):
    with connection.cursor() as cursor:
        # Fresh statistics, and sorting as dear as at scale: the plan the index gives there.
        cursor.execute("ANALYZE leads_lead")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgresql
@pytest.mark.parametrize("skip", [0, 100])
def test_the_connectors_reads_use_the_organization_date_updated_index(alice_api, acme, skip):
    """Filtered and ordered by the index; with `_skip`, the skipped rows are read from the
    index alone (lists' deferred join)."""
    make_leads(acme, at(2026, 2, 1), at(2026, 2, 2))

    with CaptureQueriesContext(connection) as captured:
        ids(alice_api.get(URL, {"query": SINGER, "_skip": skip}))
    [page] = [query["sql"] for query in captured.captured_queries if "leads_lead" in query["sql"]]

    used = plan(page)
    assert "Scan using lead_org_updated" in used
    assert re.search(r"Index Cond: .*organization_id.*date_updated >=", used)
    assert "Sort" not in used  # the index gives the order: no sorting of the changed leads
