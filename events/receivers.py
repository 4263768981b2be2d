"""What the events app hears of the write path (settings.CHANGE_RECEIVERS).

Every change of an object the event log records (events/objects.py) is written as an event in
the change's own transaction: the outbox. A change that rolls back leaves no event, and a
committed one always has its event. Delivering it is a job, queued in the same transaction and
handed to the workers once it commits; the request that made the change never waits for it.

Who acted is the change's actor. The API key, the request id and the request's method and path
come from the request being served (core/current_request.py); a change made outside any
request, by a job, has none of them.
"""

from accounts.models import ApiKey
from core.current_request import current_request
from events import objects
from events.jobs import deliver_event
from events.models import Event, WebhookSubscription


def record_change(change):
    """Write the event of `change`; queue its delivery when the organization has webhooks."""
    recorded = objects.for_model(change.model)
    if recorded is None:
        return
    request = current_request()
    instance = change.instance
    event = Event(
        organization_id=instance.organization_id,
        object_type=recorded.object_type,
        object_id=str(change.pk),
        action=change.action,
        lead_id=recorded.lead_id(instance),
        user_id=getattr(change.actor, "pk", None),
        **_request_fields(request),
        **recorded.snapshot(change, request),
    )
    event.date_updated = event.date_created
    event.save(force_insert=True)
    subscriptions = WebhookSubscription.objects.active()
    if subscriptions.filter(organization_id=event.organization_id).exists():
        deliver_event.enqueue(organization=event.organization_id, event_id=event.pk)


def _request_fields(request):
    if request is None:
        return {}
    api_key = getattr(request, "auth", None)
    return {
        "request_id": getattr(request, "request_id", None),
        "api_key_id": str(api_key.pk) if isinstance(api_key, ApiKey) else None,
        "meta": {"request_method": request.method, "request_path": request.path},
    }
