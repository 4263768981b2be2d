"""GET /api/v1/task/: Close's filters, and the order by date in the caller's zone."""

import datetime

import pytest

from followups.days import today_in
from followups.models import Task
from tests.conftest import make_lead, make_task, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/task/"
UTC = datetime.UTC
DAY = datetime.timedelta(days=1)


def listed(client, query="", **headers):
    response = client.get(f"{URL}?{query}", **headers)
    assert response.status_code == 200, response.content
    return [task["text"] for task in response.json()["data"]]


def test_only_lead_tasks_are_listed_unless_types_are_asked(alice_api, alice, lead):
    make_task(lead, alice, text="To-do")
    make_task(lead, alice, text="Call", type=Task.Type.OUTGOING_CALL)
    make_task(lead, alice, text="Missed", type=Task.Type.MISSED_CALL)

    assert listed(alice_api) == ["To-do"]
    assert sorted(listed(alice_api, "_type=all")) == ["Call", "Missed", "To-do"]
    assert listed(alice_api, "_type=missed_call") == ["Missed"]
    assert sorted(listed(alice_api, "_type__in=outgoing_call,missed_call")) == ["Call", "Missed"]
    assert listed(alice_api, "_type=email") == []


def test_filters_by_assignee_lead_completion_and_ids(alice_api, alice, acme, lead):
    carol = make_user(acme)
    other_lead = make_lead(acme)
    mine = make_task(lead, alice, text="Mine")
    make_task(lead, carol, text="Carol's")
    make_task(other_lead, alice, text="Other lead")
    make_task(lead, alice, text="Done", is_complete=True)

    assert sorted(listed(alice_api, f"assigned_to={alice.id}")) == ["Done", "Mine", "Other lead"]
    assert sorted(listed(alice_api, f"lead_id={other_lead.id}")) == ["Other lead"]
    assert listed(alice_api, "is_complete=true") == ["Done"]
    assert "Done" not in listed(alice_api, "is_complete=false")
    assert listed(alice_api, f"id={mine.id}") == ["Mine"]
    assert listed(alice_api, f"id__in={mine.id},task_nope") == ["Mine"]


def test_the_views_split_tasks_by_the_callers_today(alice_api, alice, lead):
    today = today_in(UTC)
    make_task(lead, alice, text="Overdue", date=today - DAY)
    make_task(lead, alice, text="Today", date=today)
    make_task(lead, alice, text="Tomorrow", date=today + DAY)
    make_task(lead, alice, text="Dateless", date=None)
    make_task(lead, alice, text="Done", date=today, is_complete=True)

    assert sorted(listed(alice_api, "view=inbox")) == ["Dateless", "Overdue", "Today"]
    assert listed(alice_api, "view=future") == ["Tomorrow"]
    assert listed(alice_api, "view=archive") == ["Done"]


def test_a_timed_task_is_in_the_inbox_when_its_day_has_come_where_the_caller_is(
    alice_api, alice, lead
):
    # One minute into tomorrow in UTC: still today for a caller 2 hours west of UTC.
    tomorrow = datetime.datetime.combine(today_in(UTC) + DAY, datetime.time(0, 1), tzinfo=UTC)
    make_task(lead, alice, text="Early tomorrow", due_at=tomorrow)

    assert listed(alice_api, "view=inbox", HTTP_X_TZ_OFFSET="0") == []
    assert listed(alice_api, "view=inbox", HTTP_X_TZ_OFFSET="-2.0") == ["Early tomorrow"]
    task = alice_api.get(f"{URL}?view=inbox", HTTP_X_TZ_OFFSET="-2").json()["data"][0]
    assert task["view"] == "inbox"


def test_date_ranges_compare_days_with_each_tasks_day(alice_api, alice, lead):
    make_task(lead, alice, text="9th", date=datetime.date(2030, 1, 9))
    make_task(lead, alice, text="10th", date=datetime.date(2030, 1, 10))
    make_task(lead, alice, text="10th 23:00", due_at=datetime.datetime(2030, 1, 10, 23, tzinfo=UTC))
    make_task(lead, alice, text="11th", date=datetime.date(2030, 1, 11))

    assert sorted(listed(alice_api, "date__lte=2030-01-10")) == ["10th", "10th 23:00", "9th"]
    assert sorted(listed(alice_api, "date__lt=2030-01-10")) == ["9th"]
    assert sorted(listed(alice_api, "date__gte=2030-01-10&date__lt=2030-01-11")) == [
        "10th", "10th 23:00"
    ]  # fmt: skip
    assert sorted(listed(alice_api, "date__gt=2030-01-10")) == ["11th"]
    # Two hours east of UTC, 23:00 UTC on the 10th is already the 11th.
    assert sorted(listed(alice_api, "date__gt=2030-01-10", HTTP_X_TZ_OFFSET="2")) == [
        "10th 23:00", "11th"
    ]  # fmt: skip


