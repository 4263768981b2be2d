"""Close's list protocol, the same on every list endpoint: _limit, _skip, _fields, _order_by."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_call, make_contact, make_lead, make_outcome, make_user

CALLS = "/api/v1/activity/call/"
LISTS = [
    "/api/v1/activity/call/",
    "/api/v1/activity/",
    "/api/v1/outcome/",
    "/api/v1/lead/",
    "/api/v1/contact/",
    "/api/v1/user/",
]


@pytest.fixture
def three_of_everything(acme, alice):
    """Three objects on every list (Alice and two more members for /user/)."""
    for _ in range(3):
        lead = make_lead(acme)
        make_contact(lead)
        make_call(lead, alice)
        make_outcome(acme)
    for _ in range(2):
        make_user(acme)


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("url", LISTS)
def test_every_list_has_the_envelope_and_honours_limit_and_skip(
    alice_api, three_of_everything, url
):
    everything = page(alice_api, url)["data"]

    first = page(alice_api, url, _limit=2)
    rest = page(alice_api, url, _limit=2, _skip=2)

    assert len(everything) == 3
    assert first["has_more"] is True
    assert rest["has_more"] is False
    assert first["data"] + rest["data"] == everything


@pytest.mark.parametrize("url", LISTS)
def test_every_list_honours_fields(alice_api, three_of_everything, url):
    data = page(alice_api, url, _fields="date_created")["data"]

    assert all(set(item) == {"id", "date_created"} for item in data)


@pytest.mark.parametrize("url", LISTS)
def test_every_list_refuses_a_bad_limit(alice_api, three_of_everything, url):
    response = alice_api.get(url, {"_limit": 1001})

    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_has_more_turns_false_exactly_at_the_end(alice_api, lead):
    calls = [make_call(lead) for _ in range(6)]

    pages, skip = [], 0
    while True:
        body = page(alice_api, CALLS, _limit=3, _skip=skip, _order_by="date_created")
        pages.append((len(body["data"]), body["has_more"]))
        skip += len(body["data"])
        if not body["has_more"]:
            break

    assert pages == [(3, True), (3, False)]
    assert skip == len(calls)


def test_skipping_past_the_end_gives_an_empty_page(alice_api, call):
    assert page(alice_api, CALLS, _skip=5) == {"has_more": False, "data": []}


def test_limit_defaults_to_100(alice_api, lead):
    for _ in range(101):
        make_call(lead)

    body = page(alice_api, CALLS)

    assert len(body["data"]) == 100
    assert body["has_more"] is True


def test_limit_may_be_1000(alice_api, call):
    assert page(alice_api, CALLS, _limit=1000)["has_more"] is False


def test_a_zero_limit_only_says_whether_there_is_anything(alice_api, call):
    assert page(alice_api, CALLS, _limit=0) == {"has_more": True, "data": []}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("_limit", "1001"),
        ("_limit", "-1"),
        ("_limit", "ten"),
        ("_limit", "1.5"),
        ("_limit", ""),
        ("_limit", "9" * 5000),
        ("_skip", "-1"),
        ("_skip", "x"),
        ("_skip", "99999999999999999999"),
    ],
)
def test_a_bad_limit_or_skip_is_a_400_error(alice_api, call, name, value):
    response = alice_api.get(CALLS, {name: value})

    assert response.status_code == 400
    assert name in response.json()["error"]


@pytest.mark.parametrize(
    "order_by", ["duration", "-id", "activity_at; DROP TABLE", "--date_created"]
)
def test_an_unknown_order_by_is_a_400_error(alice_api, call, order_by):
    response = alice_api.get(CALLS, {"_order_by": order_by})

    assert response.status_code == 400
    assert "_order_by" in response.json()["error"]


def test_has_more_costs_one_more_row_not_a_count(alice_api, call):
    with CaptureQueriesContext(connection) as queries:
        alice_api.get(CALLS, {"_limit": 1})

    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    assert "LIMIT 2" in queries.captured_queries[-1]["sql"]


def test_an_empty_fields_parameter_means_every_field(alice_api, call):
    assert page(alice_api, CALLS, _fields="")["data"] == page(alice_api, CALLS)["data"]
