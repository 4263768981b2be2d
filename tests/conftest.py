"""Personas and builders shared by every test.

`alice` is a rep in Acme and `bob` a rep in Globex, another organization: whatever Bob can
reach of Acme's is a tenant-wall bug. Builders take keyword overrides over sensible defaults.
"""

import base64
import itertools

import pytest
from django.test import Client

from accounts.models import ApiKey, Membership, Organization, User
from activities import services
from activities.models import Outcome
from leads.models import Contact, Lead

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_user(organization=None, role=Membership.Role.MEMBER, **fields):
    n = next(_sequence)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("first_name", f"Rep{n}")
    fields.setdefault("last_name", "Tester")
    fields.setdefault("email", f"user{n}@example.com")
    password = fields.pop("password", "password")
    user = User.objects.create_user(password=password, **fields)
    if organization is not None:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def make_organization(**fields):
    fields.setdefault("name", f"Organization {next(_sequence)}")
    return Organization.objects.create(**fields)


def make_lead(organization, **fields):
    fields.setdefault("name", f"Lead {next(_sequence)}")
    return Lead.objects.create(organization=organization, **fields)


def make_contact(lead, **fields):
    n = next(_sequence)
    fields.setdefault("name", f"Contact {n}")
    fields.setdefault("phones", [{"phone": f"+1650555{n % 10000:04d}", "type": "office"}])
    fields.setdefault("emails", [{"email": f"contact{n}@example.com", "type": "office"}])
    return Contact.objects.create(organization=lead.organization, lead=lead, **fields)


def make_outcome(organization, **fields):
    fields.setdefault("name", f"Outcome {next(_sequence)}")
    return Outcome.objects.create(organization=organization, **fields)


def make_call(lead, user=None, transcripts=None, **fields):
    """Log a call through the same service the API and the forms use."""
    fields.setdefault("direction", "outbound")
    fields.setdefault("duration", 60)
    fields.setdefault("call_method", "regular")
    return services.call_create(
        organization=lead.organization,
        created_by=user,
        fields={"lead": lead, **fields},
        transcripts=transcripts,
    )


def basic_auth(key):
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def api_client(key):
    """A test client that sends `key` the way Close's clients do."""
    return Client(HTTP_AUTHORIZATION=basic_auth(key))


@pytest.fixture
def acme(db):
    return make_organization(name="Acme")


@pytest.fixture
def globex(db):
    return make_organization(name="Globex")


@pytest.fixture
def alice(acme):
    return make_user(acme, username="alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(globex):
    return make_user(globex, username="bob", first_name="Bob", last_name="Baker")


@pytest.fixture
def alice_key(alice, acme):
    _, key = ApiKey.issue(Membership.objects.get(user=alice, organization=acme))
    return key


@pytest.fixture
def bob_key(bob, globex):
    _, key = ApiKey.issue(Membership.objects.get(user=bob, organization=globex))
    return key


@pytest.fixture
def alice_api(alice_key):
    return api_client(alice_key)


@pytest.fixture
def bob_api(bob_key):
    return api_client(bob_key)


@pytest.fixture
def alice_browser(client, alice):
    """Django's test client signed in as Alice."""
    client.force_login(alice)
    return client


@pytest.fixture
def lead(acme):
    return make_lead(acme, name="Wayne Enterprises")


@pytest.fixture
def contact(lead):
    return make_contact(
        lead, name="Bruce Wayne", phones=[{"phone": "+16505551234", "type": "office"}]
    )


@pytest.fixture
def outcome(acme):
    return make_outcome(acme, name="Demo booked")