def test_a_moment_compares_with_the_start_of_a_date_only_tasks_day(alice_api, alice, lead):
    make_task(lead, alice, text="10th", date=datetime.date(2030, 1, 10))
    make_task(lead, alice, text="10th 12:00", due_at=datetime.datetime(2030, 1, 10, 12, tzinfo=UTC))

    assert sorted(listed(alice_api, "date__gte=2030-01-10T06:00:00Z")) == ["10th 12:00"]
    assert sorted(listed(alice_api, "date__lt=2030-01-10T06:00:00Z")) == ["10th"]
    assert sorted(listed(alice_api, "date__lte=2030-01-10T00:00:00Z")) == ["10th"]


def test_date_created_ranges(alice_api, alice, lead):
    make_task(lead, alice, text="Old", date_created=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    make_task(lead, alice, text="New")

    assert listed(alice_api, "date_created__lt=2026-01-01") == ["Old"]
    assert listed(alice_api, "date_created__gte=2026-01-01") == ["New"]


def test_by_date_date_only_tasks_come_before_the_timed_ones_of_their_day(alice_api, alice, lead):
    make_task(lead, alice, text="10th 01:00", due_at=datetime.datetime(2030, 1, 10, 1, tzinfo=UTC))
    make_task(lead, alice, text="10th", date=datetime.date(2030, 1, 10))
    make_task(lead, alice, text="9th 15:00", due_at=datetime.datetime(2030, 1, 9, 15, tzinfo=UTC))
    make_task(lead, alice, text="Dateless", date=None)
    make_task(lead, alice, text="9th", date=datetime.date(2030, 1, 9))

    in_utc = listed(alice_api, "_order_by=date", HTTP_X_TZ_OFFSET="0")

    assert in_utc == ["9th", "9th 15:00", "10th", "10th 01:00", "Dateless"]
    assert listed(alice_api, "_order_by=-date", HTTP_X_TZ_OFFSET="0") == in_utc[::-1]


def test_by_date_a_timed_task_sorts_on_its_day_where_the_caller_is(alice_api, alice, lead):
    make_task(lead, alice, text="10th 01:00", due_at=datetime.datetime(2030, 1, 10, 1, tzinfo=UTC))
    make_task(lead, alice, text="10th", date=datetime.date(2030, 1, 10))
    make_task(lead, alice, text="9th", date=datetime.date(2030, 1, 9))

    # Five hours west of UTC, 01:00 UTC on the 10th is the evening of the 9th.
    assert listed(alice_api, "_order_by=date", HTTP_X_TZ_OFFSET="-5") == [
        "9th", "10th 01:00", "10th"
    ]  # fmt: skip


def test_without_x_tz_offset_the_callers_own_time_zone_counts(alice_api, alice, lead):
    alice.time_zone = "America/New_York"
    alice.save()
    make_task(lead, alice, text="10th 01:00", due_at=datetime.datetime(2030, 1, 10, 1, tzinfo=UTC))
    make_task(lead, alice, text="10th", date=datetime.date(2030, 1, 10))

    assert listed(alice_api, "_order_by=date") == ["10th 01:00", "10th"]


def test_the_default_order_is_newest_first(alice_api, alice, lead):
    make_task(lead, alice, text="First", date_created=datetime.datetime(2026, 1, 1, tzinfo=UTC))
    make_task(lead, alice, text="Second", date_created=datetime.datetime(2026, 1, 2, tzinfo=UTC))

    assert listed(alice_api) == ["Second", "First"]


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("view=someday", {}),
        ("is_complete=maybe", {}),
        ("date__lt=tomorrow", {}),
        ("_order_by=priority", {}),
        ("", {"HTTP_X_TZ_OFFSET": "east"}),
        ("", {"HTTP_X_TZ_OFFSET": "15"}),
        ("", {"HTTP_X_TZ_OFFSET": "nan"}),
    ],
)
def test_a_bad_filter_or_offset_is_a_400(alice_api, query, headers):
    response = alice_api.get(f"{URL}?{query}", **headers)

    assert response.status_code == 400
    assert set(response.json()) & {"error", "field-errors"}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_first_and_last_days_are_answered(alice_api, alice, lead, day):
    make_task(lead, alice, text="Task")

    for lookup in ("lt", "lte", "gt", "gte"):
        listed(alice_api, f"date__{lookup}={day}", HTTP_X_TZ_OFFSET="14")
        listed(alice_api, f"date__{lookup}={day}T12:00:00Z", HTTP_X_TZ_OFFSET="-12")
