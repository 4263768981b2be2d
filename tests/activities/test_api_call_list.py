"""GET /api/v1/activity/call/: Close's call objects, filters and ordering."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from activities.api import CALL
from tests.conftest import make_call, make_contact, make_lead, make_user

URL = "/api/v1/activity/call/"
UTC = datetime.UTC
CALL_KEYS = set(CALL.names())


def ids(response):
    return [item["id"] for item in response.json()["data"]]


def at(day, hour=12):
    return datetime.datetime(2026, 11, day, hour, tzinfo=UTC)


def test_list_answers_closes_envelope_with_every_call_field(alice_api, call):
    response = alice_api.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["has_more"] is False
    assert [set(item) for item in body["data"]] == [CALL_KEYS]


def test_call_object_carries_the_calls_values(alice_api, acme, lead, contact, alice, outcome):
    call = make_call(
        lead,
        alice,
        contact=contact,
        phone="+16505551234",
        duration=75,
        cost=Decimal("2.5"),
        outcome=outcome,
        note="Left a message",
        activity_at=datetime.datetime(2026, 11, 24, 14, 35, 8, 272000, tzinfo=UTC),
    )

    item = alice_api.get(URL).json()["data"][0]

    assert item == item | {
        "id": call.id,
        "_type": "Call",
        "organization_id": acme.id,
        "lead_id": lead.id,
        "contact_id": contact.id,
        "user_id": alice.id,
        "user_name": "Alice Archer",
        "created_by": alice.id,
        "created_by_name": "Alice Archer",
        "updated_by": alice.id,
        "updated_by_name": "Alice Archer",
        "activity_at": "2026-11-24T14:35:08.272000+00:00",
        "date_answered": "2026-11-24T14:35:08.272000+00:00",
        "direction": "outbound",
        "status": "completed",
        "disposition": "answered",
        "call_method": "regular",
        "duration": 75,
        "cost": "2.5",
        "phone": "+16505551234",
        "remote_phone": "+16505551234",
        "remote_phone_formatted": "+1 650-555-1234",
        "local_phone": None,
        "recording_url": None,
        "has_recording": False,
        "voicemail_url": None,
        "voicemail_duration": 0,
        "note": "Left a message",
        "note_html": "<body>Left a message</body>",
        "outcome_id": outcome.id,
        "users": [],
    }


def test_dates_are_utc_with_microseconds_and_offset(alice_api, lead):
    make_call(lead, activity_at=datetime.datetime(2026, 11, 24, 15, 0, tzinfo=UTC))

    item = alice_api.get(URL).json()["data"][0]

    assert item["activity_at"] == "2026-11-24T15:00:00.000000+00:00"


@pytest.mark.parametrize(
    ("cost", "shown"),
    [(Decimal("2.5000"), "2.5"), (Decimal("100"), "100"), (Decimal("0"), "0"), (None, None)],
)
def test_cost_is_a_string_of_cents_without_trailing_zeros(alice_api, lead, cost, shown):
    make_call(lead, cost=cost)

    assert alice_api.get(URL).json()["data"][0]["cost"] == shown


def test_a_call_without_user_or_phone_shows_nulls(alice_api, lead):
    make_call(lead, user=None)

    item = alice_api.get(URL).json()["data"][0]

    assert item["user_id"] is None
    assert item["user_name"] is None
    assert item["created_by_name"] is None
    assert item["phone"] is None
    assert item["remote_phone_formatted"] is None


def test_user_name_falls_back_to_the_username(alice_api, acme, lead):
    nameless = make_user(acme, username="nameless", first_name="", last_name="")
    make_call(lead, nameless)

    assert alice_api.get(URL).json()["data"][0]["user_name"] == "nameless"


def test_an_external_recording_is_linked_as_given(alice_api, lead):
    make_call(lead, recording_url="https://recordings.example.com/1.mp3")

    item = alice_api.get(URL).json()["data"][0]

    assert item["recording_url"] == "https://recordings.example.com/1.mp3"
    assert item["has_recording"] is True


def test_an_uploaded_recording_is_linked_to_our_own_scoped_view(alice_api, call):
    call.recording_file.save("call.mp3", ContentFile(b"ID3"), save=True)
    call.voicemail_file.save("voicemail.mp3", ContentFile(b"ID3"), save=True)

    item = alice_api.get(URL).json()["data"][0]

    recording = reverse("activities:call_audio", args=[call.id, "recording"])
    voicemail = reverse("activities:call_audio", args=[call.id, "voicemail"])
    assert item["recording_url"] == f"http://testserver{recording}"
    assert item["voicemail_url"] == f"http://testserver{voicemail}"
    assert item["has_recording"] is True


def test_calls_come_newest_activity_first(alice_api, lead):
    older = make_call(lead, activity_at=at(1))
    newer = make_call(lead, activity_at=at(2))

    assert ids(alice_api.get(URL)) == [newer.id, older.id]


def test_calls_at_the_same_moment_are_ordered_by_id(alice_api, lead):
    calls = [make_call(lead, activity_at=at(1)) for _ in range(3)]

    descending = sorted((c.id for c in calls), reverse=True)
    assert ids(alice_api.get(URL)) == descending
    assert ids(alice_api.get(URL, {"_order_by": "activity_at"})) == descending[::-1]


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("date_created", ["first", "second"]),
        ("-date_created", ["second", "first"]),
        ("activity_at", ["second", "first"]),
        ("-activity_at", ["first", "second"]),
    ],
)
def test_order_by_date_created_or_activity_at(alice_api, lead, order_by, expected):
    calls = {
        "first": make_call(lead, date_created=at(1), activity_at=at(9)),
        "second": make_call(lead, date_created=at(2), activity_at=at(8)),
    }

    response = alice_api.get(URL, {"_order_by": order_by})

    assert ids(response) == [calls[name].id for name in expected]


def test_lead_id_filter_takes_one_or_several_ids(alice_api, acme, lead):
    other_lead, third_lead = make_lead(acme), make_lead(acme)
    mine = make_call(lead)
    other = make_call(other_lead)
    make_call(third_lead)

    assert ids(alice_api.get(URL, {"lead_id": lead.id})) == [mine.id]
    both = alice_api.get(URL, {"lead_id": f"{lead.id},{other_lead.id}"})
    assert set(ids(both)) == {mine.id, other.id}


def test_contact_id_filter(alice_api, lead, contact):
    with_contact = make_call(lead, contact=contact)
    make_call(lead)

    assert ids(alice_api.get(URL, {"contact_id": contact.id})) == [with_contact.id]


def test_user_id_filter(alice_api, acme, lead, alice):
    carol = make_user(acme)
    alices = make_call(lead, alice)
    carols = make_call(lead, carol)

    assert ids(alice_api.get(URL, {"user_id": alice.id})) == [alices.id]
    both = alice_api.get(URL, {"user_id": f"{alice.id},{carol.id}"})
    assert set(ids(both)) == {alices.id, carols.id}


def test_id_in_filter(alice_api, lead):
    first, second, _third = (make_call(lead) for _ in range(3))

    response = alice_api.get(URL, {"id__in": f"{first.id},{second.id}"})

    assert set(ids(response)) == {first.id, second.id}


def test_outcome_id_filter(alice_api, lead, outcome):
    with_outcome = make_call(lead, outcome=outcome)
    make_call(lead)

    assert ids(alice_api.get(URL, {"outcome_id": outcome.id})) == [with_outcome.id]


def test_disposition_filter_takes_one_or_several(alice_api, lead):
    answered = make_call(lead, duration=30)
    busy = make_call(lead, status="busy", duration=0)
    make_call(lead, status="no-answer", duration=0)

    assert ids(alice_api.get(URL, {"disposition": "busy"})) == [busy.id]
    several = alice_api.get(URL, {"disposition": "answered,busy"})
    assert set(ids(several)) == {answered.id, busy.id}


def test_direction_filter(alice_api, lead):
    inbound = make_call(lead, direction="inbound")
    make_call(lead, direction="outbound")

    assert ids(alice_api.get(URL, {"direction": "inbound"})) == [inbound.id]


def test_call_method_filter(alice_api, lead):
    power = make_call(lead, call_method="power")
    make_call(lead, call_method="regular")

    assert ids(alice_api.get(URL, {"call_method": "power"})) == [power.id]


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-02T12:00:00Z",
        "2026-11-02T12:00:00+00:00",
        "2026-11-02T12:00:00.000000+0000",
        "2026-11-02T13:00:00+0100",
        "2026-11-02T12:00:00",
    ],
)
def test_date_created_bounds_accept_closes_date_time_forms(alice_api, lead, value):
    day1, day2, day3 = (make_call(lead, date_created=at(day)) for day in (1, 2, 3))

    assert ids(alice_api.get(URL, {"date_created__gt": value})) == [day3.id]
    assert set(ids(alice_api.get(URL, {"date_created__gte": value}))) == {day2.id, day3.id}
    assert ids(alice_api.get(URL, {"date_created__lt": value})) == [day1.id]
    assert set(ids(alice_api.get(URL, {"date_created__lte": value}))) == {day1.id, day2.id}


def test_a_plain_date_means_midnight_utc(alice_api, lead):
    make_call(lead, date_created=at(1, hour=23))
    late = make_call(lead, date_created=at(2, hour=0))

    assert ids(alice_api.get(URL, {"date_created__gte": "2026-11-02"})) == [late.id]


def test_date_windows_combine_bounds(alice_api, lead):
    make_call(lead, date_created=at(1))
    inside = make_call(lead, date_created=at(2))
    make_call(lead, date_created=at(3))

    response = alice_api.get(
        URL, {"date_created__gt": "2026-11-01T12:00:00+0000", "date_created__lte": "2026-11-02"}
    )
    assert ids(response) == []
    response = alice_api.get(
        URL, {"date_created__gte": "2026-11-02", "date_created__lt": "2026-11-03"}
    )
    assert ids(response) == [inside.id]


@pytest.mark.parametrize(
    ("lookup", "expected"),
    [("gt", ["day3"]), ("gte", ["day2", "day3"]), ("lt", ["day1"]), ("lte", ["day1", "day2"])],
)
def test_activity_at_bounds(alice_api, lead, lookup, expected):
    calls = {f"day{day}": make_call(lead, activity_at=at(day)) for day in (1, 2, 3)}

    response = alice_api.get(URL, {f"activity_at__{lookup}": "2026-11-02T12:00:00Z"})

    assert set(ids(response)) == {calls[name].id for name in expected}


def test_an_unreadable_date_is_a_field_error(alice_api, call):
    response = alice_api.get(URL, {"date_created__gt": "last tuesday"})

    assert response.status_code == 400
    assert "date_created__gt" in response.json()["field-errors"]


def test_an_unknown_disposition_is_a_field_error(alice_api, call):
    response = alice_api.get(URL, {"disposition": "maybe"})

    assert response.status_code == 400
    assert "disposition" in response.json()["field-errors"]


def test_another_organizations_calls_are_never_listed(alice_api, call, bob_call):
    assert ids(alice_api.get(URL)) == [call.id]


def test_filtering_by_another_organizations_ids_finds_nothing(
    alice_api, call, bob_call, bob_lead, bob
):
    assert ids(alice_api.get(URL, {"lead_id": bob_lead.id})) == []
    assert ids(alice_api.get(URL, {"user_id": bob.id})) == []
    assert ids(alice_api.get(URL, {"id__in": bob_call.id})) == []


def test_a_list_is_one_query_after_the_key_lookup(
    alice_api, lead, outcome, django_assert_num_queries
):
    for _ in range(5):
        make_call(lead, make_user(lead.organization), contact=make_contact(lead), outcome=outcome)

    with django_assert_num_queries(2):
        response = alice_api.get(URL)

    assert response.status_code == 200
    assert len(response.json()["data"]) == 5
    assert all(item["outcome_id"] == outcome.id for item in response.json()["data"])


def test_a_filtered_list_is_still_one_query(alice_api, call, lead, django_assert_num_queries):
    make_call(make_lead(lead.organization), call.user)  # another lead's: filtered out

    with django_assert_num_queries(2):
        response = alice_api.get(URL, {"lead_id": call.lead_id, "date_created__gte": "2020-01-01"})

    assert response.status_code == 200
    assert ids(response) == [call.id]
