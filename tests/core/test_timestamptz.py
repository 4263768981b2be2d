"""The C-delegating timestamptz loader reads exactly what Django's own loader reads."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from core import timestamptz

pytestmark = pytest.mark.django_db

VALUES = [
    "2026-11-25 19:07:45.231810+00",
    "2026-03-29 00:59:59.999999+00",  # the last microsecond before Europe's spring change
    "2026-03-29 01:00:00+00",
    "2026-10-25 01:30:00.5+01",  # the hour that happens twice in London
    "2026-03-08 02:30:00-05",  # the hour that never happens in New York
    "1970-01-01 00:00:00+00",
    "0001-01-02 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2000-02-29 12:00:00.000001+05:30",
]


def read(values, session_time_zone="UTC"):
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL TIME ZONE '{session_time_zone}'")
        cursor.execute(
            "SELECT value::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS v(value, n) "
            "ORDER BY n",
            [values],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def djangos_loader():
    """Switch this connection to Django's loader when called; the fast one is back afterwards."""
    connection.ensure_connection()
    yield lambda: register_tzloader(connection.timezone, connection.connection)
    timestamptz.install(sender=None, connection=connection)


@pytest.mark.postgresql
def test_new_connections_get_the_fast_loader():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text

    assert loader.__qualname__.endswith("FastTzLoader")
    assert loader.timezone == connection.timezone


# Django always sets its connections to UTC; other session time zones must still agree.
@pytest.mark.postgresql
@pytest.mark.parametrize("session_time_zone", ["UTC", "Europe/London", "America/New_York"])
def test_values_equal_djangos_loaders(session_time_zone, djangos_loader):
    fast = read(VALUES, session_time_zone)
    djangos_loader()
    default = read(VALUES, session_time_zone)

    assert fast == default
    assert [value.tzinfo for value in fast] == [value.tzinfo for value in default]
    assert [value.utcoffset() for value in fast] == [datetime.timedelta(0)] * len(VALUES)


@pytest.mark.postgresql
def test_values_are_aware_utc_datetimes_to_the_microsecond():
    assert read(VALUES[:2]) == [
        datetime.datetime(2026, 11, 25, 19, 7, 45, 231810, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC),
    ]


def test_model_datetimes_come_back_as_they_were_saved(acme, alice):
    new_york = zoneinfo.ZoneInfo("America/New_York")
    moment = datetime.datetime(2026, 7, 4, 21, 30, 0, 123456, tzinfo=new_york)
    alice.date_joined = moment
    alice.save(update_fields=["date_joined"])
    alice.refresh_from_db()

    assert alice.date_joined == moment
    assert alice.date_joined.tzinfo == datetime.UTC


def test_without_the_private_api_djangos_loader_stays():
    class Adapters:
        """A psycopg without `_get_optimised`."""

    assert timestamptz._optimised_loader(Adapters()) is None
