"""Dates out: PostgreSQL's formatting for lists matches `format_close_datetime` exactly."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from activities.models import Call
from api.dates import CloseDateTime, close_datetime, format_close_datetime
from tests.conftest import make_call

UTC = datetime.UTC


@pytest.mark.postgresql
@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 11, 24, 14, 35, 8, 272000, tzinfo=UTC),
        datetime.datetime(2026, 11, 24, 0, 0, tzinfo=UTC),
        datetime.datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Paris")),
        datetime.datetime(999, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
    ],
    ids=str,
)
def test_the_database_formats_dates_as_close_writes_them(lead, value):
    make_call(lead, activity_at=value)

    row = Call.objects.values(text=CloseDateTime("activity_at")).get()

    assert row["text"] == format_close_datetime(value)
    assert close_datetime(row["text"]) == row["text"]


def test_a_missing_date_stays_null(lead):
    make_call(lead, duration=0, status="no-answer")

    row = Call.objects.values(text=CloseDateTime("date_answered")).get()

    assert close_datetime(row["text"]) is None


def test_a_datetime_from_another_database_is_formatted_in_python():
    value = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/New_York"))

    assert close_datetime(value) == "2026-11-24T14:00:00.000000+00:00"
