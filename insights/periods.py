"""Periods of time a report covers: the page's picker and the API's relative ranges, as calendar
days of the report's time zone, and the instants they start and end at."""

import calendar
import datetime
from dataclasses import dataclass

from insights.definitions import DAY, UTC, day_start

# The page's picker, in the order it lists them.
PAGE_PERIODS = {
    "today": "Today",
    "yesterday": "Yesterday",
    "this-week": "This week",
    "last-week": "Last week",
    "last-7-days": "Last 7 days",
    "last-30-days": "Last 30 days",
    "last-90-days": "Last 90 days",
    "this-month": "This month",
    "last-month": "Last month",
    "this-quarter": "This quarter",
    "custom": "Custom range",
}
DEFAULT_PAGE_PERIOD = "last-7-days"
# Close's `relative_range` values.
RELATIVE_RANGES = (
    "today", "this-week", "this-month", "this-quarter", "this-year", "yesterday", "last-week",
    "last-month", "last-quarter", "last-year", "all-time",
)  # fmt: skip
MAX_DAYS = 3 * 366  # the longest custom range the page draws day by day


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _quarter_start(day):
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def calendar_days(name, today):
    """(first, last) calendar days, both included, of the period `name` seen on `today`.

    Weeks start on Monday; "this" week, month, quarter and year are whole, days to come
    included; "last N days" ends today.
    """
    if name == "today":
        return today, today
    if name == "yesterday":
        return today - DAY, today - DAY
    if name in ("last-7-days", "last-30-days", "last-90-days"):
        return today - DAY * (int(name.split("-")[1]) - 1), today
    if name in ("this-week", "last-week"):
        monday = today - DAY * today.weekday()
        if name == "last-week":
            monday -= DAY * 7
        return monday, monday + DAY * 6
    if name in ("this-month", "last-month"):
        first = today.replace(day=1)
        if name == "last-month":
            first = (first - DAY).replace(day=1)
        return first, _month_end(first)
    if name in ("this-quarter", "last-quarter"):
        first = _quarter_start(today)
        if name == "last-quarter":
            first = _quarter_start(first - DAY)
        return first, _month_end(first.replace(month=first.month + 2))
    if name in ("this-year", "last-year"):
        year = today.year - (name == "last-year")
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ValueError(f"No period {name!r}")


@dataclass(frozen=True)
class Window:
    """The instants [start, end) a report covers, and the time zone its days and hours are in."""

    start: datetime.datetime
    end: datetime.datetime
    zone: datetime.tzinfo

    @classmethod
    def of_days(cls, first, last, zone):
        """The calendar days `first` to `last` (both included) in `zone`."""
        return cls(day_start(first, zone), day_start(last + DAY, zone), zone)

    @property
    def first_day(self):
        return self.start.astimezone(self.zone).date()

    @property
    def last_day(self):
        return (self.end - datetime.timedelta(microseconds=1)).astimezone(self.zone).date()

    def days(self):
        """The calendar days the window touches, in order."""
        day, last = self.first_day, self.last_day
        days = []
        while day <= last:
            days.append(day)
            day += DAY
        return days


def today_in(zone):
    return datetime.datetime.now(UTC).astimezone(zone).date()
