"""A recording kept at another origin (a dialer's storage) is not fetched by a viewer's browser
until the rep presses play: opening a page tells that origin nothing."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_call, wav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXTERNAL = "https://recordings.example.com"


@pytest.fixture
def call(lead, contact, alice):
    return make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        duration=4,
        recording_url=f"{EXTERNAL}/call.wav",
        transcripts={
            "recording_transcript": {
                "utterances": [
                    {"speaker_side": "contact", "speaker_label": "Bruce", "start": 0.5,
                     "end": 2.0, "text": "Hello, Bruce speaking."},
                ]
            }
        },
    )  # fmt: skip


@pytest.fixture
def external_requests(alice_page):
    """The requests the page makes to the recording's origin, which answers with a WAV."""
    requests = []

    def answer(route):
        requests.append(route.request.url)
        route.fulfill(status=200, content_type="audio/wav", body=wav(seconds=4))

    alice_page.route(f"{EXTERNAL}/**", answer)
    return requests


def open_and_settle(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("page_of", ["transcript", "lead", "detail"])
def test_opening_a_page_fetches_nothing_from_the_recordings_origin(
    alice_page, call, external_requests, page_of
):
    url = {
        "transcript": f"/calls/{call.id}/transcript/",
        "lead": call.lead.get_absolute_url(),
        "detail": call.get_absolute_url(),
    }[page_of]

    open_and_settle(alice_page, url)

    expect(alice_page.locator(f'audio[src="{EXTERNAL}/call.wav"]')).to_have_count(1)
    assert external_requests == []


def test_pressing_play_on_the_transcript_fetches_the_recording(alice_page, call, external_requests):
    open_and_settle(alice_page, f"/calls/{call.id}/transcript/")
    assert external_requests == []

    alice_page.locator(".utterance").first.click()

    alice_page.wait_for_function(
        "() => document.querySelector('audio[data-transcript-audio]').currentTime > 0.5"
    )
    assert external_requests and all(url == f"{EXTERNAL}/call.wav" for url in external_requests)
