"""`GET /api/v1/event/`: Close's event log, its filters and its cursor paging."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services
from api.dates import format_close_datetime
from events.models import Event
from tests.conftest import make_call, make_lead, make_user

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/event/"


def _page(api, **params):
    response = api.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return response.json()


def _all_pages(api, between_pages=lambda: None, **params):
    """Follow `cursor_next` as tap-closeio does; return the events and the number of pages."""
    events, pages = [], 0
    while True:
        page = _page(api, **params)
        events += page["data"]
        pages += 1
        if not page["cursor_next"]:
            return events, pages
        params["_cursor"] = page["cursor_next"]
        between_pages()


def test_the_log_lists_the_organizations_events_newest_first_in_closes_envelope(
    alice_api, lead, alice
):
    first, second = make_call(lead, alice), make_call(lead, alice)

    page = _page(alice_api)

    assert set(page) == {"data", "cursor_next", "cursor_previous"}
    assert [event["object_id"] for event in page["data"]] == [second.id, first.id]
    assert page["cursor_next"] is None
    assert page["data"][0] == alice_api.get(f"{EVENTS}{page['data'][0]['id']}/").json()


def test_paging_through_more_events_than_a_page_while_new_ones_arrive_loses_and_repeats_none(
    alice_api, lead, alice
):
    for _ in range(120):
        make_call(lead, alice)
    existing = list(Event.objects.order_by("-date_updated", "-id").values_list("id", flat=True))
    # A run of events with the very same date_updated, across the first page's end.
    middle = Event.objects.get(pk=existing[50]).date_updated
    Event.objects.filter(pk__in=existing[40:60]).update(date_updated=middle)
    existing = list(Event.objects.order_by("-date_updated", "-id").values_list("id", flat=True))

    events, pages = _all_pages(alice_api, between_pages=lambda: make_call(lead, alice))

    assert pages == 3
    assert [event["id"] for event in events] == existing
    assert Event.objects.count() == 122  # two arrived while paging, newer than the first page


def test_cursor_previous_gives_the_newer_events(alice_api, lead, alice):
    make_call(lead, alice)
    newest = _page(alice_api)
    later = [make_call(lead, alice).id for _ in range(3)]

    page = _page(alice_api, _cursor=newest["cursor_previous"], _limit=2)
    then = _page(alice_api, _cursor=page["cursor_previous"], _limit=2)

    assert [event["object_id"] for event in page["data"]] == [later[1], later[0]]
    assert [event["object_id"] for event in then["data"]] == [later[2]]
    assert [e["id"] for e in _page(alice_api, _cursor=page["cursor_next"])["data"]] == [
        newest["data"][0]["id"]
    ]


def test_limit_defaults_to_fifty_and_is_capped_there(alice_api, lead, alice):
    for _ in range(55):
        make_call(lead, alice)

    assert len(_page(alice_api)["data"]) == 50
    assert len(_page(alice_api, _limit=200)["data"]) == 50
    assert len(_page(alice_api, _limit=3)["data"]) == 3


@pytest.mark.parametrize("limit", ["0", "-1", "ten"])
def test_a_limit_that_is_no_positive_number_is_refused(alice_api, limit):
    response = alice_api.get(EVENTS, {"_limit": limit})

    assert response.status_code == 400
    assert "_limit" in response.json()["error"]


def test_a_cursor_comes_with_the_filters_it_was_made_with(alice_api, lead, alice):
    for _ in range(3):
        make_call(lead, alice)
    page = _page(alice_api, object_type="activity.call", _limit=1)

    same = alice_api.get(EVENTS, {"object_type": "activity.call", "_cursor": page["cursor_next"]})
    other = alice_api.get(EVENTS, {"object_type": "lead", "_cursor": page["cursor_next"]})
    none = alice_api.get(EVENTS, {"_cursor": page["cursor_next"]})
    later_dates = alice_api.get(
        EVENTS,
        {
            "object_type": "activity.call",
            "_cursor": page["cursor_next"],
            "date_updated__gte": "2000-01-01",
        },
    )

    assert same.status_code == later_dates.status_code == 200
    assert other.status_code == none.status_code == 400
    assert "object_type=activity.call" in other.json()["error"]


@pytest.mark.parametrize("cursor", ["nonsense", "eyJ3IjoibmV4dCJ9:1abc:xyz"])
def test_a_cursor_this_api_did_not_give_is_refused(alice_api, cursor):
    response = alice_api.get(EVENTS, {"_cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {"error": "_cursor is not a cursor this list gave."}


def test_each_filter_narrows_the_log(alice_api, acme, lead, alice):
    carol = make_user(acme)
    other_lead = make_lead(acme)
    mine, theirs = make_call(lead, alice), make_call(other_lead, carol)
    services.call_update(mine, updated_by=alice, fields={"duration": 5})
    recorded = {event.object_id: event for event in Event.objects.all()}
    request_id = "req_abc"
    Event.objects.filter(pk=recorded[theirs.id].pk).update(request_id=request_id)

    def ids(**params):
        return [(e["object_id"], e["action"]) for e in _page(alice_api, **params)["data"]]

    assert ids(object_type="activity.call", action="updated") == [(mine.id, "updated")]
    assert ids(lead_id=other_lead.id) == [(theirs.id, "created")]
    assert ids(user_id=carol.id) == [(theirs.id, "created")]
    assert ids(object_id=mine.id) == [(mine.id, "updated"), (mine.id, "created")]
    assert ids(request_id=request_id) == [(theirs.id, "created")]
    assert ids(lead_id=lead.id, user_id=alice.id, object_type="activity.call") == [
        (mine.id, "updated"),
        (mine.id, "created"),
    ]


def test_date_updated_filters_bound_the_log(alice_api, lead, alice):
    old, new = make_call(lead, alice), make_call(lead, alice)
    yesterday = timezone.now() - timedelta(days=1)
    Event.objects.filter(object_id=old.id).update(date_updated=yesterday)
    since = format_close_datetime(yesterday + timedelta(hours=1))

    after = _page(alice_api, date_updated__gte=since)["data"]
    before = _page(alice_api, date_updated__lt=since)["data"]

    assert [event["object_id"] for event in after] == [new.id]
    assert [event["object_id"] for event in before] == [old.id]


@pytest.mark.parametrize(
    "params",
    [{"object_type": "opportunity"}, {"action": "merged"}, {"date_updated__gte": "yesterday"}],
)
def test_a_filter_with_a_value_it_cannot_take_is_a_400(alice_api, params):
    response = alice_api.get(EVENTS, params)

    assert response.status_code == 400
    assert list(response.json()["field-errors"]) == list(params)


def test_members_see_the_objects_of_events_only_in_their_first_hour(
    alice_api, acme_admin_api, lead, alice
):
    old, new = make_call(lead, alice), make_call(lead, alice)
    Event.objects.filter(object_id=old.id).update(
        date_created=timezone.now() - timedelta(hours=1, minutes=1)
    )
    old_event = Event.objects.get(object_id=old.id)

    seen = {e["object_id"]: e for e in _page(alice_api)["data"]}
    one = alice_api.get(f"{EVENTS}{old_event.id}/").json()
    by_admin = {e["object_id"]: e for e in _page(acme_admin_api)["data"]}

    assert "data" not in seen[old.id] and "previous_data" not in seen[old.id]
    assert "data" not in one and one["object_id"] == old.id
    assert seen[new.id]["data"]["id"] == new.id
    assert by_admin[old.id]["data"]["id"] == old.id


def test_a_page_costs_the_key_and_the_page_and_for_a_member_one_more(
    alice_api, acme_admin_api, lead, alice, django_assert_num_queries
):
    for _ in range(5):
        make_call(lead, alice)

    with django_assert_num_queries(2):
        by_admin = acme_admin_api.get(EVENTS, {"object_type": "activity.call"})
    with django_assert_num_queries(3):
        by_member = alice_api.get(EVENTS, {"object_type": "activity.call"})

    assert by_admin.status_code == by_member.status_code == 200
    assert len(by_admin.json()["data"]) == len(by_member.json()["data"]) == 5


def test_another_organizations_events_are_out_of_reach(bob_api, lead, alice):
    make_call(lead, alice)
    event = Event.objects.get()

    assert bob_api.get(f"{EVENTS}{event.id}/").status_code == 404
    assert _page(bob_api, lead_id=lead.id)["data"] == []
