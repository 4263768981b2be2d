"""What the events app hears of the write path (settings.CHANGE_RECEIVERS).

Every change of an object the event log records (events/objects.py) is written as an event in
the change's own transaction: the outbox. A change that rolls back leaves no event, and a
committed one always has its event. Delivering it is the workers' job: an event written while
its organization has an active subscription is marked `delivery_pending`, and one fan-out job
per organization (queued in the same transaction unless one is queued already, and handed to
the workers once it commits) hands every marked event to the subscriptions that want it. A
request that made a change never waits for that, and under load most requests find the job
queued already and queue nothing (bench/webhooks.py).

Who acted is the change's actor. The API key, the request id and the request's method and path
come from the request being served (core/current_request.py); a change made outside any
request, by a job, has none of them.
"""

from django.db.models import Exists

from accounts.models import ApiKey
from core.bulk_insert import insert_all
from core.changes import batch_form
from core.current_request import current_request
from events import objects
from events.jobs import fan_out_enqueue
from events.models import Event, WebhookSubscription


def record_changes(changes):
    """`record_change` for a batch (core.changes.announce_all): the events written in one
    statement (`core.bulk_insert`), marked when their organization has webhooks
    (`_mark_for_webhooks`); each object's representation read in one query per model (none
    for an object just created: built from the instance)."""
    recorded = [(objects.for_model(change.model), change) for change in changes]
    recorded = [(entry, change) for entry, change in recorded if entry is not None]
    if not recorded:
        return
    request = current_request()
    request_fields = _request_fields(request)
    snapshots = {}
    for entry, indexed in _by_entry(recorded).items():
        group = [change for _, change in indexed]
        snapshots.update(zip((i for i, _ in indexed), entry.snapshots(group, request), strict=True))
    events = []
    for i, (entry, change) in enumerate(recorded):
        instance = change.instance
        event = Event(
            organization_id=instance.organization_id,
            object_type=entry.object_type,
            object_id=str(change.pk),
            action=change.action,
            lead_id=entry.lead_id(instance),
            user_id=getattr(change.actor, "pk", None),
            **request_fields,
            **snapshots[i],
        )
        event.date_updated = event.date_created
        events.append(event)
    _mark_for_webhooks(events)
    insert_all(events)
    for organization_id in {event.organization_id for event in events if event.delivery_pending}:
        fan_out_enqueue(organization_id)


@batch_form(record_changes)
def record_change(change):
    """Write the event of `change`; when the organization has webhooks, mark it for them
    and see that its organization's fan-out job is queued."""
    record_changes([change])


def _mark_for_webhooks(events):
    """Set each event's `delivery_pending`: whether its organization has an active webhook."""
    if len(events) == 1:
        # A request's one change: its INSERT looks the subscriptions up itself, and returns what
        # it wrote (the field's db_default), so the change costs no look-up of its own.
        events[0].delivery_pending = Exists(_active_subscriptions(events[0].organization_id))
        return
    # A batch: one look-up per organization, rather than a subquery compiled for every event.
    subscribed = {
        organization_id: _active_subscriptions(organization_id).exists()
        for organization_id in {event.organization_id for event in events}
    }
    for event in events:
        event.delivery_pending = subscribed[event.organization_id]


def _active_subscriptions(organization_id):
    return WebhookSubscription.objects.active().filter(organization_id=organization_id)


def _by_entry(recorded):
    """{EventObject: [(index in `recorded`, change)]}: the changes of each kind of object."""
    groups = {}
    for i, (entry, change) in enumerate(recorded):
        groups.setdefault(entry, []).append((i, change))
    return groups


def _request_fields(request):
    if request is None:
        return {}
    api_key = getattr(request, "auth", None)
    return {
        "request_id": getattr(request, "request_id", None),
        "api_key_id": str(api_key.pk) if isinstance(api_key, ApiKey) else None,
        "meta": {"request_method": request.method, "request_path": request.path},
    }
