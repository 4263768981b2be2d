"""Transcription end to end: a call gets audio, a real worker process transcribes it with the
real pocketsphinx engine, and the transcript is there for the pages and the API.

Workers see only committed rows: these tests run on `transactional_db` (tests/workers.py).
"""

import numpy as np
import pytest
from django.core.files.base import ContentFile

from activities import services as activities
from activities.models import Call, Transcript
from jobs.models import Job
from tests.conftest import make_call, wav
from tests.core.https_server import Answer
from tests.transcription.conftest import off_script
from tests.workers import finished, wait_for
from transcription import synthetic
from transcription.jobs import transcribe_call
from transcription.services import job_key, transcription_request
from transcription.synthetic import word_recall

RECALL_FLOOR = 0.40  # as measured in test_pocketsphinx.py
HANDWRITTEN = [
    {"speaker_label": "Alice", "speaker_side": "close-user", "start": 0, "end": 1, "text": "Hi."}
]


@pytest.fixture
def trusting(https_server, certificate):
    """Worker settings to download from the test's HTTPS server on 127.0.0.1."""
    return {"SSL_CERT_FILE": str(certificate[0]), "SAFE_HTTP_ALLOWED_NETWORKS": "127.0.0.1/32"}


def _job(call, kind="recording", timeout=180):
    """Wait for the job of the call's audio to finish; return it."""
    job = wait_for(
        lambda: Job.objects.filter(key=job_key(call, kind)).order_by("-id").first(),
        what="the transcription to be queued",
    )
    return finished(job, timeout)


def _call_with_url(lead, user, url, **fields):
    """A call whose recording is at `url`, its transcription queued.

    The test's server is on 127.0.0.1, which the model refuses to store as a recording URL
    (core.external_urls: no IP addresses, no private names). So the URL is written as it is,
    as rows written before that check, or by an import, may hold one: then the worker's own
    rules (core.safe_http) are what stands between the URL and the network.
    """
    call = make_call(lead, user, **fields)
    Call.objects.filter(pk=call.pk).update(recording_url=url)
    call.refresh_from_db()
    transcription_request(call, "recording")
    return call


def _transcript(call, kind="recording"):
    return Transcript.objects.filter(call=call, kind=kind).first()


@pytest.fixture(params=["database", "rq"])
def backend(request, settings):
    """The jobs backend, configured here and in the workers: the database, or RQ on a
    redis-server of the test's own. Returns the workers' settings."""
    if request.param == "database":
        return {}
    redis_url = request.getfixturevalue("redis_server")
    settings.JOBS_BACKEND = "rq"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": -1}}
    return {"JOBS_BACKEND": "rq", "REDIS_URL": redis_url}


def test_an_uploaded_stereo_recording_is_transcribed_by_a_worker(
    start_worker, backend, lead, alice, contact, sales_call
):
    worker = start_worker(**backend)
    call = make_call(
        lead,
        alice,
        contact=contact,
        recording_file=ContentFile(sales_call.wav.read_bytes(), "c.wav"),
    )

    job = _job(call)

    assert (job.status, job.attempts, job.worker.split(":")[-1]) == ("done", 1, str(worker.pid))
    utterances = _transcript(call).utterances
    assert [u["speaker_side"] for u in utterances] == [line.side for line in sales_call.spoken]
    assert {u["speaker_label"] for u in utterances} == {"Alice Archer", "Bruce Wayne"}
    assert off_script(utterances, sales_call.spoken) == []
    assert word_recall(sales_call.spoken, utterances) >= RECALL_FLOOR


def test_a_recording_url_is_downloaded_and_transcribed(
    start_worker, trusting, https_server, lead, alice, contact, sales_call
):
    https_server.routes["/recordings/call.mp3"] = Answer(body=sales_call.mp3.read_bytes())
    start_worker(**trusting)
    call = _call_with_url(lead, alice, https_server.url("/recordings/call.mp3"), contact=contact)

    job = _job(call)

    assert job.status == "done"
    utterances = _transcript(call).utterances
    assert [u["speaker_side"] for u in utterances] == [line.side for line in sales_call.spoken]
    assert https_server.requests == ["/recordings/call.mp3"]


def test_the_api_shows_the_transcript_once_done(start_worker, lead, alice, alice_api, short_call):
    start_worker()
    call = make_call(lead, alice, recording_file=ContentFile(short_call, name="call.wav"))
    url = f"/api/v1/activity/call/{call.id}/?_fields=id,recording_transcript"

    _job(call)

    transcript = alice_api.get(url).json()["recording_transcript"]
    assert [u["speaker_side"] for u in transcript["utterances"]] == ["close-user", "contact"]
    assert transcript["summary_text"] == ""


