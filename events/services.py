"""Writing webhook subscriptions, and the admin's "retry now": the one path the API and the
admin take. Each function runs in one transaction and validates with the model's rules
(`WebhookSubscription.clean`: the events and their filters) and the URL rules below.

Who may do what is `accounts.roles`' to say, asked by the callers before they call these.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Organization
from core import safe_http
from core.changes import announce_deleted
from core.writes import create_announced, update_announced
from events.delivery import schemes_for
from events.jobs import enqueue_delivery
from events.models import Delivery, WebhookSubscription


def check_url(url):
    """Raise ValidationError on `url` unless deliveries may be sent to it: https (or http to
    an allowed host), and a host whose every address is public unless WEBHOOK_ALLOWED_HOSTS
    lists it. The address is checked again at each delivery: DNS answers change."""
    if not isinstance(url, str) or not url.startswith(
        tuple(f"{scheme}://" for scheme in schemes_for(url))
    ):
        raise ValidationError({"url": "The URL must start with https://."})
    try:
        safe_http.check_url(
            url, schemes=schemes_for(url), allowed_hosts=settings.WEBHOOK_ALLOWED_HOSTS
        )
    except safe_http.UnsafeURL as error:
        raise ValidationError({"url": f"Deliveries cannot go to this URL: {error}"}) from None
    except safe_http.FetchError as error:
        raise ValidationError({"url": str(error)}) from None


def _shaped(fields):
    """`fields` as the model takes them: a subscription resumed starts with a clean slate."""
    fields = dict(fields)
    if fields.get("status") == WebhookSubscription.Status.ACTIVE:
        fields.update(failing_since=None, paused_reason="")
    return fields


def check_room(organization):
    """Raise ValidationError unless `organization` may have one more subscription."""
    limit = settings.WEBHOOK_MAX_SUBSCRIPTIONS
    if WebhookSubscription.objects.filter(organization=organization).count() >= limit:
        raise ValidationError(f"An organization has at most {limit} webhook subscriptions.")


@transaction.atomic
def webhook_create(*, organization, created_by, fields):
    """Subscribe `organization` to its events with `fields`; the subscription carries its new
    signature key, shown to its creator once."""
    # One creation at a time per organization, so that the limit holds under concurrency.
    Organization.objects.select_for_update().only("pk").get(pk=organization.pk)
    check_room(organization)
    check_url(fields.get("url"))
    subscription = WebhookSubscription(
        organization=organization, created_by=created_by, **_shaped(fields)
    )
    return create_announced(subscription, actor=created_by)


@transaction.atomic
def webhook_update(subscription, *, updated_by, fields):
    """Change `fields` of `subscription`; setting it active again resumes it."""
    if "url" in fields and fields["url"] != subscription.url:
        check_url(fields["url"])
    return update_announced(subscription, _shaped(fields), actor=updated_by)


@transaction.atomic
def webhook_delete(subscription, *, deleted_by):
    """Delete `subscription` with its deliveries; jobs still queued for them find nothing."""
    announce_deleted(subscription, actor=deleted_by)
    subscription.delete()


@transaction.atomic
def delivery_retry(delivery):
    """Queue one attempt of `delivery` now (the admin's "retry now"); return False when it was
    delivered already or its subscription is paused."""
    if delivery.status == Delivery.Status.DELIVERED:
        return False
    if delivery.subscription.status != WebhookSubscription.Status.ACTIVE:
        return False
    enqueue_delivery(delivery, by_hand=True)
    return True
