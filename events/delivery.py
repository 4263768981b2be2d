"""Delivering events to webhook subscriptions, in the workers (events/jobs.py runs these).

An event is delivered to each active subscription of its organization that lists its object
type and action and whose `extra_filter`, if any, matches it. A delivery is a POST of
`{"event": {...}, "subscription_id": "whsub_…"}`, signed as Close signs: `close-sig-hash` is the
hex HMAC-SHA256, keyed with `bytes.fromhex(signature_key)`, of `close-sig-timestamp` (Unix
seconds, as text) followed by the exact body bytes sent.

A 2xx answer within WEBHOOK_TIMEOUT_SECONDS is a success; anything else (another status, a
redirect, which is never followed, a timeout, a refused address) is a failure, tried again
with backoff doubling up to one attempt every WEBHOOK_RETRY_BACKOFF_MAX_SECONDS, for up to
WEBHOOK_RETRY_HOURS after the event; then the delivery is given up and logged. A subscription
whose every delivery has failed for WEBHOOK_PAUSE_AFTER_HOURS is paused and its pending
deliveries dropped, as Close does. Every attempt is recorded.
"""

import hashlib
import hmac
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import safe_http
from events import extra_filters
from events.models import Delivery, DeliveryAttempt, Event, WebhookSubscription
from events.representations import EVENT

logger = logging.getLogger("events.webhooks")


def signature(signature_key, timestamp, body):
    """Return `close-sig-hash` for `body` (bytes) sent at `timestamp` (text)."""
    key = bytes.fromhex(signature_key)
    return hmac.new(key, timestamp.encode() + body, hashlib.sha256).hexdigest()


def schemes_for(url):
    """https, and plain http too for the hosts the operator allows (WEBHOOK_ALLOWED_HOSTS)."""
    host = (urlsplit(url).hostname or "").lower()
    return ("https", "http") if host in settings.WEBHOOK_ALLOWED_HOSTS else ("https",)


def event_object(event_id):
    """Return the event as the API shows it (to an admin: with its data), or None."""
    plan = EVENT.plan(None)
    row = plan.rows(Event.objects.filter(pk=event_id)).first()
    return plan.build([row])[0] if row is not None else None


def wants(subscription, event):
    """Whether `subscription` asked for `event` (as `event_object` returns it)."""
    for wanted in subscription.events:
        if wanted["object_type"] != event["object_type"] or wanted["action"] != event["action"]:
            continue
        extra_filter = wanted.get("extra_filter")
        if extra_filter is None or extra_filters.matches(extra_filter, event):
            return True
    return False


FAN_OUT_BATCH = 100


@transaction.atomic
def fan_out_batch(organization_id, queue):
    """Take up to FAN_OUT_BATCH of the organization's events marked `delivery_pending`, oldest
    first, create their deliveries to the subscriptions that want them, `queue(delivery)` each
    and unmark the events, all in one transaction; return how many events it took (0: none
    was left)."""
    pending = Event.objects.filter(organization_id=organization_id, delivery_pending=True)
    batch = list(
        pending.order_by("date_created", "id")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:FAN_OUT_BATCH]
    )
    for event_id in batch:
        for created in deliveries_create(event_id):
            queue(created)
    Event.objects.filter(pk__in=batch).update(delivery_pending=False)
    return len(batch)


def deliveries_create(event_id):
    """Create the deliveries of an event to the subscriptions that want it; return the new ones
    (none for an event already fanned out, or pruned)."""
    event = event_object(event_id)
    if event is None:
        return []
    subscriptions = WebhookSubscription.objects.active().filter(
        organization_id=event["organization_id"]
    )
    created = []
    for subscription in subscriptions:
        if wants(subscription, event):
            delivery, new = Delivery.objects.get_or_create(
                subscription=subscription,
                event_id=event_id,
                defaults={"organization_id": subscription.organization_id},
            )
            if new:
                created.append(delivery)
    return created


@dataclass(frozen=True)
class Retry:
    """A failed attempt to be followed by another in `delay` seconds."""

    delay: float
    reason: str


def backoff_seconds(attempt):
    """The wait after failed attempt number `attempt`: doubling from the first wait, with up
    to a tenth more at random, capped at WEBHOOK_RETRY_BACKOFF_MAX_SECONDS."""
    wait = settings.WEBHOOK_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1)
    wait *= 1 + random.random() / 10  # noqa: S311 (not for security)
    return min(wait, settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS)


def attempts_in_retry_window():
    """How many attempts the backoff allows within WEBHOOK_RETRY_HOURS, and a few more."""
    window = settings.WEBHOOK_RETRY_HOURS * 3600
    attempts, elapsed = 1, 0.0
    first, cap = settings.WEBHOOK_RETRY_BACKOFF_SECONDS, settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS
    while elapsed < window:
        elapsed += max(min(first * 2 ** (attempts - 1), cap), 0.001)
        attempts += 1
    return attempts + 3


