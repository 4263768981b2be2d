"""Close's `extra_filter`: which events a subscription gets, judged on the event as delivered."""

import pytest

from activities import services
from events.delivery import deliveries_create, event_object
from events.extra_filters import matches
from events.models import Delivery, Event
from tests.conftest import make_call
from tests.events.conftest import make_subscription

EVENT = {
    "object_type": "activity.call",
    "action": "updated",
    "user_id": "user_1",
    "lead_id": None,
    "changed_fields": ["note", "note_html"],
    "data": {"duration": 60, "note": "Wants a demo next week", "users": [], "has_recording": True},
}


def field(name, inner):
    return {"type": "field_accessor", "field": name, "filter": inner}


def data(name, inner):
    return field("data", field(name, inner))


@pytest.mark.parametrize(
    ("extra_filter", "expected"),
    [
        (field("user_id", {"type": "equals", "value": "user_1"}), True),
        (field("user_id", {"type": "equals", "value": "user_2"}), False),
        (field("user_id", {"type": "not_equals", "value": "user_2"}), True),
        (data("duration", {"type": "equals", "value": 60}), True),
        (data("has_recording", {"type": "equals", "value": 1}), False),  # true is not 1
        (field("changed_fields", {"type": "contains", "value": "note"}), True),
        (field("changed_fields", {"type": "contains", "value": "duration"}), False),
        (data("note", {"type": "contains", "value": "demo"}), True),
        (data("note", {"type": "contains", "value": "price"}), False),
        (field("lead_id", {"type": "is_null"}), True),
        (field("lead_id", {"type": "non_null"}), False),
        (field("no_such_field", {"type": "is_null"}), True),
        (data("duration", field("deeper", {"type": "is_null"})), True),  # not an object
        (
            field("changed_fields", {"type": "any_array_value", "filter": {"type": "equals",
                                                                            "value": "note"}}),
            True,
        ),
        (data("users", {"type": "any_array_value", "filter": {"type": "non_null"}}), False),
        (data("note", {"type": "any_array_value", "filter": {"type": "non_null"}}), False),
        (
            {"type": "and", "filters": [field("action", {"type": "equals", "value": "updated"}),
                                        data("duration", {"type": "equals", "value": 60})]},
            True,
        ),
        (
            {"type": "and", "filters": [field("action", {"type": "equals", "value": "updated"}),
                                        data("duration", {"type": "equals", "value": 61})]},
            False,
        ),
        (
            {"type": "or", "filters": [data("duration", {"type": "equals", "value": 61}),
                                       field("lead_id", {"type": "is_null"})]},
            True,
        ),
        ({"type": "not", "filter": field("lead_id", {"type": "is_null"})}, False),
    ],
)  # fmt: skip
def test_a_filter_matches_what_closes_grammar_says(extra_filter, expected):
    assert matches(extra_filter, EVENT) is expected


@pytest.mark.django_db
def test_only_the_subscriptions_whose_filters_match_get_a_delivery(acme, lead, alice, receiver):
    note_changes = make_subscription(
        acme,
        alice,
        receiver.url("/notes"),
        events=[
            {
                "object_type": "activity.call",
                "action": "updated",
                "extra_filter": field("changed_fields", {"type": "contains", "value": "note"}),
            }
        ],
    )
    long_calls = make_subscription(
        acme,
        alice,
        receiver.url("/long"),
        events=[
            {
                "object_type": "activity.call",
                "action": "updated",
                "extra_filter": data("duration", {"type": "equals", "value": 600}),
            }
        ],
    )
    call = make_call(lead, alice, duration=60)

    services.call_update(call, updated_by=alice, fields={"note": "Call back on Monday"})
    note_event = Event.objects.get(action="updated")
    services.call_update(call, updated_by=alice, fields={"duration": 600})
    duration_event = Event.objects.filter(action="updated").exclude(pk=note_event.pk).get()

    assert event_object(note_event.id)["changed_fields"] == ["note", "note_html"]
    assert [d.subscription for d in deliveries_create(note_event.id)] == [note_changes]
    assert [d.subscription for d in deliveries_create(duration_event.id)] == [long_calls]
    assert deliveries_create(note_event.id) == []  # once per event and subscription
    assert Delivery.objects.count() == 2
