"""A cell's text as the value a call field takes, as other systems write them.

Each parser takes the cell's text (never empty: an empty cell is a value not given) and returns
the value, or raises CellError saying what was expected. The rules on the values themselves
(ranges, https URLs, which disposition goes with which direction) are the model's, checked when
the call is validated, as for a call sent through the API.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from activities.models import Call
from leads.phones import normalize_phone

UTC = datetime.UTC


class CellError(ValueError):
    """A cell that cannot be the field's value; the message says what was expected."""


def _key(text):
    """A choice as written anywhere: "No Answer", "NO_ANSWER" and "no-answer" are one."""
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def _choices(mapping, what):
    known = {_key(name): value for name, value in mapping.items()}

    def parse(text, context=None):
        try:
            return known[_key(text)]
        except KeyError:
            raise CellError(f"“{text}” is not a {what} this import knows.") from None

    return parse


def _with_own_names(choices, extra):
    """Close's values and labels of a model choice, and the names other systems use."""
    names = {value: value for value in choices.values}
    names.update({label: value for value, label in choices.choices})
    names.update(extra)
    return names


parse_direction = _choices(
    _with_own_names(
        Call.Direction,
        {"in": "inbound", "incoming": "inbound", "out": "outbound", "outgoing": "outbound"},
    ),
    "direction (inbound or outbound)",
)
parse_status = _choices(
    _with_own_names(
        Call.Status,
        {
            # HubSpot's hs_call_status.
            "canceled": "cancel",
            "cancelled": "cancel",
            "missed": "no-answer",
            "queued": "created",
            "ringing": "created",
            "connecting": "created",
            "calling-crm-user": "created",
            "timed-out": "timeout",
        },
    ),
    "call status",
)
parse_disposition = _choices(
    _with_own_names(
        Call.Disposition,
        {
            # HubSpot's call outcomes, by label and by their fixed ids (hs_call_disposition).
            "connected": "answered",
            "left-live-message": "answered",
            "wrong-number": "answered",
            "left-voicemail": "vm-left",
            "voicemail": "vm-left",
            "f240bbac-87c9-4f6e-bf70-924b57d47db7": "answered",
            "a4c4c377-d246-4b32-a13b-75a56a4cd0ff": "answered",
            "17b47fee-58de-441e-a44c-c6300d46f273": "answered",
            "b2cf5968-551e-4856-9783-52b3da59a7d0": "vm-left",
            "73a0d17f-1163-4015-bdd5-ec830791da20": "no-answer",
            "9d9162e7-6cf3-4944-bf63-4dff82258764": "busy",
        },
    ),
    "disposition",
)
parse_call_method = _choices(_with_own_names(Call.Method, {}), "call method")

