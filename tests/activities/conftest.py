"""Fixtures for the call tests: an Acme call, Globex's objects Alice must never reach, and the
rep's log-a-call form."""

import pytest
from django.urls import reverse

from tests.conftest import make_call, make_contact, make_lead, make_outcome


@pytest.fixture
def call(lead, contact, alice):
    return make_call(lead, alice, contact=contact, phone="+16505551234")


@pytest.fixture
def bob_lead(globex):
    return make_lead(globex, name="Initech")


@pytest.fixture
def bob_contact(bob_lead):
    return make_contact(bob_lead, name="Peter Gibbons")


@pytest.fixture
def bob_outcome(globex):
    return make_outcome(globex, name="Globex demo")


@pytest.fixture
def bob_call(bob_lead, bob):
    return make_call(bob_lead, bob)


def log_call(client, lead, **fields):
    """Post the rep's log-a-call form for `lead`: a connected call, changed by `fields`."""
    data = {
        "direction": "outbound",
        "disposition": "answered",
        "duration": "2:05",
        "activity_at": "2024-05-01T14:30:00",
        "note_html": "",
        **fields,
    }
    return client.post(reverse("activities:call_create", args=[lead.id]), data)
