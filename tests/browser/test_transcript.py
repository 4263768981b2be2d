from datetime import UTC, datetime

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.conftest import make_call, wav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTTERANCES = [
    ("contact", "Bruce Wayne", 0.4, 3.6, "Hello, Bruce Wayne speaking."),
    ("close-user", "Alice Archer", 4.0, 8.2, "Hi Bruce, it's Alice from Acme. Is now a good time?"),
    ("contact", "Bruce Wayne", 8.6, 12.9, "Sure. We're reviewing the budget for the new fleet."),
    (
        "close-user",
        "Alice Archer",
        13.3,
        17.5,
        "Then a demo next Tuesday could help with the budget.",
    ),
    ("contact", "Bruce Wayne", 18.0, 21.0, "Tuesday works. Send me an invite."),
]


@pytest.fixture
def call(lead, contact, alice):
    call = make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        duration=24,
        activity_at=datetime(2024, 5, 14, 15, 42, tzinfo=UTC),
        transcripts={
            "recording_transcript": {
                "summary_html": "<p>Bruce is reviewing the <strong>fleet budget</strong>; "
                "a demo is booked for Tuesday.</p>",
                "utterances": [
                    {"speaker_side": side, "speaker_label": label, "start": start, "end": end,
                     "text": text}
                    for side, label, start, end, text in UTTERANCES
                ],
            }
        },
    )  # fmt: skip
    call.recording_file.save("call.wav", ContentFile(wav(seconds=24)), save=True)
    return call


def current_time(page):
    return page.locator("audio[data-transcript-audio]").evaluate("audio => audio.currentTime")


def test_clicking_an_utterance_plays_the_recording_from_there(alice_page, call, screenshots):
    page = alice_page
    page.goto(f"/calls/{call.id}/transcript/")
    expect(page.get_by_role("heading", name="Transcript", exact=True)).to_be_visible()
    third = page.locator(".utterance").nth(2)
    third.click()
    page.wait_for_function(
        "() => document.querySelector('audio[data-transcript-audio]').currentTime >= 8.6"
    )
    assert current_time(page) >= 8.6
    expect(third).to_have_class("utterance utterance--contact is-speaking")
    expect(third).to_have_attribute("aria-current", "true")
    page.locator("audio").evaluate("audio => audio.pause()")

    search = page.get_by_label("Search the transcript")
    search.fill("budget")
    expect(page.locator(".utterance mark")).to_have_count(2)
    search.press("Enter")
    expect(page.locator("mark.is-current")).to_have_count(1)
    expect(page.locator("[data-search-status]")).to_have_text("1 of 2")
    search.press("Enter")
    expect(page.locator("[data-search-status]")).to_have_text("2 of 2")
    expect(page.locator(".utterance").nth(3).locator("mark")).to_have_class("is-current")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshots / "transcript.png")


def test_the_transcript_links_back_to_the_lead(alice_page, call):
    page = alice_page
    page.goto(f"/calls/{call.id}/transcript/")
    page.get_by_role("link", name=f"← Back to {call.lead.name}").click()
    expect(page.locator(f"#call-{call.id}")).to_be_visible()