_EPOCH = re.compile(r"\d{10}(\d{3})?")
_SLASHED = re.compile(
    r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
DATE_FORMS = "2024-03-05 14:30, 2024-03-05T14:30:00Z or 3/5/2024 2:30 PM"


def parse_datetime(text, context):
    """A date-time as exports write them: ISO 8601 (with an offset or not, or a date alone),
    3/5/2024 2:30 PM (month first, or day first if `context.day_first`), or a Unix timestamp
    in seconds or milliseconds. One without an offset is in `context.time_zone`."""
    text = text.strip()
    if _EPOCH.fullmatch(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.datetime.fromtimestamp(seconds, UTC)
    try:
        value = datetime.datetime.fromisoformat(text.removesuffix("Z").removesuffix("z"))
        if text[-1:] in "Zz":
            value = value.replace(tzinfo=UTC)
    except ValueError:
        value = _slashed(text, context.day_first)
    if value.tzinfo is None:
        value = value.replace(tzinfo=context.time_zone)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise CellError(f"“{text}” is out of range.") from None


def _slashed(text, day_first):
    match = _SLASHED.fullmatch(text)
    if match is None:
        raise CellError(f"“{text}” is not a date: write it as {DATE_FORMS}.")
    first, second, year, hour, minute, second_of_minute, half = match.groups()
    day, month = (first, second) if day_first else (second, first)
    year = int(year) + (2000 if len(year) == 2 else 0)
    hour = int(hour or 0)
    if half:
        if not 1 <= hour <= 12:
            raise CellError(f"“{text}” is not a time of day.")
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime.datetime(
            year, int(month), int(day), hour, int(minute or 0), int(second_of_minute or 0)
        )
    except ValueError:
        order = "day/month/year" if day_first else "month/day/year"
        raise CellError(f"“{text}” is not a date ({order}).") from None


def parse_seconds(text, context=None):
    """A duration in seconds: 95, 95.4 (rounded), or written as 1:35 or 0:01:35."""
    text = text.strip()
    if ":" in text:
        parts = text.split(":")
        if len(parts) > 3 or not all(part.isdigit() for part in parts):
            raise CellError(f"“{text}” is not a duration: write seconds (95) or h:mm:ss.")
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    return _whole(_decimal(text, "a duration in seconds"), text)


def parse_milliseconds(text, context=None):
    return _whole(_decimal(text.strip(), "a duration in milliseconds") / 1000, text)


def _whole(number, text):
    if number < 0:
        raise CellError(f"“{text}” is negative.")
    return int(number.to_integral_value())


def _decimal(text, what):
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"“{text}” is not {what}.") from None
    if not number.is_finite():
        raise CellError(f"“{text}” is not {what}.")
    return number


def parse_cost(text, context=None):
    return _decimal(text.strip(), "a cost in US cents (2.5)")


def parse_phone(text, context=None):
    phone = normalize_phone(text)
    if phone is None:
        raise CellError(f"“{text}” is not a phone number: write it as +16505551234.")
    return phone


_EMAIL = re.compile(r"[^@\s<>(),;:\"'\[\]]+@[^@\s<>(),;:\"'\[\]]+\.[^@\s<>(),;:\"'\[\]]+")


def parse_email(text, context=None):
    """An email address, alone or in a cell such as `Jo Doe <jo@example.com>` or HubSpot's
    `Jo Doe (jo@example.com)`."""
    match = _EMAIL.search(text)
    if match is None:
        raise CellError(f"“{text}” has no email address in it.")
    return match.group().lower()


def parse_url(text, context=None):
    """A URL, checked by the model when the call is validated. Links to a call's audio on a
    closecalls server (what its CSV export writes for an uploaded file) are not addresses of
    the audio itself: they are left out (None), so that a file exported here imports again."""
    text = text.strip()
    try:
        if resolve(urlsplit(text).path).view_name == "activities:call_audio":
            return None
    except (Resolver404, ValueError):
        pass
    return text


def parse_external_id(text, context=None):
    text = text.strip()
    limit = Call._meta.get_field("external_id").max_length
    if len(text) > limit:
        raise CellError(f"The id is longer than {limit} characters.")
    return text


def parse_text(text, context=None):
    return text


def parse_name(text, context=None):
    return " ".join(text.split())


PARSERS = {
    "external_id": parse_external_id,
    "activity_at": parse_datetime,
    "date_answered": parse_datetime,
    "lead_id": parse_external_id,
    "lead_name": parse_name,
    "contact_id": parse_external_id,
    "contact_name": parse_name,
    "contact_email": parse_email,
    "phone": parse_phone,
    "local_phone": parse_phone,
    "from_number": parse_phone,
    "to_number": parse_phone,
    "user": parse_name,
    "direction": parse_direction,
    "status": parse_status,
    "disposition": parse_disposition,
    "duration": parse_seconds,
    "duration_ms": parse_milliseconds,
    "voicemail_duration": parse_seconds,
    "note": parse_text,
    "note_html": parse_text,
    "outcome": parse_name,
    "recording_url": parse_url,
    "voicemail_url": parse_url,
    "cost": parse_cost,
    "call_method": parse_call_method,
}
