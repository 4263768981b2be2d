"""Calls that say things, and the searches that find them."""

import pytest

from tests.conftest import make_call

SEARCH = "/api/v1/activity/call/search/"


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