def attempt(delivery_id, *, by_hand=False):
    """Make one attempt at a delivery; return a Retry if another should follow, else None.

    `by_hand` is a "retry now" from the admin: one attempt, of any delivery not yet made, while
    the delivery's own retries, if it has any pending, go on as they were.
    """
    delivery = Delivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == Delivery.Status.DELIVERED:
        return None
    if delivery.status != Delivery.Status.PENDING and not by_hand:
        return None
    subscription = delivery.subscription
    if subscription.status != WebhookSubscription.Status.ACTIVE:
        _finish(delivery, Delivery.Status.DROPPED, "The subscription is paused.")
        return None
    event = event_object(delivery.event_id)
    if event is None:
        return None  # pruned meanwhile
    number = _next_number(delivery)
    attempted = timezone.now()
    status_code, error, milliseconds = _post(subscription, event)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        attempted_at=attempted,
        status_code=status_code,
        error=error[:300],
        duration_ms=milliseconds,
    )
    if status_code is not None and 200 <= status_code < 300:
        _delivered(delivery, subscription)
        return None
    reason = error or f"The receiver answered {status_code}."
    return _failed(delivery, subscription, number, reason, by_hand=by_hand)


def _next_number(delivery):
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
        locked.attempts += 1
        locked.last_attempt_at = timezone.now()
        locked.save(update_fields=["attempts", "last_attempt_at"])
    return locked.attempts


def _post(subscription, event):
    """POST `event` to the subscription; return (status code or None, error, milliseconds)."""
    body = orjson.dumps({"event": event, "subscription_id": subscription.pk})
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "closecalls-webhooks",
        "close-sig-timestamp": timestamp,
        "close-sig-hash": signature(subscription.signature_key, timestamp, body),
    }
    started = time.monotonic()
    try:
        response = safe_http.send(
            subscription.url,
            body=body,
            headers=headers,
            max_bytes=settings.WEBHOOK_RESPONSE_MAX_BYTES,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            schemes=schemes_for(subscription.url),
            allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS,
            verify_tls=subscription.verify_ssl,
        )
    except safe_http.FetchError as failure:
        status_code, error = None, str(failure)
    else:
        status_code, error = response.status, ""
    return status_code, error, round((time.monotonic() - started) * 1000)


def _finish(delivery, status, reason):
    Delivery.objects.filter(pk=delivery.pk).update(status=status, reason=reason[:300])


@transaction.atomic
def _delivered(delivery, subscription):
    """Mark the delivery delivered and the subscription no longer failing, both or neither."""
    _finish(delivery, Delivery.Status.DELIVERED, "")
    WebhookSubscription.objects.filter(pk=subscription.pk, failing_since__isnull=False).update(
        failing_since=None
    )


def _failed(delivery, subscription, number, reason, *, by_hand):
    """Record a failed attempt's consequences: pause the subscription after days of nothing but
    failures, give the delivery up past the retry window, or say when to try again."""
    now = timezone.now()
    WebhookSubscription.objects.filter(pk=subscription.pk, failing_since__isnull=True).update(
        failing_since=now
    )
    failing_since = WebhookSubscription.objects.values_list("failing_since", flat=True).get(
        pk=subscription.pk
    )
    if now - failing_since >= timedelta(hours=settings.WEBHOOK_PAUSE_AFTER_HOURS):
        subscription_pause_for_failures(subscription, failing_since)
        return None
    if by_hand and delivery.status == Delivery.Status.PENDING:
        Delivery.objects.filter(pk=delivery.pk).update(reason=reason[:300])
        return None  # its own retries go on
    if by_hand or now - delivery.date_created >= timedelta(hours=settings.WEBHOOK_RETRY_HOURS):
        _finish(delivery, Delivery.Status.FAILED, f"Given up after {number} attempts: {reason}")
        logger.warning(
            "Webhook delivery %s (event %s to %s) given up after %s attempts: %s",
            delivery.pk,
            delivery.event_id,
            subscription.url,
            number,
            reason,
        )
        return None
    Delivery.objects.filter(pk=delivery.pk).update(reason=reason[:300])
    return Retry(backoff_seconds(number), reason)


@transaction.atomic
def subscription_pause_for_failures(subscription, failing_since):
    """Pause a subscription whose deliveries have all failed since `failing_since`, and drop
    its pending deliveries, as Close does, both or neither. It stays paused until someone
    resumes it."""
    days = (timezone.now() - failing_since).total_seconds() / 86400
    reason = f"Every delivery failed for {days:.1f} days."
    paused = WebhookSubscription.objects.filter(
        pk=subscription.pk, status=WebhookSubscription.Status.ACTIVE
    ).update(status=WebhookSubscription.Status.PAUSED, paused_reason=reason)
    if paused:
        Delivery.objects.filter(subscription=subscription, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.DROPPED, reason=f"The subscription was paused: {reason}"
        )
        logger.warning("Webhook subscription %s paused: %s", subscription.pk, reason)
