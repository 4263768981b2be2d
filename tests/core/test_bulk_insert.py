"""`insert_all`: a batch of new objects written in one statement (COPY on PostgreSQL), each
value stored as `save()` would store it, and nothing written when one row is refused."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from activities.models import Call
from core.bulk_insert import insert_all
from events.models import Event
from tests.conftest import make_lead

AWKWARD_NOTE = 'Tab\there, a "quote", a back\\slash,\nNULL, \\N and {braces}, ünïcode — '


@pytest.fixture
def lead(acme):
    return make_lead(acme)


def new_call(lead, user, **fields):
    fields = {
        "created_by": user, "updated_by": user,
        "activity_at": datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
        **fields,
    }  # fmt: skip
    return Call(organization=lead.organization, lead=lead, user=user, **fields)


def test_each_value_is_stored_as_given(lead, alice):
    calls = [
        new_call(lead, alice, note=AWKWARD_NOTE, duration=61, cost=Decimal("12")),
        new_call(lead, None, note="", date_answered=None, created_by=alice),
    ]

    insert_all(calls)

    stored = {call.pk: call for call in Call.objects.filter(lead=lead)}
    assert set(stored) == {call.pk for call in calls}
    for call in calls:
        again = stored[call.pk]
        for field in Call._meta.concrete_fields:
            assert getattr(again, field.attname) == getattr(call, field.attname), field.name
        assert not call._state.adding


def test_json_values_are_stored_as_given(acme, alice):
    data = {"note": AWKWARD_NOTE, "nested": [1, None, {"a": "\\"}], "empty": {}}
    events = [
        Event(organization=acme, object_type="activity.call", object_id=f"acti_{n}",
              action="created", data=data if n else None, changed_fields=["note"],
              delivery_pending=False)
        for n in range(2)
    ]  # fmt: skip

    insert_all(events)

    stored = {event.object_id: event for event in Event.objects.filter(organization=acme)}
    assert (stored["acti_0"].data, stored["acti_1"].data) == (None, data)
    assert stored["acti_1"].changed_fields == ["note"]


def test_a_batch_is_one_statement(lead, alice):
    with CaptureQueriesContext(connection) as queries:
        insert_all([new_call(lead, alice) for _ in range(30)])

    assert len(queries) == 1
    assert Call.objects.filter(lead=lead).count() == 30


def test_a_duplicate_key_refuses_the_whole_batch(lead, alice):
    (first,) = insert_all([new_call(lead, alice)])
    again = new_call(lead, alice)
    again.pk = first.pk

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all([new_call(lead, alice), again])

    assert list(Call.objects.filter(lead=lead)) == [first]
