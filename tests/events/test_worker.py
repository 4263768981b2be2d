"""Webhooks end to end: changes committed here, delivered by a real worker process
(`manage.py jobs_worker`) to a real receiver on 127.0.0.1, which checks each signature with
Close's own code. Workers see only committed rows: these tests run on `transactional_db`."""

import time
from datetime import timedelta

import pytest
from closeio_api import API
from django.db import transaction
from django.utils import timezone

from events.models import Delivery, DeliveryAttempt, Event, WebhookSubscription
from tests.conftest import make_call
from tests.events.conftest import make_subscription
from tests.events.receiver import close_verify
from tests.workers import wait_for

# The workers' settings: the receiver's host allowed, and short waits.
WEBHOOKS = {
    "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "WEBHOOK_RETRY_BACKOFF_SECONDS": "0.5",
    "WEBHOOK_TIMEOUT_SECONDS": "1",
}


def _delivered(timeout=60):
    return wait_for(
        lambda: Delivery.objects.filter(status="delivered").first(),
        timeout,
        "a delivery to succeed",
    )


def test_a_receiver_failing_twice_gets_the_event_again_with_backoff_until_it_answers(
    start_worker, receiver, acme, alice, lead
):
    start_worker(**WEBHOOKS)
    subscription = make_subscription(acme, alice, receiver.url())
    receiver.answers = [500, 503]

    call = make_call(lead, alice)

    delivery = _delivered()
    arrivals = [received.arrived for received in receiver.received]
    assert len(arrivals) == 3
    assert arrivals[1] - arrivals[0] >= 0.5  # the first wait
    assert arrivals[2] - arrivals[1] >= 1.0  # doubled
    assert all(r.verifies_with(subscription.signature_key) for r in receiver.received)
    assert {r.json()["event"]["object_id"] for r in receiver.received} == {call.id}
    attempts = DeliveryAttempt.objects.filter(delivery=delivery).order_by("number")
    assert [(a.number, a.status_code) for a in attempts] == [(1, 500), (2, 503), (3, 200)]
    subscription.refresh_from_db()
    assert subscription.failing_since is None


def test_a_receiver_that_never_answers_leads_to_a_pause(start_worker, receiver, acme, alice, lead):
    start_worker(**WEBHOOKS)
    subscription = make_subscription(acme, alice, receiver.url())
    receiver.hang = True
    # Every delivery has failed for three days: set the run of failures back, not the clock.
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=timezone.now() - timedelta(days=3)
    )

    make_call(lead, alice)

    wait_for(
        lambda: WebhookSubscription.objects.filter(status="paused").exists(),
        30,
        "the subscription to be paused",
    )
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, "The server did not answer in time.")
    assert Delivery.objects.get().status == "dropped"
    assert WebhookSubscription.objects.get().paused_reason.startswith("Every delivery failed")


def test_a_change_that_rolls_back_sends_nothing(start_worker, receiver, acme, alice, lead):
    start_worker(**WEBHOOKS)
    make_subscription(acme, alice, receiver.url())

    with pytest.raises(RuntimeError), transaction.atomic():
        make_call(lead, alice, note="never happened")
        raise RuntimeError("the request failed after the call was written")
    kept = make_call(lead, alice)

    _delivered()
    time.sleep(1)  # what the rolled-back call would have queued, it would have queued first
    assert [r.json()["event"]["object_id"] for r in receiver.received] == [kept.id]
    assert list(Event.objects.values_list("object_id", flat=True)) == [kept.id]


def test_a_script_subscribes_logs_a_call_and_verifies_the_event_with_closes_code(
    live_server, start_worker, receiver, acme_admin_key, lead
):
    """The issue's "done when": Close's Python client, a worker, and Close's receiver code."""
    start_worker(**WEBHOOKS)
    close = API(f"{live_server.url}/api/v1/", api_key=acme_admin_key, max_retries=1)

    subscription = close.post(
        "webhook",
        {"url": receiver.url(), "events": [{"object_type": "activity.call", "action": "created"}]},
    )
    call = close.post(
        "activity/call",
        {"lead_id": lead.id, "direction": "outbound", "duration": 60, "note_html": "<p>Hi</p>"},
    )

    [received] = wait_for(lambda: receiver.received, 60, "the delivery")
    assert close_verify(received.headers, received.payload, subscription["signature_key"])
    event = received.json()["event"]
    assert received.json()["subscription_id"] == subscription["id"]
    assert (event["object_type"], event["action"], event["object_id"]) == (
        "activity.call",
        "created",
        call["id"],
    )
    assert event["data"] == close.get(f"activity/call/{call['id']}")
    assert event == close.get(f"event/{event['id']}")
