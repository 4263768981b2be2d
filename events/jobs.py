"""The events app's jobs, run by the workers of the jobs app: fanning an organization's new
events out to the subscriptions that want them, delivering each (events/delivery.py), pruning
old events."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Organization
from events import delivery
from events.models import Event
from jobs import TransientError, job


@job(max_attempts=5)
def fan_out(organization_id):
    """Hand the organization's events marked `delivery_pending` to the subscriptions that want
    them, a batch at a time, until none is left; queue each delivery."""
    while delivery.fan_out_batch(organization_id, enqueue_delivery):
        pass


def fan_out_enqueue(organization_id):
    """Queue the organization's fan-out unless it is queued or running already."""
    return fan_out.enqueue_once(
        key=f"webhooks-fan-out:{organization_id}",
        organization=organization_id,
        organization_id=organization_id,
    )


# An event written as its organization's fan-out finished its last look is left marked: this
# queues a fan-out for it a little later.
STRAGGLER_AGE = timedelta(seconds=30)


@job(every=timedelta(minutes=1))
def fan_out_stragglers():
    """Queue a fan-out for each organization with events marked for over STRAGGLER_AGE."""
    stragglers = Event.objects.filter(
        delivery_pending=True, date_created__lt=timezone.now() - STRAGGLER_AGE
    )
    organizations = set(stragglers.values_list("organization_id", flat=True).distinct())
    for organization_id in organizations:
        fan_out_enqueue(organization_id)
    return len(organizations)


def enqueue_delivery(created, *, by_hand=False):
    """Queue a delivery's attempts (one, now, `by_hand`), once its transaction commits."""
    if by_hand:
        return deliver_webhook.enqueue(
            organization=created.organization_id, delivery_id=created.pk, by_hand=True
        )
    return deliver_webhook.enqueue_once(
        key=f"webhook:{created.pk}", organization=created.organization_id, delivery_id=created.pk
    )


# The delivery's own retry window ends its attempts: this only bounds them in case it did not.
@job(max_attempts=delivery.attempts_in_retry_window())
def deliver_webhook(delivery_id, by_hand=False):
    """One attempt at a delivery; a failure worth another is retried after the webhooks'
    backoff (not the jobs' own)."""
    retry = delivery.attempt(delivery_id, by_hand=by_hand)
    if retry is not None:
        raise TransientError(retry.reason, retry_after=retry.delay)


@job(every=timedelta(hours=1))
def prune_events():
    """Delete events older than EVENTS_KEEP_DAYS (and their deliveries), organization by
    organization, EVENTS_PRUNE_BATCH at a time: no long transaction, no long lock."""
    cutoff = timezone.now() - timedelta(days=settings.EVENTS_KEEP_DAYS)
    deleted = 0
    for organization_id in Organization.objects.values_list("pk", flat=True):
        old = Event.objects.filter(organization_id=organization_id, date_updated__lt=cutoff)
        while batch := list(old.values_list("pk", flat=True)[: settings.EVENTS_PRUNE_BATCH]):
            Event.objects.filter(pk__in=batch).delete()
            deleted += len(batch)
    return deleted
