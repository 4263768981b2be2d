"""The transcription state on the call's page, its timeline row and its transcript page, and
"Transcribe again"."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from activities import services as activities
from activities.models import Transcript
from jobs.models import Job
from jobs.services import job_claim, job_failed, job_requeue, job_succeeded
from tests.conftest import make_call, make_user
from tests.leads.test_views_detail import QUERIES_OF_THE_LEAD_PAGE
from tests.transcription.conftest import make_machine_transcript
from transcription.services import transcription_request

URL = "https://dialer.example.com/call.mp3"
UTTERANCES = [
    {"speaker_label": "Alice Archer", "speaker_side": "close-user", "start": 0.5, "end": 2.0,
     "text": "the price is two hundred dollars"},
    {"speaker_label": "Bruce Wayne", "speaker_side": "contact", "start": 3.0, "end": 4.0,
     "text": "thank you"},
]  # fmt: skip


@pytest.fixture
def call(lead, alice, contact):
    return make_call(lead, alice, contact=contact, recording_url=URL)


def _queued(call):
    return transcription_request(call, "recording")


def _running(call):
    return job_claim(_queued(call).pk, "test-worker")


def _failed(call, reason):
    job = _running(call)
    job_failed(job, reason=reason, error="Traceback ...")
    return job


def _done(call, utterances=UTTERANCES):
    """The job ran and wrote its transcript, as the worker's job does."""
    job = _running(call)
    transcript = make_machine_transcript(call, "recording", utterances)
    job_succeeded(job)
    return transcript


def _state(response):
    return response.content.decode().split('class="transcription__state', 1)[1].split("</div>")[0]


def test_the_call_page_shows_a_queued_transcription_that_updates_itself(alice_browser, call):
    _queued(call)

    response = alice_browser.get(call.get_absolute_url())

    assert "Queued" in _state(response)
    assertContains(response, f'data-transcription-poll="/calls/{call.id}/transcription/"')


def test_the_call_page_shows_a_transcription_at_work(alice_browser, call):
    _running(call)

    assert "Transcribing…" in _state(alice_browser.get(call.get_absolute_url()))


def test_a_failed_transcription_shows_its_reason_and_a_retry(alice_browser, call):
    _failed(call, "The audio is silent: nobody speaks in it.")

    response = alice_browser.get(call.get_absolute_url())

    state = _state(response)
    assert "Failed" in state and "The audio is silent: nobody speaks in it." in state
    assert '<button type="submit" class="button button--small">Retry</button>' in state
    assertNotContains(response, "data-transcription-poll")


def test_a_transcription_retried_after_a_transient_failure_says_why(alice_browser, call):
    job = _running(call)
    job_requeue(job, reason="The server answered 503.", error="", delay=60)

    state = _state(alice_browser.get(call.get_absolute_url()))
    assert "Queued" in state and "again, after a failed attempt: The server answered 503." in state


def test_a_done_transcript_can_be_transcribed_again_from_the_call_page(alice_browser, call):
    _done(call)

    state = _state(alice_browser.get(call.get_absolute_url()))

    assert "Done" in state and f"/calls/{call.id}/transcript/#transcript-recording" in state
    assert ">Transcribe again</button>" in state


def test_a_transcript_written_by_hand_has_no_transcribe_again(alice_browser, call):
    activities.transcript_save(
        Transcript.of(call, "recording"), actor=None, fields={"utterances": UTTERANCES}
    )

    state = _state(alice_browser.get(call.get_absolute_url()))

    assert "Done" in state and "Transcribe again" not in state


def test_the_timeline_row_shows_work_in_progress_and_failures_only(alice_browser, lead, alice):
    failing, working, finished = (make_call(lead, alice, recording_url=URL) for _ in range(3))
    _failed(failing, "The audio is empty.")
    _running(working)
    _done(finished)

    response = alice_browser.get(lead.get_absolute_url())

    page = response.content.decode()
    row = {
        call: page.split(f'id="call-{call.id}"')[1].split("</li>")[0]
        for call in (failing, working, finished)
    }
    assert "The audio is empty." in row[failing] and ">Retry</button>" in row[failing]
    assert "Transcribing…" in row[working]
    assert "transcription__state" not in row[finished]  # its "Transcript" link says it
    assert f'href="/calls/{finished.id}/transcript/"' in row[finished]


