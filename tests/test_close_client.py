"""Close's official Python client (`closeio` on PyPI) against a live closecalls server.

Only the base URL changes: everything else is what a script written for Close would do.
"""

import pytest
from closeio_api import API, APIError, ValidationError

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def close(live_server, acme_admin_key):
    """Close's client with the key of Acme's admin, who may also manage outcomes."""
    return API(f"{live_server.url}/api/v1/", api_key=acme_admin_key, max_retries=1)


def all_calls(close, **params):
    """Page through calls the way Close's own scripts do: _skip until has_more is false."""
    calls, skip, pages = [], 0, 0
    while True:
        page = close.get("activity/call", params={**params, "_skip": skip, "_limit": 2})
        calls += page["data"]
        skip += len(page["data"])
        pages += 1
        if not page["has_more"]:
            return calls, pages


def test_a_script_written_for_close_works_unchanged(close, acme_admin):
    me = close.get("me")
    assert me["id"] == acme_admin.id
    assert me["organizations"][0]["name"] == "Acme"

    lead = close.post(
        "lead",
        {
            "name": "Wayne Enterprises",
            "contacts": [{"name": "Bruce Wayne", "phones": [{"phone": "+16505551234"}]}],
        },
    )
    contact_id = lead["contacts"][0]["id"]
    assert close.get("lead", params={"query": "650-555-1234"})["data"][0]["id"] == lead["id"]

    logged = [
        close.post(
            "activity/call",
            {
                "lead_id": lead["id"],
                "contact_id": contact_id,
                "direction": "outbound",
                "status": "completed",
                "duration": 60 + n,
                "phone": "+16505551234",
                "note_html": f"<p>Call {n}</p>",
                "activity_at": f"2026-11-2{n}T10:00:00+00:00",
            },
        )
        for n in range(5)
    ]
    assert {call["call_method"] for call in logged} == {"external"}

    calls, pages = all_calls(close, lead_id=lead["id"], _order_by="activity_at")
    assert [call["id"] for call in calls] == [call["id"] for call in logged]
    assert pages == 3

    outcome = close.post("outcome", {"name": "Demo booked"})
    updated = close.put(
        f"activity/call/{logged[0]['id']}", {"outcome_id": outcome["id"], "note": "Booked"}
    )
    assert updated["outcome_id"] == outcome["id"]
    assert updated["note_html"] == "<body>Booked</body>"

    with pytest.raises(ValidationError) as refused:
        close.post(
            "activity/call",
            {"lead_id": lead["id"], "direction": "outbound", "disposition": "vm-answer"},
        )
    assert "disposition" in refused.value.field_errors

    assert close.delete(f"activity/call/{logged[-1]['id']}") == {}
    calls, _ = all_calls(close, lead_id=lead["id"])
    assert len(calls) == 4


def test_an_unknown_lead_is_a_validation_error_keyed_by_the_relation(close, alice):
    with pytest.raises(ValidationError) as refused:
        close.post("activity/call", {"lead_id": "lead_doesnotexist"})

    assert refused.value.field_errors == {"lead": "Object does not exist."}
    assert refused.value.errors == []


def test_an_unknown_call_is_an_api_error(close, alice):
    with pytest.raises(APIError) as missing:
        close.get("activity/call/acti_doesnotexist")

    assert missing.value.response.status_code == 404
    assert "error" in missing.value.response.json()


def test_what_a_members_role_does_not_allow_is_an_api_error(live_server, alice_key):
    close = API(f"{live_server.url}/api/v1/", api_key=alice_key, max_retries=1)

    with pytest.raises(APIError) as refused:
        close.post("outcome", {"name": "Demo booked"})

    assert refused.value.response.status_code == 403
    assert refused.value.response.json() == {
        "error": "Only an organization admin can create, change or delete outcomes."
    }


def test_a_bad_key_is_refused(live_server, alice):
    close = API(f"{live_server.url}/api/v1/", api_key="api_wrong", max_retries=1)

    with pytest.raises(APIError) as refused:
        close.get("activity/call")

    assert refused.value.response.status_code == 401
