"""Every path that stores a recording or a voicemail checks that it is audio, the same way:
extension, declared type, size and the content itself (`activities.audio_files`)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities import services
from activities.models import Call
from tests.activities.conftest import log_call
from tests.conftest import (
    admin_form_data,
    encoded_audio,
    make_call,
    mp3_with_cover_art,
    wav,
)

pytestmark = pytest.mark.django_db

ADMIN_ADD = reverse("admin:activities_call_add")

# Name, declared type and content of files that must be refused, and what the rep is told.
NOT_AUDIO = {
    "html-renamed-mp3": ("call.mp3", "audio/mpeg", b"<!doctype html><script>alert(1)</script>"),
    "javascript-renamed-mp3": ("call.mp3", "audio/mpeg", b"fetch('/api/v1/me/');\n" * 50),
    "svg-renamed-wav": (
        "call.wav",
        "audio/wav",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "riff-header-only": ("call.wav", "audio/wav", b"RIFF fake audio"),
    "mp4-video-renamed-m4a": ("call.m4a", "audio/mp4", encoded_audio("mp4")),
    "subtitles-renamed-ogg": (
        "call.ogg",
        "audio/ogg",
        b"1\n00:00:01,000 --> 00:00:02,000\n<script>alert(1)</script>\n",
    ),
}
REFUSALS = {
    "html-renamed-mp3": "this file's content is not audio",
    "javascript-renamed-mp3": "this file's content is not audio",
    "svg-renamed-wav": "this file's content is not audio",
    "riff-header-only": "this file's content is not audio",
    "mp4-video-renamed-m4a": "this one is a video",
    "subtitles-renamed-ogg": "this file's content is not audio",
}


def real_audio():
    """(name, declared type, content) of a real file in each format a rep may upload."""
    files = [("call.wav", "audio/wav", wav())]
    declared = {"mp3": "audio/mpeg", "ogg": "audio/ogg", "opus": "audio/ogg"}
    declared |= {"m4a": "audio/x-m4a", "aac": "audio/aac", "flac": "audio/flac"}
    declared |= {"webm": "video/webm"}  # what Chromium reports for a .webm
    files += [
        (f"call.{kind}", kind_type, encoded_audio(kind)) for kind, kind_type in declared.items()
    ]
    files.append(("cover.mp3", "audio/mpeg", mp3_with_cover_art()))
    return files


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.glob("**/*") if path.is_file()]


@pytest.mark.parametrize(
    ("name", "content_type", "content"), real_audio(), ids=[name for name, *_ in real_audio()]
)
def test_the_reps_form_takes_each_common_audio_format(
    alice_browser, lead, name, content_type, content
):
    upload = SimpleUploadedFile(name, content, content_type=content_type)

    response = log_call(alice_browser, lead, recording_file=upload)

    assert response.status_code == 302
    assert Call.objects.get().recording_file.read() == content


@pytest.mark.parametrize("case", NOT_AUDIO)
def test_the_reps_form_refuses_what_is_not_audio(alice_browser, lead, settings, case):
    name, content_type, content = NOT_AUDIO[case]

    response = log_call(
        alice_browser, lead, voicemail_file=SimpleUploadedFile(name, content, content_type)
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["voicemail_file"]
    assert REFUSALS[case] in error
    assert not Call.objects.exists()
    assert stored_files(settings) == []


def test_a_file_with_another_extension_is_refused(alice_browser, lead):
    upload = SimpleUploadedFile("call.html", wav(), content_type="audio/wav")

    response = log_call(alice_browser, lead, recording_file=upload)

    assert response.context["form"].errors["recording_file"] == [
        "“html” is not allowed: upload MP3, WAV, OGG, Opus, M4A, AAC, WebM or FLAC."
    ]


def test_a_file_declared_as_another_type_is_refused(alice_browser, lead):
    upload = SimpleUploadedFile("call.wav", wav(), content_type="text/html")

    response = log_call(alice_browser, lead, recording_file=upload)

    assert response.context["form"].errors["recording_file"] == [
        "Upload an audio file (MP3, WAV, OGG, Opus, M4A, AAC, WebM or FLAC): this one was sent "
        "as text/html."
    ]


def test_a_file_sent_without_a_known_type_is_judged_by_its_content(alice_browser, lead):
    upload = SimpleUploadedFile("call.opus", encoded_audio("opus"), "application/octet-stream")

    assert log_call(alice_browser, lead, recording_file=upload).status_code == 302


def test_a_file_over_the_size_limit_is_refused(alice_browser, lead, monkeypatch):
    monkeypatch.setattr("activities.audio_files.MAX_AUDIO_SIZE", 1000)
    upload = SimpleUploadedFile("call.wav", wav(), content_type="audio/wav")

    response = log_call(alice_browser, lead, recording_file=upload)

    assert response.context["form"].errors["recording_file"] == [
        "This file is 15.7\xa0KB; the limit is 1000\xa0bytes."
    ]


def test_the_edit_form_refuses_what_is_not_audio(alice_browser, lead, alice):
    call = make_call(lead, alice)
    upload = SimpleUploadedFile("call.mp3", b"<script>alert(1)</script>", "audio/mpeg")

    response = alice_browser.post(
        reverse("activities:call_edit", args=[call.id]),
        {
            "direction": "outbound",
            "disposition": "answered",
            "duration": "1:00",
            "activity_at": "2024-05-01T14:30:00",
            "recording_file": upload,
        },
    )

    assert (
        "this file's content is not audio" in response.context["form"].errors["recording_file"][0]
    )
    call.refresh_from_db()
    assert not call.recording_file


@pytest.mark.parametrize("case", ["html-renamed-mp3", "mp4-video-renamed-m4a"])
def test_the_admins_call_form_refuses_what_is_not_audio(
    acme_admin_client, acme, lead, settings, case
):
    name, content_type, content = NOT_AUDIO[case]
    data = admin_form_data(
        acme_admin_client.get(ADMIN_ADD),
        organization=acme.pk,
        lead=lead.pk,
        recording_file=SimpleUploadedFile(name, content, content_type),
    )

    response = acme_admin_client.post(ADMIN_ADD, data)

    assert response.status_code == 200
    assert REFUSALS[case] in response.context["adminform"].form.errors["recording_file"][0]
    assert not Call.objects.exists()
    assert stored_files(settings) == []


def test_the_admins_call_form_refuses_an_html_file(acme_admin_client, acme, lead):
    data = admin_form_data(
        acme_admin_client.get(ADMIN_ADD),
        organization=acme.pk,
        lead=lead.pk,
        voicemail_file=SimpleUploadedFile("page.html", b"<script>alert(1)</script>", "text/html"),
    )

    response = acme_admin_client.post(ADMIN_ADD, data)

    assert "“html” is not allowed" in response.context["adminform"].form.errors["voicemail_file"][0]
    assert not Call.objects.exists()


def test_the_admins_call_form_takes_real_audio(acme_admin_client, acme, lead):
    data = admin_form_data(
        acme_admin_client.get(ADMIN_ADD),
        organization=acme.pk,
        lead=lead.pk,
        recording_file=SimpleUploadedFile("call.flac", encoded_audio("flac"), "audio/flac"),
    )

    response = acme_admin_client.post(ADMIN_ADD, data)

    assert response.status_code == 302
    assert Call.objects.get().recording_file.read() == encoded_audio("flac")


@pytest.mark.parametrize(
    "content",
    [b"", b"<svg onload=alert(1)>", encoded_audio("mp4")],
    ids=["empty", "svg", "video"],
)
def test_the_services_refuse_a_file_that_is_not_audio_from_any_caller(lead, settings, content):
    """What the demo data and an importer give: a ContentFile, no declared type."""
    with pytest.raises(ValidationError) as refused:
        make_call(lead, voicemail_file=ContentFile(content, name="voicemail.wav"))

    assert list(refused.value.message_dict) == ["voicemail_file"]
    assert not Call.objects.exists()
    assert stored_files(settings) == []


def test_replacing_a_recording_with_what_is_not_audio_keeps_the_old_one(lead):
    call = make_call(lead, recording_file=ContentFile(wav(), name="old.wav"))
    old_name = call.recording_file.name

    with pytest.raises(ValidationError):
        services.call_update(
            Call.objects.get(pk=call.pk),
            updated_by=None,
            fields={"recording_file": ContentFile(b"<html>", name="new.mp3")},
        )

    call.refresh_from_db()
    assert call.recording_file.name == old_name
    assert call.recording_file.storage.exists(old_name)


def test_a_stored_file_is_not_checked_again_when_other_fields_change(lead):
    """Checked when it arrived; a later edit of the note neither reads nor refuses it."""
    call = make_call(lead, recording_file=ContentFile(wav(), name="call.wav"))
    call.recording_file.storage.delete(call.recording_file.name)

    services.call_update(call, updated_by=None, fields={"note": "Called back"})

    assert Call.objects.get().note == "Called back"
