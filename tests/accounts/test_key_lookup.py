"""An API key's lookup (accounts/key_lookup.py): one statement per request, written once, so a
key revoked or a user deactivated between two requests fails the second."""

import pytest
from django.db import connection

from accounts import key_lookup
from accounts.models import ApiKey, Membership, Organization, User
from tests.conftest import api_client

URL = "/api/v1/activity/call/"


def test_a_key_revoked_between_two_requests_fails_the_second(alice, alice_key):
    api = api_client(alice_key)
    assert api.get(URL).status_code == 200

    ApiKey.objects.get(membership__user=alice).revoke()

    assert api.get(URL).status_code == 401


def test_a_user_deactivated_between_two_requests_fails_the_second(alice, alice_key):
    api = api_client(alice_key)
    assert api.get(URL).status_code == 200

    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert api.get(URL).status_code == 401


def test_the_key_comes_with_its_membership_user_and_organization_in_one_query(
    alice, acme, alice_key, django_assert_num_queries
):
    with django_assert_num_queries(1):
        api_key = ApiKey.objects.authenticate(alice_key)
        membership, user, organization = (
            api_key.membership,
            api_key.membership.user,
            api_key.membership.organization,
        )
        fields = {
            model: [getattr(instance, f.attname) for f in model._meta.concrete_fields]
            for model, instance in (
                (Membership, membership),
                (User, user),
                (Organization, organization),
            )
        }

    assert (user, organization) == (alice, acme)
    assert fields[User] == [getattr(alice, f.attname) for f in User._meta.concrete_fields]
    assert fields[Organization] == [
        getattr(acme, f.attname) for f in Organization._meta.concrete_fields
    ]
    assert membership == Membership.objects.get(user=alice, organization=acme)


def test_an_unknown_key_finds_nothing(db):
    assert ApiKey.objects.authenticate("api_not-a-real-key") is None


@pytest.mark.postgresql
def test_on_postgresql_the_key_is_looked_up_by_the_written_statement(db):
    assert key_lookup.lookup_statement(ApiKey, connection.alias) is not None
