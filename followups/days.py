"""Days in a time zone: where a task's day starts and ends, and the quick dates reps pick.

A date-only task is due on a calendar day, whatever the zone; a timed one at a moment, whose
day depends on where it is seen from. These turn a day in a zone into the moments that bound it,
so that both kinds compare in one query that indexes serve.
"""

import datetime

from api.dates import parse_close_datetime

# The days a zone's midnight can be computed for in every zone (UTC-12 to UTC+14).
FIRST_DAY = datetime.date.min + datetime.timedelta(days=1)
LAST_DAY = datetime.date.max - datetime.timedelta(days=2)


def clamped(day):
    return min(max(day, FIRST_DAY), LAST_DAY)


def start_of(day, zone):
    """Return the moment `day` begins in `zone` (its midnight, or the first moment after it
    on a day whose midnight a clock change skips)."""
    day = clamped(day)
    return datetime.datetime.combine(day, datetime.time.min).replace(tzinfo=zone)


def today_in(zone):
    return datetime.datetime.now(zone).date()


def next_monday(day):
    """Return the Monday of the week after `day`'s: "next week", as Close's snooze says it."""
    return day + datetime.timedelta(days=7 - day.weekday())


def quick_dates(today):
    """Return the quick follow-up and snooze dates from `today`, by name, in the order offered."""
    return {
        "tomorrow": today + datetime.timedelta(days=1),
        "in_3_days": today + datetime.timedelta(days=3),
        "next_week": next_monday(today),
    }


def parse_day_or_moment(value):
    """Return a date for `2026-12-02`, an aware datetime for a date-time (naive: UTC).

    Raises ValueError for anything else.
    """
    value = value.strip()
    if len(value) == 10:
        return datetime.date.fromisoformat(value)
    return parse_close_datetime(value)