def test_every_kind_of_bad_audio_ends_failed_with_its_reason(
    start_worker, trusting, https_server, lead, alice
):
    # Uploads are checked for audio when they are stored (activities.audio_files): audio that is
    # not, or has no samples, can only come through a URL, which nobody checks before the job.
    https_server.routes["/corrupt.mp3"] = Answer(body=b"\x00\xffnot audio" * 500)
    nothing = synthetic.wav_bytes([np.zeros(0, np.int16)], 8000)
    https_server.routes["/empty.wav"] = Answer(body=nothing)
    https_server.routes["/gone.mp3"] = Answer(404, b"gone")
    silence = synthetic.wav_bytes([np.zeros(8000 * 3, np.int16)] * 2, 8000)
    uploads = {
        "silent": ContentFile(silence, name="s.wav"),
        "too long": ContentFile(wav(seconds=4), name="l.wav"),
    }
    urls = {
        "corrupt": https_server.url("/corrupt.mp3"),
        "empty": https_server.url("/empty.wav"),
        "gone": https_server.url("/gone.mp3"),
        "private": "https://169.254.169.254/latest/meta-data/",
    }
    start_worker(TRANSCRIPTION_MAX_SECONDS="3", **trusting)
    calls = {case: make_call(lead, alice, recording_file=file) for case, file in uploads.items()}
    calls.update({case: _call_with_url(lead, alice, url) for case, url in urls.items()})

    jobs = {case: _job(call) for case, call in calls.items()}

    assert {case: (job.status, job.attempts, job.reason) for case, job in jobs.items()} == {
        "corrupt": ("failed", 1, "The file is not audio that can be read."),
        "empty": ("failed", 1, "The audio is empty."),
        "silent": ("failed", 1, "The audio is silent: nobody speaks in it."),
        "too long": ("failed", 1, "The audio is longer than the limit of 0 min 03 s."),
        "gone": ("failed", 1, "The audio could not be downloaded: The server answered 404."),
        "private": (
            "failed",
            1,
            "The audio could not be downloaded: The host 169.254.169.254 has a private or "
            "reserved address (169.254.169.254).",
        ),
    }
    assert not Transcript.objects.exists()


def test_a_transient_download_failure_is_retried_once_then_succeeds(
    start_worker, trusting, https_server, lead, alice, short_call
):
    https_server.routes["/call.wav"] = Answer(503, b"busy", then=Answer(body=short_call))
    start_worker(JOBS_RETRY_BACKOFF_SECONDS="0.2", **trusting)
    call = _call_with_url(lead, alice, https_server.url("/call.wav"))

    job = _job(call)

    assert (job.status, job.attempts) == ("done", 2)
    assert https_server.requests == ["/call.wav", "/call.wav"]
    assert len(_transcript(call).utterances) == 2


def test_a_worker_killed_mid_job_leaves_it_to_the_next_worker(
    start_worker, lead, alice, contact, sales_call
):
    first = start_worker()
    call = make_call(
        lead,
        alice,
        contact=contact,
        recording_file=ContentFile(sales_call.wav.read_bytes(), "c.wav"),
    )
    job = wait_for(
        lambda: Job.objects.filter(key=job_key(call, "recording"), status="running").first(),
        what="the first worker to start transcribing",
    )

    first.kill()
    second = start_worker()
    job = finished(job, timeout=180)

    assert (job.status, job.attempts) == ("done", 2)
    assert job.worker.endswith(f":{second.pid}")
    utterances = _transcript(call).utterances
    assert [u["speaker_side"] for u in utterances] == [line.side for line in sales_call.spoken]


def test_a_transcript_written_by_hand_is_never_overwritten_by_a_job(
    start_worker, lead, alice, short_call
):
    call = make_call(
        lead,
        alice,
        recording_file=ContentFile(short_call, name="call.wav"),
        transcripts={"recording_transcript": {"utterances": HANDWRITTEN}},
    )
    job = transcribe_call.enqueue_once(
        key=job_key(call, "recording"), call_id=call.id, kind="recording"
    )
    start_worker()

    assert finished(job).status == "done"
    assert _transcript(call).utterances == HANDWRITTEN


def test_a_transcript_sent_while_the_job_listens_is_kept(start_worker, lead, alice, sales_call):
    start_worker()
    call = make_call(lead, alice, recording_file=ContentFile(sales_call.wav.read_bytes(), "c.wav"))
    wait_for(
        lambda: Job.objects.filter(key=job_key(call, "recording"), status="running").exists(),
        what="the worker to start transcribing",
    )

    activities.transcript_save(
        Transcript.of(call, "recording"), actor=None, fields={"utterances": HANDWRITTEN}
    )

    assert _job(call).status == "done"
    assert _transcript(call).utterances == HANDWRITTEN
