"""Calls that say things, and the searches that find them."""

from datetime import UTC, datetime

import pytest

from tests.conftest import make_call

SEARCH = "/api/v1/activity/call/search/"
WHEN = datetime(2026, 3, 10, 15, 42, tzinfo=UTC)


def said(*lines, gap=5.0):
    """A transcript's utterances: `lines` of (side, text), or text alone (the contact's),
    `gap` seconds apart, each lasting 4 s."""
    utterances = []
    for position, line in enumerate(lines):
        side, text = line if isinstance(line, tuple) else ("contact", line)
        label = "Bruce Wayne" if side == "contact" else "Alice Archer"
        start = position * gap
        utterances.append(
            {"speaker_side": side, "speaker_label": label, "start": start, "end": start + 4,
             "text": text}
        )  # fmt: skip
    return utterances


def recording(*lines, **kwargs):
    return {"recording_transcript": {"utterances": said(*lines, **kwargs)}}


def call_saying(lead, user, *lines, **fields):
    """A call of `user`'s with `lead` whose recording's transcript says `lines`."""
    return make_call(lead, user, transcripts=recording(*lines), **fields)


def found(client, query, **params):
    """The ids of the calls the API's search finds for `query`, in its order."""
    response = client.get(SEARCH, {"query": query, **params})
    assert response.status_code == 200, response.content
    return [call["id"] for call in response.json()["data"]]


@pytest.fixture
def search(alice_api):
    """`search("words", **params)`: the ids of Alice's calls that the API finds."""
    return lambda query, **params: found(alice_api, query, **params)


@pytest.fixture
def call(lead, contact, alice):
    """A call of Alice's with Bruce, answered, that says "fleet budget" twice and writes it."""
    return call_saying(
        lead,
        alice,
        "Hello, Bruce Wayne speaking.",
        ("close-user", "Hi Bruce, it's Alice. Is the fleet budget approved?"),
        "The fleet budget is approved for next quarter.",
        contact=contact,
        disposition="answered",
        activity_at=WHEN,
        note="Fleet budget approved; send the contract.",
    )
