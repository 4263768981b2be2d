import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.ids import PublicIdField
from accounts.models import Organization
from events import extra_filters, objects


class Event(models.Model):
    """One change, as Close's event log shows it: written in the change's own transaction.

    Ids of people, keys, requests and leads are kept as text, not as relations: the log says
    who and what, as it was, even once they are gone.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        DELETED = "deleted", "Deleted"

    id = PublicIdField(prefix="ev")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(default=timezone.now)
    object_type = models.CharField(max_length=64, help_text="Close's type: lead, activity.call…")
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=16, choices=Action.choices)
    lead_id = models.CharField(max_length=64, null=True, blank=True)
    user_id = models.CharField(
        max_length=64, null=True, blank=True, help_text="Who made the change; none for the system."
    )
    api_key_id = models.CharField(
        max_length=64, null=True, blank=True, help_text="The API key it was made with, if any."
    )
    request_id = models.CharField(max_length=64, null=True, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    previous_data = models.JSONField(default=dict, blank=True)
    data = models.JSONField(null=True, blank=True, help_text="The object as the API showed it.")
    meta = models.JSONField(default=dict, blank=True)
    # A database default makes the INSERT return the value it wrote (events/receivers.py writes
    # whether the organization has webhooks in the INSERT itself and reads it back this way).
    delivery_pending = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Its organization had webhooks when it was written, and it is yet to be "
        "handed to them.",
    )

    class Meta:
        ordering = ["-date_updated", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "date_created"],
                condition=Q(delivery_pending=True),
                name="event_delivery_pending",
            ),
            models.Index(fields=["organization", "-date_updated", "-id"], name="event_org_date"),
            models.Index(
                fields=["organization", "object_type", "action", "-date_updated", "-id"],
                name="event_org_type",
            ),
            models.Index(
                fields=["organization", "object_id", "-date_updated"], name="event_org_object"
            ),
            models.Index(
                fields=["organization", "lead_id", "-date_updated"], name="event_org_lead"
            ),
            models.Index(
                fields=["organization", "user_id", "-date_updated"], name="event_org_user"
            ),
            models.Index(fields=["organization", "request_id"], name="event_org_request"),
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} {self.action}"


def new_signature_key():
    """A webhook's key: 32 random bytes, in hex, as Close's keys are."""
    return secrets.token_hex(32)


class WebhookSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=WebhookSubscription.Status.ACTIVE)


class WebhookSubscription(models.Model):
    """Where to POST the organization's events, which ones, and how delivering them goes.

    `events` lists `{"object_type", "action", "extra_filter"?}` (events/extra_filters.py).
    The signature key is kept in the clear: each delivery is signed with it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"

    id = PublicIdField(prefix="whsub")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.CharField(max_length=2000, verbose_name="URL")
    events = models.JSONField(default=list)
    verify_ssl = models.BooleanField(
        default=True, verbose_name="verify TLS", help_text="Check the receiver's certificate."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    signature_key = models.CharField(max_length=64, default=new_signature_key, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_created = models.DateTimeField(default=timezone.now, editable=False)
    date_updated = models.DateTimeField(auto_now=True)
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Every delivery since then has failed; none if the last one succeeded.",
    )
    paused_reason = models.CharField(max_length=200, blank=True, editable=False)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook subscription"
        indexes = [
            models.Index(fields=["organization", "status"], name="webhook_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "paused"]), name="webhook_status_valid"
            )
        ]

    def __str__(self):
        return self.url

    def clean(self):
        self.events = normalized_events(self.events)


MAX_EVENT_KINDS = 100


def normalized_events(events):
    """Return a subscription's `events` as stored: each `{"object_type", "action"}` and its
    `extra_filter` if it has one. ValidationError on `events` for anything else."""
    if not isinstance(events, list) or not events:
        raise ValidationError({"events": "List the events to deliver: object_type and action."})
    if len(events) > MAX_EVENT_KINDS:
        raise ValidationError({"events": f"List at most {MAX_EVENT_KINDS} kinds of events."})
    types, actions = objects.object_types(), Event.Action.values
    normalized = []
    for position, wanted in enumerate(events, start=1):
        where = f"Event {position}"
        if not isinstance(wanted, dict):
            raise ValidationError({"events": f"{where} is not an object."})
        unknown = wanted.keys() - {"object_type", "action", "extra_filter"}
        if unknown:
            raise ValidationError(
                {"events": f"{where} has unknown keys: {', '.join(sorted(unknown))}."}
            )
        if wanted.get("object_type") not in types:
            raise ValidationError({"events": f"{where}: object_type is one of {', '.join(types)}."})
        if wanted.get("action") not in actions:
            raise ValidationError({"events": f"{where}: action is one of {', '.join(actions)}."})
        kind = {"object_type": wanted["object_type"], "action": wanted["action"]}
        if wanted.get("extra_filter") is not None:
            try:
                extra_filters.validate(wanted["extra_filter"])
            except extra_filters.InvalidFilter as error:
                raise ValidationError({"events": f"{where}: {error}"}) from None
            kind["extra_filter"] = wanted["extra_filter"]
        normalized.append(kind)
    return normalized


class Delivery(models.Model):
    """One event to deliver to one subscription, and how that went so far."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        DROPPED = "dropped", "Dropped"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why it was given up or dropped."
    )
    date_created = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-date_created", "-id"]
        indexes = [
            models.Index(fields=["subscription", "status"], name="delivery_subscription_status"),
            models.Index(fields=["organization", "-date_created"], name="delivery_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event"], name="one_delivery_per_event")
        ]

    def __str__(self):
        return f"{self.event} to {self.subscription}"


class DeliveryAttempt(models.Model):
    """One POST of a delivery: when, how long, and what came of it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_set")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"attempt {self.number}"

    @property
    def succeeded(self):
        return self.status_code is not None and 200 <= self.status_code < 300
