from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import Resolver404, resolve

from accounts.models import ApiKey, Membership, Organization, User
from tests.conftest import api_client


def create_api_key(*args, **options):
    """Run the command; return its stdout lines."""
    stdout = StringIO()
    call_command("create_api_key", *args, stdout=stdout, **options)
    return stdout.getvalue().splitlines()


@pytest.mark.django_db
def test_it_creates_the_user_the_organization_and_the_membership():
    create_api_key("carol", organization="Initech", role="admin")

    membership = Membership.objects.get(user__username="carol", organization__name="Initech")
    assert membership.role == "admin"
    assert not membership.user.has_usable_password()


@pytest.mark.django_db
def test_the_last_line_is_the_key_alone_and_it_authenticates():
    key = create_api_key("carol", organization="Initech", name="nightly export")[-1]

    api_key = ApiKey.objects.authenticate(key)
    assert api_key.user.username == "carol"
    assert api_key.organization.name == "Initech"
    assert api_key.name == "nightly export"


@pytest.mark.django_db
def test_the_key_works_on_the_api():
    try:
        resolve("/api/v1/me/")
    except Resolver404:
        pytest.skip("/api/v1/me/ is not routed yet")
    key = create_api_key("carol", organization="Initech")[-1]

    response = api_client(key).get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["id"] == User.objects.get(username="carol").id


def test_an_existing_member_gets_a_key_for_their_membership(alice, acme):
    key = create_api_key("alice", organization="Acme")[-1]

    assert ApiKey.objects.authenticate(key).membership == alice.memberships.get()
    assert User.objects.count() == 1
    assert Organization.objects.count() == 1
    assert alice.memberships.get().role == "member"


def test_role_changes_an_existing_membership(alice, acme):
    create_api_key("alice", organization="Acme", role="admin")

    assert alice.memberships.get().role == "admin"


def test_an_existing_user_joins_a_new_organization_as_member(alice):
    create_api_key("alice", organization="Initech")

    assert alice.memberships.get(organization__name="Initech").role == "member"


@pytest.mark.django_db
def test_a_bad_role_is_a_command_error_and_creates_nothing():
    with pytest.raises(CommandError, match="role"):
        create_api_key("carol", "--organization=Initech", "--role=boss")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_bad_role_given_from_code_is_a_command_error_too():
    with pytest.raises(CommandError, match="--role"):
        create_api_key("carol", organization="Initech", role="boss")


@pytest.mark.django_db
def test_an_invalid_username_is_a_command_error():
    with pytest.raises(CommandError, match="USERNAME"):
        create_api_key("not a username!", organization="Initech")

    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_blank_organization_is_a_command_error():
    with pytest.raises(CommandError, match="--organization"):
        create_api_key("carol", organization="  ")
