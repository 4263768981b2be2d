"""Webhook subscriptions as the API takes them: parsed and type-checked here; the rules (the
filters' grammar, the URL's host, the limit per organization) are the model's and services'."""

from rest_framework import serializers

from api.serializers import CloseSerializer
from events import objects
from events.models import Event, WebhookSubscription


class WebhookEventSerializer(serializers.Serializer):
    object_type = serializers.ChoiceField(choices=())
    action = serializers.ChoiceField(choices=Event.Action.choices)
    extra_filter = serializers.JSONField(
        required=False, allow_null=True, help_text="Close's event filter (README)."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = objects.object_types()


class WebhookSerializer(CloseSerializer):
    url = serializers.CharField(
        max_length=2000, help_text="https, on a host whose addresses are all public."
    )
    events = WebhookEventSerializer(many=True, allow_empty=False)
    verify_ssl = serializers.BooleanField(required=False, help_text="Default true.")

    def validate_events(self, events):
        return [
            {key: value for key, value in dict(event).items() if value is not None}
            for event in events
        ]


class WebhookUpdateSerializer(WebhookSerializer):
    status = serializers.ChoiceField(
        choices=WebhookSubscription.Status.choices,
        required=False,
        help_text="`active` resumes a paused subscription.",
    )
