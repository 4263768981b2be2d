"""`Lead.calls_count` and `last_activity_at` follow the lead's calls through the call services."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import services
from leads.models import Lead
from tests.conftest import make_call, make_lead

UTC = datetime.UTC


def summary(lead):
    lead = Lead.objects.get(pk=lead.pk)
    return lead.calls_count, lead.last_activity_at


def test_a_new_lead_has_no_calls(lead):
    assert summary(lead) == (0, None)


def test_logging_calls_counts_them(lead, alice):
    make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 2, tzinfo=UTC))
    make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 1, tzinfo=UTC))

    assert summary(lead) == (2, datetime.datetime(2026, 11, 2, tzinfo=UTC))


def test_deleting_a_call_uncounts_it(lead, alice):
    first = make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 1, tzinfo=UTC))
    last = make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 2, tzinfo=UTC))

    services.call_delete(last)
    assert summary(lead) == (1, first.activity_at)
    services.call_delete(first)
    assert summary(lead) == (0, None)


def test_updating_a_call_keeps_the_count(lead, alice):
    call = make_call(lead, alice)

    services.call_update(
        call, updated_by=alice, fields={"activity_at": datetime.datetime(2026, 1, 1, tzinfo=UTC)}
    )

    assert summary(lead) == (1, datetime.datetime(2026, 1, 1, tzinfo=UTC))


def test_moving_a_call_to_another_lead_moves_its_count(lead, alice, acme):
    other = make_lead(acme, name="Stark Industries")
    call = make_call(lead, alice, activity_at=datetime.datetime(2026, 11, 1, tzinfo=UTC))

    services.call_update(call, updated_by=alice, fields={"lead": other})

    assert summary(lead) == (0, None)
    assert summary(other) == (1, call.activity_at)


def test_the_leads_list_shows_the_count_without_counting_calls(alice_browser, lead, alice):
    make_call(lead, alice)
    make_call(lead, alice)

    with CaptureQueriesContext(connection) as captured:
        response = alice_browser.get("/leads/")

    assert [row.calls_count for row in response.context["page"]] == [2]
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and not any("activities_call" in sql for sql in counts)
