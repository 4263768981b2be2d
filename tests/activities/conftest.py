"""Fixtures for the call tests: an Acme call, and the rep's log-a-call form."""

import pytest
from django.urls import reverse

from tests.conftest import make_call


@pytest.fixture
def call(lead, contact, alice):
    return make_call(lead, alice, contact=contact, phone="+16505551234")


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
