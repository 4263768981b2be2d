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

from accounts.models import ApiKey
from core.current_request import current_request
from events import objects
from events.jobs import fan_out_enqueue
from events.models import Event, WebhookSubscription


def record_change(change):
    """Write the event of `change`; when the organization has webhooks, mark it for them
    and see that its organization's fan-out job is queued."""
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
    event.delivery_pending = (
        WebhookSubscription.objects.active().filter(organization_id=event.organization_id).exists()
    )
    event.save(force_insert=True)
    if event.delivery_pending:
        fan_out_enqueue(event.organization_id)


def _request_fields(request):
    if request is None:
        return {}
    api_key = getattr(request, "auth", None)
    return {
        "request_id": getattr(request, "request_id", None),
        "api_key_id": str(api_key.pk) if isinstance(api_key, ApiKey) else None,
        "meta": {"request_method": request.method, "request_path": request.path},
    }
