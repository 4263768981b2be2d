import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.conftest import api_client, make_call, wav

pytestmark = pytest.mark.django_db


AUDIO = wav()


@pytest.fixture
def call(lead, alice):
    call = make_call(lead, alice)
    call.recording_file.save("call.wav", ContentFile(AUDIO), save=True)
    return call


def audio_url(call, kind="recording"):
    return reverse("activities:call_audio", args=[call.id, kind])


def body(response):
    return b"".join(response.streaming_content)


def test_the_url_is_the_one_the_call_gives(call):
    assert call.audio_link("recording") == audio_url(call)


def test_without_range_the_whole_file_is_sent(alice_browser, call):
    response = alice_browser.get(audio_url(call))
    assert response.status_code == 200
    assert body(response) == AUDIO
    assert response["Content-Length"] == str(len(AUDIO))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] in ("audio/wav", "audio/x-wav")


def test_a_range_gets_206_and_exactly_those_bytes(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert body(response) == AUDIO[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(AUDIO)}"
    assert response["Content-Length"] == "100"


def test_an_open_range_runs_to_the_end(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE="bytes=1000-")
    assert response.status_code == 206
    assert body(response) == AUDIO[1000:]
    assert response["Content-Range"] == f"bytes 1000-{len(AUDIO) - 1}/{len(AUDIO)}"


def test_a_suffix_range_gets_the_last_bytes(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE="bytes=-10")
    assert response.status_code == 206
    assert body(response) == AUDIO[-10:]


def test_a_range_past_the_end_is_cut_at_the_end(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE=f"bytes=10-{len(AUDIO) * 2}")
    assert response.status_code == 206
    assert body(response) == AUDIO[10:]


def test_a_range_starting_after_the_end_gets_416(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE=f"bytes={len(AUDIO)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(AUDIO)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-1", "bytes=9-2", "bytes=x-"])
def test_a_range_it_cannot_use_gets_the_whole_file(alice_browser, call, header):
    response = alice_browser.get(audio_url(call), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == AUDIO


def test_a_head_request_answers_without_a_body(alice_browser, call):
    response = alice_browser.head(audio_url(call))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(AUDIO))


def test_the_voicemail_is_served_too(alice_browser, call):
    call.voicemail_file.save("vm.wav", ContentFile(b"RIFF vm"), save=True)
    assert body(alice_browser.get(audio_url(call, "voicemail"))) == b"RIFF vm"


def test_an_api_key_can_download_it(alice_api, call):
    response = alice_api.get(audio_url(call), HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206
    assert body(response) == b"RIFF"


def test_a_wrong_api_key_gets_401(call):
    response = api_client("api_wrong").get(audio_url(call))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'


def test_signed_out_visitors_are_sent_to_sign_in(client, call):
    response = client.get(audio_url(call))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_organizations_recording_is_not_found(call, bob_api, client, bob):
    assert bob_api.get(audio_url(call)).status_code == 404
    client.force_login(bob)
    assert client.get(audio_url(call)).status_code == 404


def test_a_call_without_upload_or_an_unknown_kind_is_not_found(alice_browser, lead, alice, call):
    assert alice_browser.get(audio_url(make_call(lead, alice))).status_code == 404
    assert alice_browser.get(audio_url(call, "transcript.txt")).status_code == 404


def test_a_file_missing_from_storage_is_not_found(alice_browser, call):
    call.recording_file.storage.delete(call.recording_file.name)
    assert alice_browser.get(audio_url(call)).status_code == 404


def test_writes_are_refused(alice_browser, call):
    assert alice_browser.post(audio_url(call)).status_code == 405


def assert_locked_down(response):
    """Opened as a page, the response can run nothing, load nothing, and be sniffed as nothing."""
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_audio_is_served_inline_as_the_type_of_its_audio_extension(alice_browser, call):
    response = alice_browser.get(audio_url(call))

    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"].startswith("inline")
    assert_locked_down(response)


def test_a_range_of_audio_is_locked_down_too(alice_browser, call):
    response = alice_browser.get(audio_url(call), HTTP_RANGE="bytes=0-99")

    assert response.status_code == 206
    assert response["Content-Type"] == "audio/wav"
    assert_locked_down(response)


@pytest.mark.parametrize("name", ["planted.html", "planted.js", "planted.svg", "planted.txt"])
def test_a_stored_file_of_no_audio_type_is_only_a_download(alice_browser, call, name):
    """Such as one stored before uploads were checked: written to storage directly here."""
    call.voicemail_file.save(name, ContentFile(b"<script>alert(document.cookie)</script>"))

    response = alice_browser.get(audio_url(call, "voicemail"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert_locked_down(response)
