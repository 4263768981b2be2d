"""Fixtures for the call tests: an Acme call, the rep's log-a-call form, a calls CSV read."""

import csv
import io

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


def read_calls_csv(response):
    """Return the rows of a streamed calls.csv download as dicts, checking it is one."""
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="calls.csv"'
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))
