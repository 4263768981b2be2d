"""The lead streams of Close's ETL connectors, syncing incrementally from a live server.

Singer's tap-closeio reads through Close's official client (`closeio`), as its `sync_leads` and
`paginate` do; Airbyte's Close source through plain HTTP, as its versions' requesters send.
Each sync keeps the records the connector itself keeps, and the second sync must bring back
exactly the leads changed since the first, oldest change first.
"""

import datetime

import pytest
import requests
from closeio_api import API

from leads.models import Lead
from tests.conftest import make_call, make_contact
from tests.leads.connectors import airbyte_06_body, airbyte_06_slice

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture
def close(live_server, alice_key):
    return API(f"{live_server.url}/api/v1/", api_key=alice_key, max_retries=1)


@pytest.fixture
def history(acme):
    """250 of Acme's leads, changed last an hour apart in 2026, each with a contact."""
    leads = Lead.objects.bulk_create(
        Lead(organization=acme, name=f"Lead {n}", date_created=START + datetime.timedelta(hours=n))
        for n in range(250)
    )
    for lead in leads:
        make_contact(lead)
    for lead in leads:
        Lead.objects.filter(pk=lead.pk).update(date_updated=lead.date_created)
    return [lead.id for lead in leads]


def tap_closeio_sync(close, start_date):
    """tap-closeio's `sync_leads`: the query from the bookmark's minute, pages of 100 while
    `has_more`, records older than the bookmark dropped; return them and the new bookmark."""
    formatted_start = datetime.datetime.fromisoformat(start_date).strftime("%Y-%m-%dT%H:%M")
    query = f'date_updated>="{formatted_start}" sort:date_updated'
    records, skip = [], 0
    while True:
        page = close.get("lead", params={"query": query, "_limit": 100, "_skip": skip})
        records += [record for record in page["data"] if record["date_updated"] >= start_date]
        skip += len(page["data"])
        if not page["has_more"]:
            break
    return records, max([start_date, *(record["date_updated"] for record in records)])


def changes_between_syncs(close, history, bob, bob_lead):
    """A contact edited, a call logged and a lead added by Alice; a change in Globex too.
    Return Alice's leads in the order they changed."""
    edited = close.get(f"lead/{history[10]}")["contacts"][0]
    close.put(f"contact/{edited['id']}", {"title": "CFO"})
    close.post("activity/call", {"lead_id": history[20], "direction": "outbound", "duration": 9})
    added = close.post("lead", {"name": "Wayne Enterprises"})
    make_call(bob_lead, bob)
    return [history[10], history[20], added["id"]]


def test_singers_tap_syncs_leads_incrementally(close, history, bob, bob_lead):
    first, bookmark = tap_closeio_sync(close, "2026-01-01T00:00:00.000000+00:00")
    changed = changes_between_syncs(close, history, bob, bob_lead)
    second, _ = tap_closeio_sync(close, bookmark)

    assert [lead["id"] for lead in first] == history
    assert bookmark == first[-1]["date_updated"]
    # The lead at the bookmark is sent again, as `>=` asks; then every change, oldest first.
    assert [lead["id"] for lead in second] == [history[-1], *changed]


def airbyte_sync(live_server, key, params, start, body=None):
    """Airbyte's `OffsetIncrement` paging: `_limit=200`, no `_skip` on the first request, the
    next offset while a page is full; records compared to the state as text, as it does."""
    records, skip = [], 0
    while True:
        page_params = {**params, "_limit": 200, **({"_skip": skip} if skip else {})}
        response = requests.get(
            f"{live_server.url}/api/v1/lead", params=page_params, json=body, auth=(key, "")
        )
        assert response.status_code == 200, response.text
        page = response.json()["data"]
        records += [record for record in page if record["date_updated"] >= start]
        skip += 200
        if len(page) < 200:
            return records


def test_airbytes_python_source_syncs_leads_incrementally(
    live_server, alice_key, close, history, bob, bob_lead
):
    state = "2026-01-01T00:00:00.000000+00:00"
    first = airbyte_sync(
        live_server, alice_key, {"query": f"sort:updated date_updated >= {state}"}, state
    )
    changed = changes_between_syncs(close, history, bob, bob_lead)
    state = max(record["date_updated"] for record in first)
    second = airbyte_sync(
        live_server, alice_key, {"query": f"sort:updated date_updated >= {state}"}, state
    )

    assert [lead["id"] for lead in first] == history
    assert [lead["id"] for lead in second] == [history[-1], *changed]


def test_airbyte_06_syncs_leads_incrementally_with_its_body(
    live_server, alice_key, close, history, bob, bob_lead
):
    now = datetime.datetime.now(datetime.UTC)
    start, end = airbyte_06_slice(START), airbyte_06_slice(now)
    first = airbyte_sync(live_server, alice_key, {}, start, airbyte_06_body(start, end))
    changed = changes_between_syncs(close, history, bob, bob_lead)
    start = airbyte_06_slice(now)
    end = airbyte_06_slice(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=1))
    second = airbyte_sync(live_server, alice_key, {}, start, airbyte_06_body(start, end))

    assert [lead["id"] for lead in first] == history
    assert [lead["id"] for lead in second] == changed


def test_airbyte_05s_custom_field_request_with_its_doubled_slash(live_server, alice_key):
    response = requests.get(f"{live_server.url}/api/v1//custom_field/lead/", auth=(alice_key, ""))

    assert response.status_code == 200
    assert response.json() == {"has_more": False, "data": []}
