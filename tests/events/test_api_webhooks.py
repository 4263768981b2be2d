"""`/api/v1/webhook/`: subscribing to events, with Close's body, filters and limits, and URLs
that cannot reach into the server's own network."""

import pytest

from events.models import WebhookSubscription
from tests.events.conftest import CALL_CREATED, make_subscription

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhook/"


def _post(api, **body):
    return api.post(WEBHOOKS, body, content_type="application/json")


def test_a_subscription_is_created_with_its_signature_key_shown_once(alice_api, alice, receiver):
    response = _post(alice_api, url=receiver.url(), events=CALL_CREATED)

    assert response.status_code == 200, response.content
    created = response.json()
    stored = WebhookSubscription.objects.get()
    assert created["id"] == stored.id and created["id"].startswith("whsub_")
    assert created["signature_key"] == stored.signature_key
    assert len(created["signature_key"]) == 64 and int(created["signature_key"], 16) >= 0
    assert created["events"] == CALL_CREATED
    assert (created["verify_ssl"], created["status"], created["created_by"]) == (
        True,
        "active",
        alice.id,
    )
    shown = alice_api.get(f"{WEBHOOKS}{stored.id}/").json()
    assert "signature_key" not in shown
    assert "signature_key" not in alice_api.get(WEBHOOKS).json()["data"][0]
    assert alice_api.get(f"{WEBHOOKS}{stored.id}/", {"_fields": "signature_key"}).json() == {
        "id": stored.id
    }


def test_a_subscription_with_an_extra_filter_keeps_it(alice_api, receiver):
    wanted = {
        "object_type": "activity.call",
        "action": "updated",
        "extra_filter": {
            "type": "field_accessor",
            "field": "changed_fields",
            "filter": {"type": "contains", "value": "note"},
        },
    }

    response = _post(alice_api, url=receiver.url(), events=[wanted])

    assert response.status_code == 200, response.content
    assert response.json()["events"] == [wanted]


@pytest.mark.parametrize(
    ("extra_filter", "message"),
    [
        ({"type": "equal", "value": 1}, "the type must be one of"),
        ({"type": "equals"}, "needs value"),
        ({"type": "is_null", "value": 1}, "takes no value"),
        ({"type": "and", "filters": []}, "filters must be a list of filters"),
        ({"type": "not", "filter": "x"}, "extra_filter.filter must be an object"),
        ({"type": "field_accessor", "field": 3, "filter": {"type": "non_null"}}, "field must"),
        ({"type": "or", "filters": [{"type": "non_null"}, {"type": "?"}]}, "filters[1]"),
        ("equals", "must be an object with a type"),
        ({"type": "equals", "value": "a\x00b"}, "NUL"),
    ],
)
def test_an_invalid_extra_filter_is_a_field_error_on_events(
    alice_api, receiver, extra_filter, message
):
    events = [{"object_type": "activity.call", "action": "created", "extra_filter": extra_filter}]

    response = _post(alice_api, url=receiver.url(), events=events)

    assert response.status_code == 400
    assert list(response.json()["field-errors"]) == ["events"]
    assert message in response.json()["field-errors"]["events"]
    assert not WebhookSubscription.objects.exists()


def test_a_filter_nested_too_deep_is_refused(alice_api, receiver):
    extra_filter = {"type": "non_null"}
    for _ in range(12):
        extra_filter = {"type": "not", "filter": extra_filter}
    events = [{"object_type": "lead", "action": "created", "extra_filter": extra_filter}]

    response = _post(alice_api, url=receiver.url(), events=events)

    assert response.status_code == 400
    assert "nested deeper than 10" in response.json()["field-errors"]["events"]


