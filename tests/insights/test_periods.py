"""Periods as calendar days of a time zone, and what the definitions say of empty sets."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from insights.definitions import NO_OUTCOME, Totals, call_sums, offset_is_whole_hours
from insights.periods import PAGE_PERIODS, RELATIVE_RANGES, Window, calendar_days

WEDNESDAY = datetime.date(2025, 5, 14)
D = datetime.date


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("today", D(2025, 5, 14), D(2025, 5, 14)),
        ("yesterday", D(2025, 5, 13), D(2025, 5, 13)),
        ("this-week", D(2025, 5, 12), D(2025, 5, 18)),
        ("last-week", D(2025, 5, 5), D(2025, 5, 11)),
        ("last-7-days", D(2025, 5, 8), D(2025, 5, 14)),
        ("last-30-days", D(2025, 4, 15), D(2025, 5, 14)),
        ("last-90-days", D(2025, 2, 14), D(2025, 5, 14)),
        ("this-month", D(2025, 5, 1), D(2025, 5, 31)),
        ("last-month", D(2025, 4, 1), D(2025, 4, 30)),
        ("this-quarter", D(2025, 4, 1), D(2025, 6, 30)),
        ("last-quarter", D(2025, 1, 1), D(2025, 3, 31)),
        ("this-year", D(2025, 1, 1), D(2025, 12, 31)),
        ("last-year", D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_each_period_is_its_calendar_days(name, first, last):
    assert calendar_days(name, WEDNESDAY) == (first, last)
    assert name in PAGE_PERIODS or name in RELATIVE_RANGES


def test_last_month_and_quarter_cross_into_the_year_before():
    assert calendar_days("last-month", D(2025, 1, 10)) == (D(2024, 12, 1), D(2024, 12, 31))
    assert calendar_days("last-quarter", D(2025, 2, 10)) == (D(2024, 10, 1), D(2024, 12, 31))


@pytest.mark.parametrize(
    ("day", "hours"),
    [(D(2025, 3, 9), 23), (D(2025, 11, 2), 25), (D(2025, 6, 1), 24)],
)
def test_a_day_has_the_hours_its_clocks_give_it(day, hours):
    window = Window.of_days(day, day, ZoneInfo("America/New_York"))

    assert window.end - window.start == datetime.timedelta(hours=hours)
    assert window.days() == [day]


def test_a_day_whose_midnight_is_skipped_starts_when_it_does():
    # Santiago put its clocks forward from 00:00 to 01:00 on 8 September 2024.
    window = Window.of_days(D(2024, 9, 8), D(2024, 9, 8), ZoneInfo("America/Santiago"))

    assert window.start == datetime.datetime(2024, 9, 8, 4, tzinfo=datetime.UTC)
    assert window.end - window.start == datetime.timedelta(hours=23)


@pytest.mark.parametrize(
    ("zone", "whole"),
    [("America/New_York", True), ("Asia/Kolkata", False), ("Australia/Lord_Howe", False),
     ("Europe/London", True)],
)  # fmt: skip
def test_zones_off_the_hour_are_told_apart(zone, whole):
    start = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert (
        offset_is_whole_hours(ZoneInfo(zone), start, start + datetime.timedelta(days=365)) is whole
    )


def test_rates_and_averages_of_nothing_are_none():
    empty = Totals(call_sums("inbound", "answered", 60))

    assert (empty.connect_rate, Totals().average_call_length) == (None, None)
    assert empty.average_call_length == 60
    assert empty.outcome_mix() == {NO_OUTCOME: 1}
