"""Every change the services make writes its event, in the change's transaction, whichever door
it came through: the API, the rep's pages, the admin, or a background job."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiKey
from activities import services as activities
from activities.models import Call, Transcript
from events.jobs import fan_out, fan_out_stragglers
from events.models import Delivery, Event
from jobs.models import Job
from tests.conftest import admin_form_data, make_call, make_user
from tests.events.conftest import events_of, make_subscription

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/activity/call/"


def _log_call(api, lead, **fields):
    response = api.post(
        CALLS, {"lead_id": lead.id, "duration": 60, **fields}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response


def test_a_call_logged_through_the_api_is_an_event_with_who_how_and_what(
    alice_api, alice, lead, alice_key
):
    response = _log_call(alice_api, lead, note_html="<p>Wants a demo</p>")
    call = response.json()

    [event] = events_of("activity.call")
    assert (event.object_id, event.action, event.lead_id) == (call["id"], "created", lead.id)
    assert event.organization_id == lead.organization_id
    assert event.user_id == alice.id
    assert event.api_key_id == str(ApiKey.objects.get(membership__user=alice).pk)
    assert event.request_id == response["X-Request-Id"]
    assert event.meta == {"request_method": "POST", "request_path": CALLS}
    assert (event.changed_fields, event.previous_data) == ([], {})
    assert event.data == alice_api.get(f"{CALLS}{call['id']}/").json()


def test_an_update_names_what_changed_with_its_former_values_as_the_api_showed_them(
    alice_api, lead, alice, acme
):
    call = _log_call(alice_api, lead, phone="+16505551234", note_html="<p>First</p>").json()
    before = alice_api.get(f"{CALLS}{call['id']}/").json()

    alice_api.put(
        f"{CALLS}{call['id']}/",
        {"phone": "+16505559876", "note_html": "<p>Second</p>"},
        content_type="application/json",
    )

    event = events_of("activity.call", action="updated")[0]
    changed = ["note", "note_html", "phone", "remote_phone", "remote_phone_formatted"]
    assert event.changed_fields == changed
    assert event.previous_data == {name: before[name] for name in changed}
    assert event.previous_data["remote_phone_formatted"] == "+1 650-555-1234"
    assert event.data == alice_api.get(f"{CALLS}{call['id']}/").json()


def test_a_new_rep_shows_the_former_reps_name_in_previous_data(acme_admin_api, lead, alice, acme):
    carol = make_user(acme, first_name="Carol", last_name="Cole")
    call = make_call(lead, alice)

    response = acme_admin_api.put(
        f"{CALLS}{call.id}/", {"user_id": carol.id}, content_type="application/json"
    )

    assert response.status_code == 200
    event = events_of("activity.call", action="updated")[0]
    assert event.changed_fields == ["user_id", "user_name"]
    assert event.previous_data == {"user_id": alice.id, "user_name": "Alice Archer"}
    assert event.data["user_name"] == "Carol Cole"


def test_a_deleted_call_keeps_its_lead_and_loses_its_data(alice_api, lead, alice):
    call = make_call(lead, alice)

    assert alice_api.delete(f"{CALLS}{call.id}/").status_code == 200

    event = events_of("activity.call", action="deleted")[0]
    assert (event.object_id, event.lead_id, event.data) == (call.id, lead.id, None)
    assert event.user_id == alice.id


def test_a_lead_with_its_contacts_and_an_outcome_are_events_of_their_own(
    acme_admin_api, acme_admin
):
    lead = acme_admin_api.post(
        "/api/v1/lead/",
        {"name": "Wayne Enterprises", "contacts": [{"name": "Bruce"}, {"name": "Alfred"}]},
        content_type="application/json",
    ).json()
    outcome = acme_admin_api.post(
        "/api/v1/outcome/", {"name": "Demo booked"}, content_type="application/json"
    ).json()

    kinds = [(e.object_type, e.object_id, e.lead_id) for e in events_of()]
    contacts = [contact["id"] for contact in lead["contacts"]]
    assert kinds == [
        ("lead", lead["id"], lead["id"]),
        ("contact", contacts[0], lead["id"]),
        ("contact", contacts[1], lead["id"]),
        ("outcome", outcome["id"], None),
    ]
    assert events_of("outcome")[0].data == outcome
    assert events_of("contact")[1].data == lead["contacts"][1]


def test_a_transcript_sent_with_a_call_is_an_event_of_its_own(alice_api, lead):
    call = _log_call(
        alice_api,
        lead,
        recording_transcript={"summary_text": "Wants a demo", "utterances": []},
    ).json()

    [event] = events_of("activity.call.transcript")
    assert (event.action, event.lead_id) == ("created", lead.id)
    assert event.data["call_id"] == call["id"]
    assert event.data["kind"] == "recording"
    assert event.data["summary_text"] == "Wants a demo"
    assert event.data["id"] == event.object_id


def test_a_call_logged_on_the_lead_page_is_an_event_without_an_api_key(alice_browser, lead, alice):
    response = alice_browser.post(
        f"/leads/{lead.id}/calls/new/",
        {"direction": "outbound", "disposition": "answered", "activity_at": "2026-05-01T10:00"},
    )

    assert response.status_code == 302
    [event] = events_of("activity.call")
    assert (event.user_id, event.api_key_id) == (alice.id, None)
    assert event.request_id == response["X-Request-Id"]
    assert event.meta == {"request_method": "POST", "request_path": f"/leads/{lead.id}/calls/new/"}
    assert event.data["id"] == Call.objects.get().id


def test_a_call_changed_in_the_admin_is_an_event(acme_admin_client, acme_admin, lead, alice):
    call = make_call(lead, alice, duration=60)
    url = f"/admin/activities/call/{call.id}/change/"
    page = acme_admin_client.get(url)

    response = acme_admin_client.post(url, admin_form_data(page, duration="95"))

    assert response.status_code == 302
    [event] = events_of("activity.call", action="updated")
    assert (event.user_id, event.api_key_id) == (acme_admin.id, None)
    assert event.request_id == response["X-Request-Id"]
    assert event.changed_fields == ["duration"]
    assert event.previous_data == {"duration": 60}
    assert event.data["duration"] == 95


def test_a_change_made_by_a_job_has_no_user_and_no_request(lead, alice):
    call = make_call(lead, alice)

    activities.transcript_save(
        Transcript.of(call, "recording"), actor=None, fields={"utterances": [], "summary_text": "x"}
    )

    [event] = events_of("activity.call.transcript")
    assert (event.user_id, event.api_key_id, event.request_id) == (None, None, None)
    assert event.meta == {}


def test_a_request_that_fails_halfway_leaves_no_event_and_queues_nothing(alice_api, subscription):
    # The lead is written first, then the second contact is refused: all of it rolls back.
    response = alice_api.post(
        "/api/v1/lead/",
        {"name": "Wayne", "contacts": [{"name": "Bruce"}, {"name": "Alfred", "phones": "x"}]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert not Event.objects.exists()
    assert not Job.objects.exists()


def test_a_rolled_back_transaction_leaves_no_event(lead, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_call(lead, alice)
        assert Event.objects.count() == 1
        raise RuntimeError("something after the call failed")

    assert not Event.objects.exists()


def test_an_event_queues_its_delivery_only_where_someone_subscribed(lead, alice, receiver):
    make_call(lead, alice)
    assert not Job.objects.exists()

    make_subscription(lead.organization, alice, receiver.url())
    make_call(lead, alice)

    [job] = Job.objects.all()
    assert job.name == "events.jobs.fan_out"
    assert job.kwargs == {"organization_id": lead.organization_id}
    assert [event.delivery_pending for event in events_of("activity.call")] == [False, True]


def test_changes_made_while_the_fan_out_is_queued_queue_nothing_more(lead, alice, receiver):
    make_subscription(lead.organization, alice, receiver.url())

    for _ in range(3):
        make_call(lead, alice)

    assert Job.objects.get().name == "events.jobs.fan_out"
    assert len(events_of("activity.call", delivery_pending=True)) == 3


def test_events_left_marked_are_fanned_out_by_the_periodic_sweep(lead, alice, subscription):
    make_call(lead, alice)
    Job.objects.all().delete()  # as if the fan-out had finished as this event committed
    Event.objects.update(date_created=timezone.now() - timedelta(minutes=1))

    assert fan_out_stragglers() == 1

    [job] = Job.objects.all()
    assert (job.name, job.kwargs) == (
        "events.jobs.fan_out",
        {"organization_id": lead.organization_id},
    )
    fan_out(**job.kwargs)
    assert Delivery.objects.get().event == Event.objects.get(object_type="activity.call")
    assert not Event.objects.filter(delivery_pending=True).exists()


def test_the_request_that_made_a_change_does_not_deliver_it(
    alice_api, lead, subscription, receiver
):
    _log_call(alice_api, lead)

    assert receiver.received == []
    [job] = Job.objects.all()
    assert (job.name, job.status) == ("events.jobs.fan_out", "queued")


def test_a_follow_up_task_created_completed_and_deleted_is_three_events(alice_api, lead):
    tasks = "/api/v1/task/"
    task = alice_api.post(
        tasks,
        {"lead_id": lead.id, "text": "Send the pricing sheet"},
        content_type="application/json",
    ).json()
    alice_api.put(f"{tasks}{task['id']}/", {"is_complete": True}, content_type="application/json")
    shown = alice_api.get(f"{tasks}{task['id']}/").json()
    alice_api.delete(f"{tasks}{task['id']}/")

    created, updated, deleted = events_of("task.lead")
    assert [e.action for e in (created, updated, deleted)] == ["created", "updated", "deleted"]
    assert {e.object_id for e in (created, updated, deleted)} == {task["id"]}
    assert {e.lead_id for e in (created, updated, deleted)} == {lead.id}
    assert created.data == task
    assert "is_complete" in updated.changed_fields
    assert updated.previous_data["is_complete"] is False
    assert updated.data == shown
    assert deleted.data is None
