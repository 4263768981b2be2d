from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_call, make_contact, make_user, wav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timeline(lead, alice, acme, outcome):
    """A lead with a few days of calls, as a rep's lead page looks."""
    now = timezone.now()
    contact = make_contact(
        lead,
        name="Bruce Wayne",
        title="CEO",
        phones=[{"phone": "+16505551234", "type": "office"}],
        emails=[{"email": "bruce@wayne.example", "type": "office"}],
    )
    make_contact(
        lead,
        name="Lucius Fox",
        title="CTO",
        phones=[{"phone": "+16505550199", "type": "mobile"}],
        emails=[{"email": "lucius@wayne.example", "type": "office"}],
    )
    robin = make_user(acme, first_name="Robin", last_name="Reyes")
    make_call(
        lead,
        robin,
        contact=contact,
        disposition="no-answer",
        duration=0,
        phone="+16505551234",
        activity_at=now - timedelta(days=6),
    )
    voicemail = make_call(
        lead,
        alice,
        contact=contact,
        disposition="vm-left",
        duration=34,
        cost=Decimal("2.5"),
        phone="+16505551234",
        note_html="<p>Left a voicemail about the <em>Q3 fleet</em> renewal.</p>",
        activity_at=now - timedelta(days=3, hours=2),
    )
    voicemail.voicemail_file.save("voicemail.wav", ContentFile(wav(seconds=6)), save=True)
    call = make_call(
        lead,
        alice,
        contact=contact,
        direction="inbound",
        disposition="answered",
        outcome=outcome,
        duration=754,
        cost=Decimal("18.2"),
        phone="+16505551234",
        note_html="<p>Bruce called back. <strong>Demo booked</strong> for Tuesday.</p>"
        "<ul><li>Fleet of 40 vans</li><li>Budget signed off by "
        '<a href="https://wayne.example/team">Lucius</a></li></ul>',
        activity_at=now - timedelta(hours=2),
        transcripts={"recording_transcript": {"summary_text": "Demo booked."}},
    )
    call.recording_file.save("call.wav", ContentFile(wav(seconds=30)), save=True)
    return call


def test_seeking_in_an_uploaded_recording_asks_for_a_range(
    alice_page, live_server, lead, timeline, screenshots
):
    page = alice_page
    requests, responses = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(lead.get_absolute_url())
    audio = page.locator(f"#call-{timeline.id} audio")
    expect(audio).to_be_visible()
    page.screenshot(path=screenshots / "lead.png")

    audio.evaluate("audio => { audio.currentTime = 25; }")
    page.wait_for_function(
        "audio => !audio.seeking && audio.currentTime >= 25", arg=audio.element_handle()
    )
    recording = [r for r in responses if r.url.endswith(f"/calls/{timeline.id}/recording/")]
    ranged = [r for r in recording if r.status == 206]
    assert ranged, [(r.status, r.url) for r in recording]
    assert ranged[0].headers["content-range"].startswith("bytes ")
    assert ranged[0].headers["accept-ranges"] == "bytes"
    assert all(url.startswith(live_server.url) for url in requests), requests


def test_an_uploaded_recording_plays_from_the_form(alice_page, lead, tmp_path):
    page = alice_page
    recording = tmp_path / "call.wav"
    recording.write_bytes(wav(seconds=3))
    page.goto(lead.get_absolute_url())
    page.locator("form[data-call-form]").get_by_label("Recording").set_input_files(recording)
    page.get_by_role("button", name="Log call").click()
    page.wait_for_url("**highlight=*")
    audio = page.locator(".is-highlighted audio")
    page.wait_for_function("audio => audio.duration > 2.9", arg=audio.element_handle())
