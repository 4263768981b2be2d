"""Close's report request shape, from a script against a live server: Close's own Python client
(`closeio`) and plain `requests`, as the scripts that read Close's activity report send it."""

import datetime

import pytest
import requests
from closeio_api import API

from tests.conftest import basic_auth, make_call

pytestmark = pytest.mark.django_db(transaction=True)
WHEN = datetime.datetime(2025, 3, 4, 15, tzinfo=datetime.UTC)


@pytest.fixture
def calls(lead, alice):
    make_call(lead, alice, disposition="answered", duration=300, activity_at=WHEN)
    make_call(lead, alice, disposition="no-answer", duration=0, activity_at=WHEN)
    make_call(
        lead, alice, direction="inbound", disposition="answered", duration=60, activity_at=WHEN
    )


def test_closes_client_reads_a_reps_week(live_server, acme_admin_key, alice, calls):
    close = API(f"{live_server.url}/api/v1/", api_key=acme_admin_key, max_retries=1)

    report = close.post(
        "report/activity",
        data={
            "datetime_range": {"start": "2025-03-03T00:00:00Z", "end": "2025-03-09T23:59:59Z"},
            "users": [alice.id],
            "type": "comparison",
            "metrics": ["calls.outbound.all.count", "calls.outbound.all.sum_duration",
                        "calls.outbound.all.avg_duration", "calls.inbound.all.count",
                        "calls.all.all.count", "calls.all.all.sum_duration"],
        },
    )  # fmt: skip

    totals = report["aggregations"]["totals"]
    assert totals == {
        "calls.outbound.all.count": 2, "calls.outbound.all.sum_duration": 300,
        "calls.outbound.all.avg_duration": 150.0, "calls.inbound.all.count": 1,
        "calls.all.all.count": 3, "calls.all.all.sum_duration": 360,
    }  # fmt: skip
    assert report["data"] == [{"user_id": alice.id, **totals}]
    assert "calls.outbound.all.connect_rate" in close.get("report/activity/metrics")["data"]


def test_a_script_reads_the_week_day_by_day_as_csv(live_server, acme_admin_key, calls):
    response = requests.post(
        f"{live_server.url}/api/v1/report/activity/",
        json={"relative_range": "all-time", "type": "overview",
              "metrics": ["calls.outbound.all.count", "calls.all.connected.sum_duration"]},
        headers={"Authorization": basic_auth(acme_admin_key), "Accept": "text/csv",
                 "x-tz-offset": "-5"},
        timeout=30,
    )  # fmt: skip

    assert response.status_code == 200
    lines = response.text.splitlines()
    assert lines[0] == "datetime,calls.outbound.all.count,calls.all.connected.sum_duration"
    assert "2025-03-04T00:00:00-05:00,2,360" in lines
