"""The numbers are right: the page, its CSV files and the activity report API all equal a count
by hand of the same calls, after random activity through the API, the forms and the admin, in
a time zone whose clocks change during the week reported."""

import csv
import datetime
import io
import json
import re

import pytest

from activities.models import Call
from activities.services import call_create
from insights.definitions import METRICS
from tests.insights.conftest import (
    AUTUMN,
    NEW_YORK,
    SPRING,
    calls_between,
    grouped,
    local_day,
    local_hour_of_week,
    plain_metrics,
    plain_numbers,
    rep_of,
)
from tests.insights.doors import Doors, random_activity

pytestmark = pytest.mark.django_db
REPORT = "/api/v1/report/activity/"
DAY = datetime.timedelta(days=1)


def midnight(day, zone=NEW_YORK):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)


def report(api, body, **headers):
    response = api.post(REPORT, json.dumps(body), "application/json", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def page_csv(client, name, query):
    response = client.get(f"/insights/{name}.csv?{query}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def cell(value):
    """A value as the CSV writes it."""
    return "" if value is None else str(value)


def rep_names(team):
    return {user.id: user.display_name for user in team["reps"]} | {"": "No rep"}


@pytest.mark.parametrize("week", [SPRING, AUTUMN], ids=["clocks-forward", "clocks-back"])
def test_page_csv_and_api_equal_a_count_by_hand(team, rng, week):
    first, last = week
    doors = Doors(team, NEW_YORK)
    # Calls from two days before the week to two days after it: the week's ends are exact.
    random_activity(doors, rng, midnight(first - 2 * DAY), midnight(last + 3 * DAY))
    calls = calls_between(team["organization"], NEW_YORK, first, last)
    assert {call.activity_at.astimezone(NEW_YORK).utcoffset() for call in calls} == {
        datetime.timedelta(hours=-5),
        datetime.timedelta(hours=-4),
    }  # the calls are on both sides of the change
    by_rep = grouped(calls, rep_of)
    by_day = grouped(calls, local_day(NEW_YORK))
    by_hour = grouped(calls, local_hour_of_week(NEW_YORK))
    days = [first + n * DAY for n in range((last - first).days + 1)]
    span = {"start": first.isoformat(), "end": (last + DAY).isoformat()}

    comparison = report(
        team["api"], {"type": "comparison", "metrics": list(METRICS), "datetime_range": span}
    )
    assert comparison["aggregations"]["totals"] == plain_metrics(calls)
    rows = {row.pop("user_id") or "": row for row in comparison["data"]}
    assert set(rows) >= set(by_rep)
    for rep, row in rows.items():
        assert row == plain_metrics([call for call in calls if rep_of(call) == rep]), rep

    overview = report(
        team["api"], {"type": "overview", "metrics": list(METRICS), "datetime_range": span}
    )
    assert overview["aggregations"]["totals"] == plain_metrics(calls)
    assert [row["datetime"] for row in overview["data"]] == [
        midnight(day).isoformat() for day in days
    ]
    for row, day in zip(overview["data"], days, strict=True):
        row.pop("datetime")
        assert row == plain_metrics([call for call in calls if local_day(NEW_YORK)(call) == day])

    query = f"period=custom&start={first}&end={last}"
    names = rep_names(team)
    reps_csv = page_csv(team["page"], "reps", query)
    outcomes = {outcome.id: outcome.name for outcome in team["outcomes"]}
    header = reps_csv[0]
    outcome_columns = [name for name in header[8:]]
    assert set(outcome_columns) == {outcomes[o] for n in by_rep.values() for o in n["outcomes"]}
    expected = {}
    for rep, numbers in {**{user.id: plain_numbers([]) for user in team["reps"]}, **by_rep}.items():
        expected[names[rep]] = [
            names[rep], *(cell(numbers[key]) for key in (
                "calls_out", "calls_in", "connected", "connect_rate", "talk_time",
                "average_call_length", "voicemails_left")),
            *(cell(numbers["outcomes"][next(o for o, n in outcomes.items() if n == name)])
              for name in outcome_columns),
        ]  # fmt: skip
    team_numbers = plain_numbers(calls)
    assert {row[0]: row for row in reps_csv[1:-1]} == expected
    assert reps_csv[-1][1:8] == [
        cell(team_numbers[key]) for key in ("calls_out", "calls_in", "connected", "connect_rate",
                                            "talk_time", "average_call_length", "voicemails_left")
    ]  # fmt: skip

    days_csv = page_csv(team["page"], "days", query)
    dispositions = list(Call.Disposition.values)
    empty = plain_numbers([])
    assert days_csv[1:-1] == [
        [day.isoformat(), *(cell(by_day.get(day, empty)["dispositions"][x]) for x in dispositions),
         cell(by_day.get(day, empty)["calls"])]
        for day in days
    ]  # fmt: skip
    hours_csv = page_csv(team["page"], "hours", query)
    for weekday_name, hour, calls_out, connected_out, rate in hours_csv[1:]:
        weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                   "Sunday"].index(weekday_name)  # fmt: skip
        numbers = by_hour.get((weekday, int(hour[:2])), plain_numbers([]))
        assert [calls_out, connected_out, rate] == [
            cell(numbers["calls_out"]), cell(numbers["connected_out"]),
            cell(numbers["connect_rate"]),
        ]  # fmt: skip
    outcomes_csv = page_csv(team["page"], "outcomes", query)
    mix = {name: int(calls) for name, calls, _ in outcomes_csv[1:]}
    assert mix == {
        **{outcomes[o]: n for o, n in team_numbers["outcomes"].items()},
        "No outcome": team_numbers["no_outcome"],
    }
    dispositions_csv = page_csv(team["page"], "dispositions", query)
    assert [int(calls) for _, calls, _ in dispositions_csv[1:]] == [
        team_numbers["dispositions"][x] for x in dispositions
    ]

    # The page shows the API's totals in its team row.
    html = team["page"].get(f"/insights/?{query}").content.decode()
    footer = re.sub(r"<[^>]+>|\s+", " ", html.split("<tfoot>")[1].split("</tfoot>")[0]).split()
    totals = comparison["aggregations"]["totals"]
    calls_out = totals["calls.outbound.all.count"]
    assert footer[:5] == ["Team", "total", str(calls_out), str(totals["calls.inbound.all.count"]),
                          str(totals["calls.all.connected.count"])]  # fmt: skip


def _random_calls(team, rng, start, end, count=60):
    """`count` calls at random moments in [start, end), logged through the services."""
    for _ in range(count):
        disposition = rng.choice(["answered", "answered", "no-answer", "vm-left", "busy"])
        call_create(
            organization=team["organization"],
            created_by=team["admin"],
            fields={
                "lead": rng.choice(team["leads"]),
                "user": rng.choice(team["reps"]),
                "direction": rng.choice(["outbound", "inbound"]),
                "disposition": disposition,
                "duration": rng.randrange(1, 900),
                "outcome": rng.choice(team["outcomes"]) if disposition == "answered" else None,
                "activity_at": start + (end - start) * rng.random(),
            },
        )


@pytest.mark.parametrize(
    ("zone_name", "offset_header", "zone"),
    [
        ("Asia/Kolkata", None, datetime.timezone(datetime.timedelta(hours=5, minutes=30))),
        ("Asia/Kathmandu", None, datetime.timezone(datetime.timedelta(hours=5, minutes=45))),
        ("UTC", "-2.5", datetime.timezone(datetime.timedelta(hours=-2, minutes=-30))),
        ("UTC", "-150", datetime.timezone(datetime.timedelta(hours=-2, minutes=-30))),
        ("UTC", "9", datetime.timezone(datetime.timedelta(hours=9))),
    ],
)
def test_zones_off_the_hour_count_right_too(team, rng, zone_name, offset_header, zone):
    team["organization"].time_zone = zone_name
    team["organization"].save()
    first, last = datetime.date(2025, 6, 2), datetime.date(2025, 6, 8)
    start = datetime.datetime(2025, 5, 31, tzinfo=datetime.UTC)
    _random_calls(team, rng, start, start + 10 * DAY, count=120)
    calls = calls_between(team["organization"], zone, first, last)
    headers = {"HTTP_X_TZ_OFFSET": offset_header} if offset_header else {}
    span = {"start": first.isoformat(), "end": (last + DAY).isoformat()}

    overview = report(
        team["api"],
        {"type": "overview", "metrics": list(METRICS), "datetime_range": span},
        **headers,
    )

    assert overview["aggregations"]["totals"] == plain_metrics(calls)
    for row in overview["data"]:
        day = datetime.datetime.fromisoformat(row.pop("datetime")).date()
        assert row == plain_metrics([call for call in calls if local_day(zone)(call) == day])


def test_a_range_that_starts_and_ends_within_hours_counts_only_its_calls(team, rng):
    start = datetime.datetime(2025, 3, 8, 6, 17, 41, tzinfo=datetime.UTC)
    end = datetime.datetime(2025, 3, 10, 19, 45, 30, tzinfo=datetime.UTC)
    _random_calls(team, rng, start - DAY / 4, end + DAY / 4, count=150)
    calls = [
        call
        for call in Call.objects.filter(organization=team["organization"])
        if start <= call.activity_at < end
    ]
    span = {"start": start.isoformat(), "end": end.isoformat()}

    for kind in ("comparison", "overview"):
        body = report(team["api"], {"type": kind, "metrics": list(METRICS), "datetime_range": span})
        assert body["aggregations"]["totals"] == plain_metrics(calls)


def test_a_member_sees_the_teams_numbers_as_the_admin_does(team, rng, alice_api):
    _random_calls(team, rng, midnight(SPRING[0]), midnight(SPRING[1]), count=40)
    span = {"start": SPRING[0].isoformat(), "end": SPRING[1].isoformat()}
    body = {"type": "comparison", "metrics": list(METRICS), "datetime_range": span}

    admin, member = report(team["api"], body), report(alice_api, body)

    assert member["aggregations"] == admin["aggregations"]
    alice = team["reps"][0]
    assert member["data"] == [row for row in admin["data"] if row["user_id"] == alice.id]
