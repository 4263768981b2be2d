"""The seed's call rules, accepted and refused through the API on create and on update."""

import pytest

from activities.models import Call
from tests.conftest import make_call, make_contact, make_lead, make_outcome

URL = "/api/v1/activity/call/"


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def put(client, call, body):
    return client.put(f"{URL}{call.id}/", body, content_type="application/json")


@pytest.mark.parametrize("method", ["regular", "power", "predictive", "external"])
def test_every_call_method_is_accepted(alice_api, lead, method):
    response = post(alice_api, {"lead_id": lead.id, "call_method": method})

    assert response.status_code == 200
    assert response.json()["call_method"] == method


def test_an_unknown_call_method_is_refused(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "call_method": "carrier-pigeon"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"call_method"}


@pytest.mark.parametrize(
    "body",
    [
        {"disposition": "answered", "duration": 30},
        {"disposition": "no-answer", "duration": 0},
        {"disposition": "vm-answer", "direction": "inbound"},
        {"disposition": "vm-left"},
        {"disposition": "busy"},
        {"disposition": "blocked"},
        {"disposition": "error"},
        {"disposition": "abandoned", "call_method": "predictive"},
    ],
)
def test_every_disposition_is_accepted_where_it_applies(alice_api, lead, body):
    response = post(alice_api, {"lead_id": lead.id, **body})

    assert response.status_code == 200
    assert response.json()["disposition"] == body["disposition"]


def test_an_unknown_disposition_is_refused(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "disposition": "hung-up-angrily"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"disposition"}


def test_vm_answer_is_refused_on_an_outbound_call(alice_api, lead):
    response = post(
        alice_api, {"lead_id": lead.id, "direction": "outbound", "disposition": "vm-answer"}
    )

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "disposition": "vm-answer is only possible on inbound calls."
    }
    assert not Call.objects.exists()


def test_vm_answer_is_refused_when_an_update_makes_the_call_outbound(alice_api, lead, alice):
    call = make_call(lead, alice, direction="inbound", disposition="vm-answer")

    response = put(alice_api, call, {"direction": "outbound"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"disposition"}
    call.refresh_from_db()
    assert call.direction == "inbound"


@pytest.mark.parametrize("method", ["regular", "power", "external"])
def test_abandoned_is_refused_without_the_predictive_dialer(alice_api, lead, method):
    response = post(
        alice_api, {"lead_id": lead.id, "call_method": method, "disposition": "abandoned"}
    )

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "disposition": "abandoned is only possible with the predictive dialer."
    }


@pytest.mark.parametrize(
    ("body", "derived"),
    [
        ({"status": "completed", "duration": 30}, "answered"),
        ({"status": "completed", "duration": 0}, "no-answer"),
        ({"status": "completed", "voicemail_url": "https://vm.example.com/1.mp3"}, "vm-left"),
        ({"status": "no-answer"}, "no-answer"),
        ({"status": "cancel"}, "no-answer"),
        ({"status": "busy"}, "busy"),
        ({"status": "failed"}, "error"),
        ({"status": "timeout"}, "error"),
    ],
)
def test_an_omitted_disposition_is_derived_from_the_status(alice_api, lead, body, derived):
    response = post(alice_api, {"lead_id": lead.id, "duration": 0, **body})

    assert response.json()["disposition"] == derived


def test_an_outcome_is_accepted_on_an_answered_call(alice_api, lead, outcome):
    response = post(alice_api, {"lead_id": lead.id, "duration": 30, "outcome_id": outcome.id})

    assert response.status_code == 200
    assert response.json()["outcome_id"] == outcome.id


def test_an_outcome_is_refused_on_an_unanswered_call(alice_api, lead, outcome):
    response = post(
        alice_api,
        {"lead_id": lead.id, "status": "no-answer", "duration": 0, "outcome_id": outcome.id},
    )

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "outcome": "An outcome can only be set on a connected (answered) call."
    }


def test_an_outcome_is_refused_when_an_update_unanswers_the_call(alice_api, lead, alice, outcome):
    call = make_call(lead, alice, duration=30, outcome=outcome)

    response = put(alice_api, call, {"disposition": "no-answer"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"outcome"}


def test_a_deleted_outcome_cannot_be_set(alice_api, acme_admin_api, acme, lead):
    deleted = make_outcome(acme)
    acme_admin_api.delete(f"/api/v1/outcome/{deleted.id}/")

    response = post(alice_api, {"lead_id": lead.id, "duration": 30, "outcome_id": deleted.id})

    assert response.json()["field-errors"] == {"outcome": "Object does not exist."}


def test_clearing_the_outcome_is_always_allowed(alice_api, lead, alice, outcome):
    call = make_call(lead, alice, duration=30, outcome=outcome)

    response = put(alice_api, call, {"outcome_id": None, "disposition": "no-answer"})

    assert response.status_code == 200
    assert response.json()["outcome_id"] is None


@pytest.mark.parametrize("duration", [0, 604800])
def test_duration_is_accepted_from_zero_to_a_week(alice_api, lead, duration):
    response = post(alice_api, {"lead_id": lead.id, "duration": duration})

    assert response.json()["duration"] == duration


@pytest.mark.parametrize("duration", [-1, 604801, 10**30, 1.5, "long"])
def test_duration_outside_a_week_of_whole_seconds_is_refused(alice_api, lead, duration):
    response = post(alice_api, {"lead_id": lead.id, "duration": duration})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"duration"}


@pytest.mark.parametrize("field", ["recording_url", "voicemail_url"])
def test_audio_urls_must_be_https(alice_api, lead, field):
    response = post(alice_api, {"lead_id": lead.id, field: "http://recordings.example.com/1.mp3"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {field}


def test_a_contact_must_belong_to_the_calls_lead(alice_api, acme, lead):
    elsewhere = make_contact(make_lead(acme))

    response = post(alice_api, {"lead_id": lead.id, "contact_id": elsewhere.id})

    assert response.json()["field-errors"] == {
        "contact": "The contact does not belong to this lead."
    }


def test_a_negative_cost_is_refused(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "cost": "-1"})

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"cost"}
