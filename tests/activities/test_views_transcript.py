import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from tests.conftest import make_call

pytestmark = pytest.mark.django_db

UTTERANCES = [
    {"speaker_label": "Bruce Wayne", "speaker_side": "contact", "start": 0.1, "end": 4.2,
     "text": "Hey, what's up?"},
    {"speaker_label": "Alice Archer", "speaker_side": "close-user", "start": 65.5, "end": 70,
     "text": "Doing <great>, thanks."},
]  # fmt: skip


@pytest.fixture
def call(lead, alice):
    call = make_call(
        lead,
        alice,
        transcripts={
            "recording_transcript": {
                "utterances": UTTERANCES,
                "summary_html": "<p>Bruce wants a <strong>demo</strong>.</p>",
            },
            "voicemail_transcript": {
                "utterances": [{**UTTERANCES[0], "text": "Call me back"}],
                "summary_text": "A voicemail",
            },
        },
    )
    call.recording_file.save("call.wav", ContentFile(b"RIFF"), save=True)
    return call


def transcript_url(call):
    return reverse("activities:call_transcript", args=[call.id])


def test_the_summary_comes_before_the_conversation(alice_browser, call):
    content = alice_browser.get(transcript_url(call)).content.decode()
    summary = content.index("<p>Bruce wants a <strong>demo</strong>.</p>")
    assert summary < content.index("Hey, what&#x27;s up?")


def test_utterances_show_speaker_side_and_start(alice_browser, call):
    response = alice_browser.get(transcript_url(call))
    assertContains(
        response,
        'class="utterance utterance--contact" id="recording-0" data-start="0.1" data-end="4.2"',
    )
    assertContains(response, 'class="utterance utterance--rep" id="recording-1" data-start="65.5"')
    assertContains(response, '<span class="utterance__speaker">Alice Archer</span>', html=True)
    assertContains(response, "1:05</a>")
    assertContains(response, "Doing &lt;great&gt;, thanks.")
    assertNotContains(response, "<great>")


def test_utterances_link_into_the_recording(alice_browser, call):
    response = alice_browser.get(transcript_url(call))
    audio = call.audio_link("recording")
    assertContains(response, f'src="{audio}" data-transcript-audio')
    assertContains(response, f'href="{audio}#t=65.5"')


def test_the_voicemail_transcript_is_shown_too(alice_browser, call):
    response = alice_browser.get(transcript_url(call))
    assertContains(response, '<h2 id="transcript-voicemail">Voicemail</h2>', html=True)
    assertContains(response, "Call me back")


def test_it_links_back_to_the_lead(alice_browser, call):
    response = alice_browser.get(transcript_url(call))
    assertContains(response, f'href="{call.lead.get_absolute_url()}#call-{call.id}"')


def test_a_call_without_transcript_says_so(alice_browser, lead, alice):
    response = alice_browser.get(transcript_url(make_call(lead, alice)))
    assertContains(response, "This call has no transcript.")


def test_another_organizations_transcript_is_not_found(alice_browser, bob_lead, bob):
    bob_call = make_call(
        bob_lead, bob, transcripts={"recording_transcript": {"utterances": UTTERANCES}}
    )
    assert alice_browser.get(transcript_url(bob_call)).status_code == 404