def test_the_transcript_page_shows_the_state(alice_browser, call):
    _failed(call, "No words were recognized in the audio.")

    response = alice_browser.get(reverse("activities:call_transcript", args=[call.id]))

    assert "No words were recognized in the audio." in _state(response)
    assertContains(response, "This call has no transcript.")


def test_the_panel_alone_shows_a_finished_transcript_with_both_sides(alice_browser, call):
    _done(call)

    response = alice_browser.get(reverse("transcription:panel", args=[call.id]))

    assertContains(response, "Done")
    assertContains(
        response,
        '<li class="transcription__line--rep"><span class="utterance__speaker">Alice Archer'
        "</span> the price is two hundred dollars</li>",
        html=True,
    )
    assertContains(
        response,
        '<li class="transcription__line--contact"><span class="utterance__speaker">Bruce Wayne'
        "</span> thank you</li>",
        html=True,
    )
    assertNotContains(response, "data-transcription-poll")


def test_the_panel_alone_is_gone_when_the_audio_is(alice_browser, call, alice):
    _queued(call)
    activities.call_update(call, updated_by=alice, fields={"recording_url": ""})

    response = alice_browser.get(reverse("transcription:panel", args=[call.id]))

    assert (response.status_code, response.content) == (204, b"")


def test_transcribe_again_queues_a_job_and_goes_back(alice_browser, call):
    _done(call)
    lead_page = call.lead.get_absolute_url()

    response = alice_browser.post(
        reverse("transcription:transcribe", args=[call.id]),
        {"kind": "recording", "next": lead_page},
    )

    assert (response.status_code, response.url) == (302, lead_page)
    newest = Job.objects.filter(kwargs__call_id=call.id).order_by("-id").first()
    assert newest.status == "queued"
    assert "will be transcribed in a moment" in alice_browser.get(lead_page).content.decode()


def test_transcribe_again_refuses_a_transcript_written_by_hand(alice_browser, call):
    activities.transcript_save(
        Transcript.of(call, "recording"), actor=None, fields={"utterances": UTTERANCES}
    )

    response = alice_browser.post(
        reverse("transcription:transcribe", args=[call.id]), {"kind": "recording"}, follow=True
    )

    assertContains(response, "written by hand or through the API: it is kept as it is")
    assert not Job.objects.exists()


def test_transcribe_again_ignores_a_next_page_elsewhere(alice_browser, call):
    response = alice_browser.post(
        reverse("transcription:transcribe", args=[call.id]),
        {"kind": "recording", "next": "https://evil.example.com/"},
    )

    assert response.url == call.get_absolute_url()


def test_transcribe_again_needs_the_csrf_token(alice, call):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    response = browser.post(
        reverse("transcription:transcribe", args=[call.id]), {"kind": "recording"}
    )

    assert response.status_code == 403
    assert not Job.objects.exists()


def test_transcribe_again_is_a_post(alice_browser, call):
    response = alice_browser.get(reverse("transcription:transcribe", args=[call.id]))

    assert response.status_code == 405


def test_another_organizations_call_is_not_found(client, bob, call):
    client.force_login(bob)

    responses = [
        client.post(reverse("transcription:transcribe", args=[call.id]), {"kind": "recording"}),
        client.get(reverse("transcription:panel", args=[call.id])),
    ]

    assert [response.status_code for response in responses] == [404, 404]
    assert not Job.objects.exists()


def test_signing_in_comes_first(client, call):
    response = client.post(
        reverse("transcription:transcribe", args=[call.id]), {"kind": "recording"}
    )

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_lead_page_reads_every_calls_state_in_one_query(
    alice_browser, lead, acme, django_assert_num_queries
):
    def log(count):
        for _ in range(count):
            _failed(make_call(lead, make_user(acme), recording_url=URL), "The audio is empty.")

    log(1)
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE + 1):
        alice_browser.get(lead.get_absolute_url())
    log(9)
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE + 1):
        response = alice_browser.get(lead.get_absolute_url())
    assert response.content.decode().count("The audio is empty.") == 10


def test_the_transcript_page_says_nothing_more_of_a_done_transcript(alice_browser, call):
    _done(call)

    response = alice_browser.get(reverse("activities:call_transcript", args=[call.id]))

    assertNotContains(response, "transcription__state")
    assertContains(response, "the price is two hundred dollars")
