"""Every recording and voicemail player: playback speed (1×, 1.25×, 1.5×, 2×) and 15-second
skips back and forward, over the browser's own controls."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import wav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def recording(sized_page, world, client, live_server):
    """Alice on the lead's page; its answered call has a 40-second recording. Returns the
    recording's group of controls."""
    world.call.recording_file.save("long.wav", ContentFile(wav(seconds=40)), save=True)
    sign_in(sized_page.context, client, world.users["alice"], live_server.url)
    sized_page.goto(world.lead.get_absolute_url())
    audio = sized_page.locator(f"#call-{world.call.id} audio")
    sized_page.wait_for_function("audio => audio.duration > 39", arg=audio.element_handle())
    return sized_page.get_by_role("group", name="Recording playback")


def audio_of(controls):
    return controls.locator("xpath=preceding-sibling::audio")


def test_a_speed_button_sets_the_playback_rate_and_says_it_is_pressed(recording):
    one_and_a_half = recording.get_by_role("button", name="1.5×")
    expect(recording.get_by_role("button", name="1×", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    one_and_a_half.click()

    expect(one_and_a_half).to_have_attribute("aria-pressed", "true")
    expect(recording.get_by_role("button", name="1×", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    assert audio_of(recording).evaluate("audio => audio.playbackRate") == 1.5


def test_the_speed_chosen_holds_for_every_player_on_the_next_page(recording, world):
    page = recording.page
    recording.get_by_role("button", name="2×").click()

    page.reload()

    voicemail = page.get_by_role("group", name="Voicemail playback")
    expect(voicemail.get_by_role("button", name="2×")).to_have_attribute("aria-pressed", "true")
    assert audio_of(voicemail).evaluate("audio => audio.playbackRate") == 2


def test_the_skips_move_fifteen_seconds_within_the_recording(recording):
    audio = audio_of(recording)
    forward = recording.get_by_role("button", name="Forward 15 s")
    back = recording.get_by_role("button", name="Back 15 s")

    forward.click()
    forward.click()
    assert audio.evaluate("audio => audio.currentTime") == 30
    forward.click()
    assert audio.evaluate("audio => audio.currentTime") == pytest.approx(40, abs=0.01)
    back.click()
    assert audio.evaluate("audio => audio.currentTime") == pytest.approx(25, abs=0.01)
    back.click()
    back.click()
    assert audio.evaluate("audio => audio.currentTime") == 0
