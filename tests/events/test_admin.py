"""Webhooks in the Django admin: subscriptions written through the API's services, paused and
resumed from the list, and each delivery with every attempt and a "retry now"."""

import json
from datetime import timedelta

import pytest
from django.contrib.admin.utils import quote
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from events.jobs import deliver_webhook, fan_out
from events.models import Delivery, Event, WebhookSubscription
from jobs.models import Job
from tests.conftest import admin_form_data, make_call, make_user
from tests.events.conftest import CALL_CREATED, make_subscription

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = reverse("admin:events_webhooksubscription_changelist")
ADD = reverse("admin:events_webhooksubscription_add")
DELIVERIES = reverse("admin:events_delivery_changelist")


def _change_url(name, obj):
    return reverse(f"admin:events_{name}_change", args=[quote(obj.pk)])


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _add(client, acme, url):
    data = admin_form_data(
        client.get(ADD), organization=acme.pk, url=url, events=json.dumps(CALL_CREATED)
    )
    return client.post(ADD, data, follow=True)


def _failed_delivery(lead, alice, receiver):
    """A delivery whose only attempt the receiver answered with a 500, given up."""
    receiver.answers = [500]
    make_call(lead, alice)
    fan_out(organization_id=lead.organization_id)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(date_created=timezone.now() - timedelta(days=4))
    deliver_webhook(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    return delivery


def test_an_admin_subscribes_and_reads_the_signature_key_only_then(
    acme_admin_client, acme_admin, acme, receiver
):
    response = _add(acme_admin_client, acme, receiver.url())

    subscription = WebhookSubscription.objects.get()
    assert (subscription.url, subscription.events) == (receiver.url(), CALL_CREATED)
    assert subscription.created_by == acme_admin
    assert any(subscription.signature_key in message for message in _messages(response))
    page = acme_admin_client.get(_change_url("webhooksubscription", subscription))
    assert page.status_code == 200
    assertNotContains(page, subscription.signature_key)


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "https://127.0.0.1/hook", "https://[::1]/"]
)
def test_the_admin_refuses_a_url_into_private_networks(acme_admin_client, acme, url):
    response = _add(acme_admin_client, acme, url)

    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not WebhookSubscription.objects.exists()


def test_the_admin_refuses_an_invalid_extra_filter(acme_admin_client, acme, receiver):
    events = [{**CALL_CREATED[0], "extra_filter": {"type": "sounds_like", "value": "x"}}]
    data = admin_form_data(
        acme_admin_client.get(ADD),
        organization=acme.pk,
        url=receiver.url(),
        events=json.dumps(events),
    )

    response = acme_admin_client.post(ADD, data)

    assert response.status_code == 200
    assert "events" in response.context["adminform"].form.errors
    assert not WebhookSubscription.objects.exists()


def test_the_admin_refuses_a_subscription_past_the_organizations_limit(
    acme_admin_client, acme, alice, receiver, settings
):
    settings.WEBHOOK_MAX_SUBSCRIPTIONS = 1
    make_subscription(acme, alice, receiver.url("/first"))

    response = _add(acme_admin_client, acme, receiver.url("/second"))

    assert response.status_code == 200
    assertContains(response, "An organization has at most 1 webhook subscriptions.")
    assert WebhookSubscription.objects.count() == 1


def test_pausing_and_resuming_from_the_list(acme_admin_client, subscription):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        failing_since=timezone.now() - timedelta(days=1)
    )
    selected = {"_selected_action": [subscription.pk]}

    acme_admin_client.post(SUBSCRIPTIONS, {"action": "pause", **selected})
    subscription.refresh_from_db()
    assert subscription.status == "paused"

    acme_admin_client.post(SUBSCRIPTIONS, {"action": "resume", **selected})
    subscription.refresh_from_db()
    assert (subscription.status, subscription.failing_since) == ("active", None)


def test_a_delivery_page_shows_every_attempt(
    acme_admin_client, subscription, receiver, lead, alice
):
    delivery = _failed_delivery(lead, alice, receiver)

    response = acme_admin_client.get(_change_url("delivery", delivery))

    assert response.status_code == 200
    assertContains(response, '<td class="field-status_code"><p>500</p></td>', html=True)
    assertContains(response, "Given up after 1 attempt")


def test_retry_now_sends_a_given_up_delivery_again(
    acme_admin_client, subscription, receiver, lead, alice
):
    delivery = _failed_delivery(lead, alice, receiver)

    response = acme_admin_client.post(
        DELIVERIES, {"action": "retry_now", "_selected_action": [delivery.pk]}, follow=True
    )

    assert _messages(response) == ["1 delivery(ies) queued now."]
    [job] = Job.objects.filter(name=deliver_webhook.name, kwargs__by_hand=True)
    assert job.kwargs == {"delivery_id": delivery.pk, "by_hand": True}
    deliver_webhook(**job.kwargs)  # as a worker runs it
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.received) == 2
    assert receiver.received[1].verifies_with(subscription.signature_key)


def test_retry_now_leaves_a_delivery_of_a_paused_subscription_alone(
    acme_admin_client, subscription, receiver, lead, alice
):
    delivery = _failed_delivery(lead, alice, receiver)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(status="paused")

    response = acme_admin_client.post(
        DELIVERIES, {"action": "retry_now", "_selected_action": [delivery.pk]}, follow=True
    )

    assert "resume it first" in _messages(response)[0]
    assert not Job.objects.filter(name=deliver_webhook.name, kwargs__by_hand=True).exists()


def test_an_organization_admin_sees_only_their_organizations_webhooks(
    acme_admin_client, globex, receiver, subscription
):
    theirs = make_subscription(globex, make_user(globex, username="gus"), receiver.url("/g"))

    listed = acme_admin_client.get(SUBSCRIPTIONS).context["cl"].result_list

    assert list(listed) == [subscription]
    assert acme_admin_client.get(_change_url("webhooksubscription", theirs)).status_code == 302


def test_the_event_log_is_read_only_in_the_admin(acme_admin_client, lead, alice):
    make_call(lead, alice)
    event = Event.objects.get(object_type="activity.call")

    listed = acme_admin_client.get(reverse("admin:events_event_changelist"))
    page = acme_admin_client.get(_change_url("event", event))

    assert event in listed.context["cl"].result_list
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert acme_admin_client.get(reverse("admin:events_event_add")).status_code == 403