@pytest.mark.parametrize(
    "events",
    [
        [],
        [{"object_type": "opportunity", "action": "created"}],
        [{"object_type": "lead", "action": "merged"}],
        [{"object_type": "lead"}],
        "lead.created",
    ],
)
def test_events_of_no_known_kind_are_a_field_error_on_events(alice_api, receiver, events):
    response = _post(alice_api, url=receiver.url(), events=events)

    assert response.status_code == 400
    assert list(response.json()["field-errors"]) == ["events"]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "https://localhost/hook",  # a name for 127.0.0.1
    ],
)
def test_a_url_that_reaches_into_private_networks_is_refused(alice_api, settings, url):
    settings.WEBHOOK_ALLOWED_HOSTS = []

    response = _post(alice_api, url=url, events=CALL_CREATED)

    assert response.status_code == 400
    assert "private or reserved address" in response.json()["field-errors"]["url"]


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254"])
def test_a_name_that_resolves_to_a_private_address_is_refused(alice_api, public_dns, address):
    public_dns["hooks.example.com"] = address

    response = _post(alice_api, url="https://hooks.example.com/in", events=CALL_CREATED)

    assert response.status_code == 400
    assert address in response.json()["field-errors"]["url"]


def test_a_public_https_url_is_accepted(alice_api, public_dns):
    public_dns["hooks.example.com"] = "93.184.215.14"

    response = _post(alice_api, url="https://hooks.example.com/in", events=CALL_CREATED)

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/in", "must start with https://"),
        ("ftp://hooks.example.com/in", "must start with https://"),
        ("hooks.example.com/in", "must start with https://"),
        ("https://user:pw@hooks.example.com/in", "credentials"),
        ("https://nowhere.invalid/in", "could not be resolved"),
        ("https://hooks.example.com/" + "x" * 2000, "2000 characters"),
    ],
)
def test_a_url_deliveries_cannot_use_is_refused(alice_api, public_dns, url, message):
    public_dns["hooks.example.com"] = "93.184.215.14"

    response = _post(alice_api, url=url, events=CALL_CREATED)

    assert response.status_code == 400
    assert message in response.json()["field-errors"]["url"]


def test_an_allowed_host_may_be_private_and_plain_http(alice_api, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]

    response = _post(alice_api, url="http://127.0.0.1:9/hook", events=CALL_CREATED)

    assert response.status_code == 200, response.content


def test_an_organization_has_at_most_forty_subscriptions(alice_api, acme, alice, receiver):
    for _ in range(40):
        make_subscription(acme, alice, receiver.url())

    response = _post(alice_api, url=receiver.url(), events=CALL_CREATED)

    assert response.status_code == 400
    assert response.json()["errors"] == ["An organization has at most 40 webhook subscriptions."]
    assert WebhookSubscription.objects.count() == 40


def test_put_changes_only_what_it_is_given(alice_api, subscription, receiver):
    response = alice_api.put(
        f"{WEBHOOKS}{subscription.id}/",
        {"url": receiver.url("/other"), "verify_ssl": False},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    subscription.refresh_from_db()
    assert (subscription.url, subscription.verify_ssl) == (receiver.url("/other"), False)
    assert subscription.events == CALL_CREATED
    assert response.json()["url"] == receiver.url("/other")


def test_put_refuses_a_private_url(alice_api, subscription, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []

    response = alice_api.put(
        f"{WEBHOOKS}{subscription.id}/",
        {"url": "https://169.254.169.254/"},
        content_type="application/json",
    )

    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.url.startswith("http://127.0.0.1")


def test_setting_a_paused_subscription_active_resumes_it_afresh(alice_api, subscription):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        status="paused",
        paused_reason="Every delivery failed for 3.0 days.",
        failing_since="2026-01-01T00:00Z",
    )

    response = alice_api.put(
        f"{WEBHOOKS}{subscription.id}/", {"status": "active"}, content_type="application/json"
    )

    assert response.status_code == 200
    subscription.refresh_from_db()
    assert (subscription.status, subscription.failing_since, subscription.paused_reason) == (
        "active",
        None,
        "",
    )


def test_delete_removes_the_subscription(alice_api, subscription):
    response = alice_api.delete(f"{WEBHOOKS}{subscription.id}/")

    assert (response.status_code, response.json()) == (200, {})
    assert not WebhookSubscription.objects.exists()
