"""GET /api/v1/activity/: Close's list of every activity, which here means calls."""

import datetime

import pytest

from tests.conftest import make_call, make_lead, make_user

URL = "/api/v1/activity/"


def ids(response):
    return [item["id"] for item in response.json()["data"]]


def test_lists_calls_as_the_call_endpoint_does(alice_api, call):
    response = alice_api.get(URL)

    assert response.status_code == 200
    assert response.json() == alice_api.get("/api/v1/activity/call/").json()


@pytest.mark.parametrize(
    "params", [{"_type": "Call"}, {"_type__in": "Email,Call"}, {"_type": "Note,Call"}]
)
def test_asking_for_calls_by_type_lists_them(alice_api, call, params):
    assert ids(alice_api.get(URL, params)) == [call.id]


@pytest.mark.parametrize(
    "params", [{"_type": "Email"}, {"_type__in": "Note,SMS"}, {"_type": "Meeting"}]
)
def test_other_activity_types_give_an_empty_list(alice_api, call, params):
    response = alice_api.get(URL, params)

    assert response.status_code == 200
    assert response.json() == {"has_more": False, "data": []}


def test_lead_id_in_and_user_id_in_filters(alice_api, acme, lead, alice):
    other_lead = make_lead(acme)
    carol = make_user(acme)
    wanted = make_call(lead, alice)
    make_call(lead, carol)
    make_call(other_lead, alice)

    response = alice_api.get(URL, {"lead_id__in": lead.id, "user_id__in": alice.id})

    assert ids(response) == [wanted.id]


def test_pages_like_the_singer_tap(alice_api, lead):
    """tap-closeio pages naive date_created windows with _skip and _limit."""
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    calls = [make_call(lead, date_created=start + datetime.timedelta(hours=n)) for n in range(5)]
    params = {
        "date_created__gt": "2026-11-01T00:00:00",
        "date_created__lt": "2026-11-02T00:00:00",
        "_order_by": "date_created",
        "_limit": 2,
    }

    seen, skip = [], 0
    while True:
        page = alice_api.get(URL, {**params, "_skip": skip}).json()
        seen += [item["id"] for item in page["data"]]
        skip += len(page["data"])
        if not page["has_more"]:
            break

    assert seen == [call.id for call in calls[1:]]


def test_another_organizations_activities_are_never_listed(alice_api, call, bob_call, bob_lead):
    assert ids(alice_api.get(URL)) == [call.id]
    assert ids(alice_api.get(URL, {"lead_id__in": bob_lead.id})) == []


def test_the_activity_list_is_one_query(alice_api, call, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = alice_api.get(URL, {"_type": "Call"})

    assert response.status_code == 200
    assert ids(response) == [call.id]


def test_another_type_costs_no_query_for_data(alice_api, call, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = alice_api.get(URL, {"_type": "Email"})

    assert response.status_code == 200
    assert response.json() == {"has_more": False, "data": []}
