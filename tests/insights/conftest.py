"""The insights tests' world: a team in New York whose calls cross a change of the clocks, and
the numbers a manager would count by hand from the calls themselves (`plain_numbers`)."""

import datetime
import random
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from accounts.models import Membership
from activities.models import Call
from tests.conftest import api_client, issue_key, make_lead, make_outcome, make_user

NEW_YORK = ZoneInfo("America/New_York")
# The week the clocks went forward in New York (Sunday 9 March 2025 had 23 hours) and the week
# they went back (Sunday 2 November 2025 had 25).
SPRING = (datetime.date(2025, 3, 5), datetime.date(2025, 3, 12))
AUTUMN = (datetime.date(2025, 10, 29), datetime.date(2025, 11, 5))


def plain_numbers(calls):
    """The numbers of `calls` (Call objects), counted one call at a time."""
    numbers = {
        "calls": 0, "calls_out": 0, "calls_in": 0, "connected": 0, "connected_out": 0,
        "talk_time": 0, "duration": 0, "voicemails_left": 0,
        "dispositions": Counter(), "outcomes": Counter(),
    }  # fmt: skip
    for call in calls:
        numbers["calls"] += 1
        numbers["calls_out" if call.direction == "outbound" else "calls_in"] += 1
        numbers["duration"] += call.duration
        numbers["dispositions"][call.disposition] += 1
        if call.disposition == "answered":
            numbers["connected"] += 1
            numbers["talk_time"] += call.duration
            if call.direction == "outbound":
                numbers["connected_out"] += 1
        if call.disposition == "vm-left":
            numbers["voicemails_left"] += 1
        if call.outcome_id:
            numbers["outcomes"][call.outcome_id] += 1
    out, connected = numbers["calls_out"], numbers["connected"]
    numbers["connect_rate"] = numbers["connected_out"] / out if out else None
    numbers["average_call_length"] = numbers["talk_time"] / connected if connected else None
    numbers["no_outcome"] = numbers["calls"] - sum(numbers["outcomes"].values())
    return numbers


def plain_metrics(calls):
    """Every metric of the activity report, computed from `calls` one by one."""
    metrics = {}
    for scope in ("all", "outbound", "inbound"):
        chosen = [call for call in calls if scope == "all" or call.direction == scope]
        connected = [call for call in chosen if call.disposition == "answered"]
        for subset, group in (("all", chosen), ("connected", connected)):
            seconds = sum(call.duration for call in group)
            metrics[f"calls.{scope}.{subset}.count"] = len(group)
            metrics[f"calls.{scope}.{subset}.sum_duration"] = seconds
            metrics[f"calls.{scope}.{subset}.avg_duration"] = (
                seconds / len(group) if group else None
            )
    outbound = metrics["calls.outbound.all.count"]
    metrics["calls.outbound.all.connect_rate"] = (
        metrics["calls.outbound.connected.count"] / outbound if outbound else None
    )
    metrics["calls.all.vm_left.count"] = sum(call.disposition == "vm-left" for call in calls)
    for disposition in Call.Disposition.values:
        metrics[f"calls.all.{disposition}.count"] = sum(
            call.disposition == disposition for call in calls
        )
    return metrics


def calls_between(organization, zone, first, last):
    """The organization's calls whose local day in `zone` is from `first` to `last`."""
    return [
        call
        for call in Call.objects.filter(organization=organization)
        if first <= call.activity_at.astimezone(zone).date() <= last
    ]


def grouped(calls, key):
    """{key(call): plain_numbers of those calls}."""
    groups = defaultdict(list)
    for call in calls:
        groups[key(call)].append(call)
    return {group: plain_numbers(members) for group, members in groups.items()}


def local_day(zone):
    return lambda call: call.activity_at.astimezone(zone).date()


def local_hour_of_week(zone):
    def key(call):
        local = call.activity_at.astimezone(zone)
        return local.weekday(), local.hour

    return key


def rep_of(call):
    return call.user_id or ""


@pytest.fixture
def team(acme, alice):
    """Acme in New York: Carol the admin (staff), Alice and Dave the reps, all in New York's
    time zone; three leads and three outcomes."""
    acme.time_zone = "America/New_York"
    acme.save()
    carol = make_user(
        acme, role=Membership.Role.ADMIN, username="carol", first_name="Carol", is_staff=True,
        time_zone="America/New_York",
    )  # fmt: skip
    dave = make_user(acme, username="dave", first_name="Dave", time_zone="America/New_York")
    alice.time_zone = "America/New_York"
    alice.save()
    page = Client()
    page.force_login(carol)
    return {
        "organization": acme,
        "admin": carol,
        "reps": [alice, dave, carol],
        "leads": [make_lead(acme, name=f"Prospect {n}") for n in range(3)],
        "outcomes": [make_outcome(acme, name=name) for name in ("Demo", "Later", "No")],
        "api": api_client(issue_key(carol, acme)),
        "page": page,
    }


@pytest.fixture
def rng(request):
    """A seeded random generator: the same calls on every run, another set per test."""
    return random.Random(request.node.nodeid)
