"""Dates as Close's clients send them: with an offset (Z, +00:00, +0000), naive, or date-only."""

import datetime
import math
import zoneinfo

from django import forms
from django.db.models import DateTimeField, Func
from rest_framework.exceptions import ParseError

UTC = datetime.UTC


def parse_close_datetime(value):
    """Return an aware datetime for `value`; naive values and plain dates are taken as UTC.

    Raises ValueError when `value` is not a date or date-time, or is out of range once in UTC.
    The result is in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
    """
    value = value.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.datetime.fromisoformat(value)
    if len(value) == 10:
        parsed = datetime.datetime.combine(parsed.date(), datetime.time())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is out of range in UTC") from None


def format_close_datetime(value):
    """Return `value` as Close writes dates: UTC, microseconds, +00:00."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class CloseDateTime(Func):
    """`format_close_datetime` done by PostgreSQL, for the API's lists.

    Django parses each timestamptz in Python; asking PostgreSQL for the finished text instead
    saves parsing and formatting every date of every row. Other databases select the plain
    date-time, and `close_datetime()` formats it in Python.
    """

    template = "%(expressions)s"
    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def close_datetime(value):
    """Return a CloseDateTime() value as Close writes dates, whichever database produced it."""
    return value if isinstance(value, str) else format_close_datetime(value)


class CloseDateTimeFormField(forms.Field):
    """A form field for Close's dates (`parse_close_datetime`), as the API's filters take them."""

    default_error_messages = {"invalid": "Enter a date (2026-11-24) or a date-time in ISO 8601."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        try:
            return parse_close_datetime(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


TZ_OFFSET_HEADER = "x-tz-offset"
MAX_TZ_OFFSET = 14  # hours: UTC-12 to UTC+14 are the offsets in use


def caller_zone(request):
    """Return the time zone a request's days are counted in (Close's "today", "overdue").

    Close's `x-tz-offset` header, when sent: the caller's offset from UTC in hours, maybe
    fractional (`-4`, `5.5`; Close's Python client sends `-4.0`). Else the caller's own zone
    (the user's `time_zone`), else UTC. A header that is not such a number is a ParseError.
    """
    cached = getattr(request, "_caller_zone", None)
    if cached is not None:
        return cached
    header = request.headers.get(TZ_OFFSET_HEADER)
    if header is not None:
        zone = _offset_zone(header)
    else:
        try:
            zone = zoneinfo.ZoneInfo(getattr(request.user, "time_zone", "") or "UTC")
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            zone = UTC
    request._caller_zone = zone
    return zone


def _offset_zone(header):
    try:
        hours = float(header.strip())
    except ValueError:
        hours = math.nan
    if not -MAX_TZ_OFFSET <= hours <= MAX_TZ_OFFSET:  # also false for NaN
        raise ParseError(
            f"{TZ_OFFSET_HEADER} must be your offset from UTC in hours, from -{MAX_TZ_OFFSET} "
            f"to {MAX_TZ_OFFSET}, such as -4 or 5.5."
        )
    return datetime.timezone(datetime.timedelta(minutes=round(hours * 60)))
