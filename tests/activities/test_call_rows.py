"""The calls' rows of a timeline (activities/call_rows.py): what they write of each call."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests.conftest import make_call

pytestmark = pytest.mark.django_db


def time_element(moment, zone):
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f'<time datetime="{date(local, "c")}" title="{date(local, "l j F Y, H:i:s T")}">'


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 10, 15, 42, tzinfo=ZoneInfo("UTC")),
        # 01:30 in New York twice that night; Django names no zone for either
        datetime(2026, 11, 1, 5, 30, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 11, 1, 6, 30, tzinfo=ZoneInfo("UTC")),
    ],
)
def test_a_calls_time_is_written_in_each_viewers_zone_as_djangos_date_filter_writes_it(
    client, alice, lead, moment
):
    make_call(lead, alice, activity_at=moment)
    client.force_login(alice)
    for zone in ("Europe/Paris", "America/New_York", "Europe/Paris"):
        alice.time_zone = zone
        alice.save()

        response = client.get(lead.get_absolute_url())

        assertContains(response, time_element(moment, zone))


def test_a_row_names_the_direction_disposition_and_method_as_the_model_does(
    alice_browser, alice, lead
):
    call = make_call(lead, alice, direction="inbound", disposition="vm-left", call_method="power")

    response = alice_browser.get(lead.get_absolute_url())

    assertContains(response, f"</span> {call.get_direction_display()}</span>")
    assertContains(
        response, f'<span class="badge badge--vm-left">{call.get_disposition_display()}</span>'
    )
    assertContains(response, f'<span class="call__method">{call.get_call_method_display()}</span>')
