"""Who manages webhook subscriptions: members their own, organization admins every one."""

import pytest

from accounts.models import Membership
from events.models import WebhookSubscription
from tests.conftest import api_client, issue_key, make_user
from tests.events.conftest import make_subscription

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhook/"


@pytest.fixture
def carols(acme, receiver):
    """A subscription of Carol's, another member of Acme."""
    carol = make_user(acme, username="carol-member")
    return make_subscription(acme, carol, receiver.url("/carol"))


@pytest.fixture
def alices(acme, alice, receiver):
    return make_subscription(acme, alice, receiver.url("/alice"))


def test_a_member_lists_only_their_own_subscriptions(alice_api, alices, carols):
    listed = alice_api.get(WEBHOOKS).json()["data"]

    assert [subscription["id"] for subscription in listed] == [alices.id]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_member_cannot_reach_anothers_subscription(alice_api, carols, method):
    response = alice_api.generic(
        method, f"{WEBHOOKS}{carols.id}/", '{"status": "paused"}', content_type="application/json"
    )

    assert response.status_code == 404
    carols.refresh_from_db()
    assert carols.status == "active"


def test_a_member_pauses_and_deletes_their_own(alice_api, alices):
    paused = alice_api.put(
        f"{WEBHOOKS}{alices.id}/", {"status": "paused"}, content_type="application/json"
    )
    deleted = alice_api.delete(f"{WEBHOOKS}{alices.id}/")

    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert deleted.status_code == 200
    assert not WebhookSubscription.objects.filter(pk=alices.pk).exists()


def test_an_admin_lists_and_manages_every_subscription_of_the_organization(
    acme_admin_api, alices, carols
):
    listed = {s["id"] for s in acme_admin_api.get(WEBHOOKS).json()["data"]}
    paused = acme_admin_api.put(
        f"{WEBHOOKS}{carols.id}/", {"status": "paused"}, content_type="application/json"
    )
    deleted = acme_admin_api.delete(f"{WEBHOOKS}{alices.id}/")

    assert listed == {alices.id, carols.id}
    assert paused.status_code == 200
    assert deleted.status_code == 200
    assert list(WebhookSubscription.objects.values_list("id", "status")) == [(carols.id, "paused")]


def test_a_member_of_two_organizations_manages_only_what_the_keys_organization_has(
    acme, globex, alices, receiver
):
    alice = alices.created_by
    Membership.objects.create(user=alice, organization=globex, role=Membership.Role.ADMIN)
    in_globex = api_client(issue_key(alice, globex))

    assert in_globex.get(WEBHOOKS).json()["data"] == []
    assert in_globex.get(f"{WEBHOOKS}{alices.id}/").status_code == 404
