"""Delivering an event to a real receiver on 127.0.0.1, one attempt at a time, as a worker
runs the jobs (tests/events/test_worker.py runs them in real worker processes)."""

import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from events import delivery as deliveries
from events.jobs import deliver_webhook, fan_out
from events.models import Delivery, DeliveryAttempt, WebhookSubscription
from jobs import TransientError
from tests.conftest import make_call
from tests.events.conftest import make_subscription

pytestmark = pytest.mark.django_db


def _delivery_of_a_new_call(lead, alice):
    """Log a call and fan its event out, as the fan_out job does; return its delivery."""
    make_call(lead, alice)
    fan_out(organization_id=lead.organization_id)
    return Delivery.objects.get()


def _attempt(delivery):
    """Run the delivery job once; return the wait it asks for before the next, or None."""
    try:
        deliver_webhook(delivery_id=delivery.id)
    except TransientError as retry:
        return retry.retry_after
    return None


def test_a_delivery_is_signed_so_that_closes_own_code_verifies_it(
    subscription, receiver, lead, alice, acme_admin_api
):
    delivery = _delivery_of_a_new_call(lead, alice)

    assert _attempt(delivery) is None

    [received] = receiver.received
    assert received.verifies_with(subscription.signature_key)
    assert not received.verifies_with("00" * 32)
    assert received.headers["content-type"] == "application/json"
    assert abs(int(received.headers["close-sig-timestamp"]) - time.time()) < 60
    event = acme_admin_api.get(f"/api/v1/event/{delivery.event_id}/").json()
    assert received.json() == {"event": event, "subscription_id": subscription.id}
    assert event["data"]["lead_id"] == lead.id
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_every_attempt_is_recorded_and_a_failure_is_retried_after_the_backoff(
    subscription, receiver, lead, alice, settings
):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 30
    receiver.answers = [503]
    delivery = _delivery_of_a_new_call(lead, alice)

    wait = _attempt(delivery)
    assert 30 <= wait <= 33
    assert _attempt(delivery) is None

    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [(a.number, a.status_code, a.error) for a in attempts] == [(1, 503, ""), (2, 200, "")]
    assert all(a.duration_ms < 5000 for a in attempts)
    assert attempts[0].attempted_at <= attempts[1].attempted_at
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_the_backoff_doubles_up_to_one_attempt_every_twenty_minutes(settings):
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 30

    waits = [deliveries.backoff_seconds(attempt) for attempt in range(1, 12)]

    for attempt, wait in enumerate(waits[:5], start=1):
        assert 30 * 2 ** (attempt - 1) <= wait <= 33 * 2 ** (attempt - 1)
    assert max(waits) == waits[-1] == 20 * 60


def test_a_redirect_is_an_answer_not_followed(subscription, receiver, lead, alice):
    receiver.answers = [302]
    receiver.headers = {"Location": receiver.url("/elsewhere")}
    delivery = _delivery_of_a_new_call(lead, alice)

    assert _attempt(delivery) is not None

    assert [r.path for r in receiver.received] == ["/hook"]
    assert DeliveryAttempt.objects.get().status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.reason) == ("pending", "The receiver answered 302.")


def test_a_receiver_that_does_not_answer_in_time_fails_the_attempt(
    subscription, receiver, lead, alice, settings
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.hang = True
    delivery = _delivery_of_a_new_call(lead, alice)

    started = time.monotonic()
    assert _attempt(delivery) is not None

    assert time.monotonic() - started < 3
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (None, "The server did not answer in time.")
    assert 400 <= attempt.duration_ms < 3000


def test_an_answer_is_read_only_up_to_the_size_limit(subscription, receiver, lead, alice, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    settings.WEBHOOK_RESPONSE_MAX_BYTES = 1024
    receiver.endless = True
    delivery = _delivery_of_a_new_call(lead, alice)

    assert _attempt(delivery) is None

    attempt = DeliveryAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (200, "")
    assert attempt.duration_ms < 5000
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


def test_a_host_that_now_resolves_to_a_private_address_is_refused_at_delivery(
    receiver, public_dns, acme, lead, alice, settings
):
    public_dns["hooks.example.com"] = "93.184.215.14"
    port = receiver.httpd.server_address[1]
    make_subscription(acme, alice, f"https://hooks.example.com:{port}/hook")
    public_dns["hooks.example.com"] = "127.0.0.1"  # DNS changed since
    delivery = _delivery_of_a_new_call(lead, alice)

    assert _attempt(delivery) is not None

    assert receiver.received == []
    assert "private or reserved address (127.0.0.1)" in DeliveryAttempt.objects.get().error


def test_after_three_days_of_nothing_but_failures_the_subscription_is_paused(
    subscription, receiver, lead, alice, caplog
):
    receiver.answers = [500]
    first = _delivery_of_a_new_call(lead, alice)
    make_call(lead, alice)
    fan_out(organization_id=lead.organization_id)
    second = Delivery.objects.exclude(pk=first.pk).get()
    three_days_ago = timezone.now() - timedelta(days=3, minutes=1)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(failing_since=three_days_ago)

    with caplog.at_level(logging.WARNING, logger="events.webhooks"):
        assert _attempt(first) is None

    subscription.refresh_from_db()
    assert subscription.status == "paused"
    assert subscription.paused_reason == "Every delivery failed for 3.0 days."
    assert set(Delivery.objects.values_list("status", flat=True)) == {"dropped"}
    assert _attempt(second) is None
    assert len(receiver.received) == 1
    assert f"Webhook subscription {subscription.id} paused" in caplog.text


def test_a_success_ends_the_run_of_failures(subscription, receiver, lead, alice):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=timezone.now() - timedelta(days=2)
    )
    delivery = _delivery_of_a_new_call(lead, alice)

    assert _attempt(delivery) is None

    subscription.refresh_from_db()
    assert (subscription.status, subscription.failing_since) == ("active", None)


def test_a_delivery_still_failing_after_the_retry_window_is_given_up_and_logged(
    subscription, receiver, lead, alice, caplog
):
    receiver.answers = [500]
    delivery = _delivery_of_a_new_call(lead, alice)
    Delivery.objects.filter(pk=delivery.pk).update(
        date_created=timezone.now() - timedelta(hours=72, minutes=1)
    )

    with caplog.at_level(logging.WARNING, logger="events.webhooks"):
        assert _attempt(delivery) is None

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.reason == "Given up after 1 attempts: The receiver answered 500."
    assert f"Webhook delivery {delivery.pk}" in caplog.text


def test_a_paused_subscription_gets_no_new_deliveries_and_drops_its_queue(
    subscription, receiver, lead, alice
):
    queued = _delivery_of_a_new_call(lead, alice)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(status="paused")
    make_call(lead, alice)

    fan_out(organization_id=lead.organization_id)

    assert _attempt(queued) is None
    assert list(Delivery.objects.values_list("status", "reason")) == [
        ("dropped", "The subscription is paused.")
    ]
    assert receiver.received == []


def test_a_subscription_deleted_meanwhile_leaves_its_jobs_nothing_to_do(
    subscription, receiver, lead, alice
):
    delivery = _delivery_of_a_new_call(lead, alice)
    subscription.delete()

    assert _attempt(delivery) is None
    assert receiver.received == []
