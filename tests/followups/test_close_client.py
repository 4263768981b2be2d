"""Close's official Python client (`closeio` on PyPI) manages follow-ups against a live server.

Only the base URL changes: the calls are those of a script written for Close's task API.
"""

import datetime

import pytest
from closeio_api import API, APIError

from tests.conftest import issue_key, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Where the script runs: four hours behind UTC, sent by the client as `X-TZ-Offset`.
TZ_OFFSET = -4
ZONE = datetime.timezone(datetime.timedelta(hours=TZ_OFFSET))


def close_client(live_server, key):
    return API(f"{live_server.url}/api/v1/", api_key=key, tz_offset=TZ_OFFSET, max_retries=1)


@pytest.fixture
def close(live_server, alice_key):
    return close_client(live_server, alice_key)


def ids(page):
    return [task["id"] for task in page["data"]]


def test_a_script_written_for_close_creates_lists_and_completes_follow_ups(close, alice, lead):
    today = datetime.datetime.now(ZONE).date()
    tomorrow = today + datetime.timedelta(days=1)

    pricing = close.post("task", {"lead_id": lead.id, "text": "Send the pricing sheet"})
    call_back = close.post(
        "task",
        {"lead_id": lead.id, "_type": "outgoing_call", "text": "Call back", "date": str(tomorrow)},
    )
    assert (pricing["assigned_to"], pricing["date"], pricing["view"]) == (
        alice.id, today.isoformat(), "inbox"
    )  # fmt: skip
    assert (call_back["_type"], call_back["view"]) == ("outgoing_call", "future")

    inbox = close.get("task", params={"_type": "all", "view": "inbox", "assigned_to": alice.id})
    assert ids(inbox) == [pricing["id"]]
    by_date = close.get("task", params={"_type__in": "lead,outgoing_call", "_order_by": "date"})
    assert ids(by_date) == [pricing["id"], call_back["id"]]

    done = close.put(f"task/{pricing['id']}", {"is_complete": True})
    assert (done["is_complete"], done["view"]) == (True, "archive")
    assert close.get("task", params={"lead_id": lead.id, "is_complete": "false"})["data"] == []


def test_a_script_completes_every_task_of_a_lead_at_once(close, alice, lead):
    created = [
        close.post("task", {"lead_id": lead.id, "_type": type_, "text": f"Step {n}"})
        for n, type_ in enumerate(["lead", "outgoing_call", "lead"])
    ]

    answer = close.put("task", {"is_complete": True}, params={"lead_id": lead.id, "_type": "all"})

    assert answer == {"count": 3}
    archive = close.get("task", params={"_type": "all", "view": "archive"})
    assert sorted(ids(archive)) == sorted(task["id"] for task in created)
    assert close.get("lead/" + lead.id)["tasks"] == []


def test_a_missed_call_logged_by_a_script_is_in_the_reps_inbox(close, alice, lead):
    call = close.post(
        "activity/call",
        {
            "lead_id": lead.id,
            "direction": "inbound",
            "disposition": "no-answer",
            "user_id": alice.id,
        },
    )

    missed = close.get("task", params={"_type": "missed_call", "view": "inbox"})["data"]

    assert [(task["object_type"], task["object_id"]) for task in missed] == [("call", call["id"])]
    assert missed[0]["assigned_to"] == alice.id


def test_a_member_bulk_completes_nothing_if_one_task_is_not_theirs(live_server, close, acme, lead):
    carol = make_user(acme, username="carol")
    carols = close.post("task", {"lead_id": lead.id, "assigned_to": carol.id})
    alices = close.post("task", {"lead_id": lead.id})
    dave_close = close_client(live_server, issue_key(make_user(acme, username="dave"), acme))
    daves = dave_close.post("task", {"lead_id": lead.id})

    with pytest.raises(APIError) as refused:
        dave_close.put("task", {"is_complete": True}, params={"lead_id": lead.id})

    assert refused.value.response.status_code == 403
    assert {task["id"]: task["is_complete"] for task in close.get("task")["data"]} == {
        carols["id"]: False,
        alices["id"]: False,
        daves["id"]: False,
    }
