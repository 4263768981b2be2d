"""Close's event log, `/api/v1/event/`, and webhook subscriptions, `/api/v1/webhook/`."""

from datetime import timedelta

from django.utils import timezone
from rest_framework.response import Response

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from api import cursors
from api.json_schema import choices, object_schema, ref, string
from api.registry import Route
from api.viewsets import CloseModelViewSet, CloseReadOnlyViewSet
from events import objects, services
from events.filters import EventFilter
from events.models import Event, WebhookSubscription
from events.representations import ANY_OBJECT, EVENT, WEBHOOK_SUBSCRIPTION
from events.serializers import WebhookSerializer, WebhookUpdateSerializer

# Close shows members the objects in an event for its first hour only; admins always.
DATA_VISIBLE_TO_MEMBERS = timedelta(hours=1)
DATA_KEYS = ("data", "previous_data")


class EventViewSet(CloseReadOnlyViewSet):
    """The organization's event log of the last 30 days, newest first, paged by cursor.

    Filters: `object_type`, `object_id`, `action`, `lead_id`, `user_id`, `request_id` and
    `date_updated__gt|gte|lt|lte`, in any combination. `_cursor` takes a page's `cursor_next`
    (older events) or `cursor_previous` (newer ones) and must come with the same filters, the
    dates aside. Members see `data` and `previous_data` of events under an hour old.
    """

    queryset = Event.objects.all()
    representation = EVENT
    filterset_class = EventFilter
    cursor_paged = True

    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        params = request.query_params
        bound = {name: params[name] for name in EventFilter.BOUND if params.get(name)}
        page = cursors.cursor_page(
            queryset, request, self.representation, date_field="date_updated", bound=bound
        )
        self._hide_old_data(page["data"])
        return Response(page)

    def object_data(self, pk):
        event = super().object_data(pk)
        self._hide_old_data([event])
        return event

    def _hide_old_data(self, events):
        """Leave `data` and `previous_data` out of older events, for a member who is no admin."""
        if roles.can_read_old_event_data(current_membership(self.request)):
            return
        shown = [event for event in events if DATA_KEYS[0] in event or DATA_KEYS[1] in event]
        if not shown:
            return
        cutoff = timezone.now() - DATA_VISIBLE_TO_MEMBERS
        old = set(
            self.get_queryset()
            .filter(pk__in=[event["id"] for event in shown], date_created__lt=cutoff)
            .values_list("pk", flat=True)
        )
        for event in shown:
            if event["id"] in old:
                for key in DATA_KEYS:
                    event.pop(key, None)


class WebhookViewSet(CloseModelViewSet):
    """Webhook subscriptions. An organization admin manages every one of the organization; a
    member sees and manages those they created. At most 40 per organization. The answer to the
    POST that creates one is the only one to carry its `signature_key`: keep it to check the
    `close-sig-hash` of each delivery."""

    queryset = WebhookSubscription.objects.all()
    representation = WEBHOOK_SUBSCRIPTION
    create_component = "WebhookSubscriptionCreated"
    default_order = "date_created"

    def get_serializer_class(self):
        return WebhookSerializer if self.action == "create" else WebhookUpdateSerializer

    def get_queryset(self):
        membership = current_membership(self.request)
        queryset = super().get_queryset()
        if not roles.can_manage_every_webhook(membership):
            queryset = queryset.filter(created_by_id=membership.user_id)
        return queryset

    def get_object(self):
        subscription = super().get_object()
        roles.require(roles.can_manage_webhook, current_membership(self.request), subscription)
        return subscription

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = self.perform_create(serializer)
        created = self.object_data(subscription.pk)
        created["signature_key"] = subscription.signature_key
        return Response(created, status=self.create_status)

    def perform_create(self, serializer):
        return services.webhook_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=serializer.validated_data,
        )

    def perform_update(self, serializer):
        services.webhook_update(
            serializer.instance, updated_by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, subscription):
        services.webhook_delete(subscription, deleted_by=self.request.user)


ROUTES = [
    Route("event", EventViewSet, "event"),
    Route("webhook", WebhookViewSet, "webhook"),
]

COMPONENTS = {
    "Event": EVENT.schema(),
    "EventMeta": object_schema(
        {
            "request_method": string(),
            "request_path": string(),
            "import_id": string(description="The import that made the change."),
        },
        required=(),
        description="Where the change came from; empty for a change a background job made.",
    ),
    "EventObject": {
        "anyOf": [ref(kind.representation.name) for kind in objects.event_objects()],
        "description": "The object as the API showed it after the change.",
    },
    "WebhookEvent": object_schema(
        {
            "object_type": string(enum=objects.object_types()),
            "action": choices(Event.Action.choices),
            "extra_filter": {**ANY_OBJECT, "description": "Close's event filter."},
        },
        required=("object_type", "action"),
    ),
    "WebhookSubscription": WEBHOOK_SUBSCRIPTION.schema(),
    "WebhookSubscriptionCreated": object_schema(
        {
            **WEBHOOK_SUBSCRIPTION.properties(),
            "signature_key": string(
                pattern="^[0-9a-f]{64}$",
                description="The key of each delivery's close-sig-hash, in hex; only here.",
            ),
        },
        required=("id", "signature_key"),
        description="A new webhook subscription, with its signature key.",
    ),
}
