"""Input limits: oversized bodies get 413, over-long fields 400 field errors, and hostile JSON
(deep, huge, NaN, mistyped, not UTF-8) a clear 400, never a server error."""

import json

import pytest
from django.contrib.admin.utils import quote
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Call
from leads.models import Lead
from tests.conftest import admin_form_data, make_call, wav

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CALLS = "/api/v1/activity/call/"


def post_json(client, url, body):
    raw = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, raw, content_type="application/json")


def test_a_json_body_over_1_mb_is_a_413_before_it_is_read(alice_api, lead):
    body = {"lead_id": lead.id, "note": "x" * MB}

    response = post_json(alice_api, CALLS, body)

    assert response.status_code == 413
    assert response.json() == {"error": "The request body is too large: the limit is 1.0\xa0MB."}
    assert not Call.objects.exists()


def test_a_json_body_under_1_mb_is_accepted(alice_api, lead):
    response = post_json(alice_api, CALLS, {"lead_id": lead.id, "note": "x" * (MB - 1000)})

    assert response.status_code == 200
    assert len(Call.objects.get().note) == MB - 1000


def test_a_form_over_1_mb_without_files_is_a_413(alice_browser, lead):
    response = alice_browser.post(reverse("leads:create"), {"name": "x" * MB})

    assert response.status_code == 413
    assert not Lead.objects.exclude(pk=lead.pk).exists()


def test_the_reps_form_takes_audio_beyond_the_json_limit(alice_browser, lead):
    audio = SimpleUploadedFile("call.wav", wav(seconds=140), content_type="audio/wav")
    data = {
        "direction": "outbound",
        "disposition": "answered",
        "duration": "1:00",
        "activity_at": "2024-05-01T14:30:00",
        "recording_file": audio,
    }

    response = alice_browser.post(reverse("activities:call_create", args=[lead.id]), data)

    assert response.status_code == 302
    assert Call.objects.get().recording_file.size == len(wav(seconds=140)) > 2 * MB


def test_an_upload_over_its_limit_is_a_413(alice_browser, lead, settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 2 * MB
    audio = SimpleUploadedFile("call.wav", b"\0" * (3 * MB), content_type="audio/wav")

    response = alice_browser.post(
        reverse("activities:call_create", args=[lead.id]), {"recording_file": audio}
    )

    assert response.status_code == 413
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/lead/", {"name": "x" * 256}, "name"),
        ("/api/v1/lead/", {"name": "Acme", "status_label": "x" * 65}, "status_label"),
        ("/api/v1/lead/", {"name": "Acme", "url": "https://example.com/" + "x" * 500}, "url"),
        ("/api/v1/outcome/", {"name": "x" * 101}, "name"),
        ("/api/v1/contact/", {"lead_id": "{lead}", "name": "x" * 256}, "name"),
        ("/api/v1/contact/", {"lead_id": "{lead}", "title": "x" * 256}, "title"),
        (CALLS, {"lead_id": "{lead}", "phone": "+1" + "5" * 40}, "phone"),
        (CALLS, {"lead_id": "{lead}", "recording_url": "https://e.com/" + "x" * 1000},
         "recording_url"),
    ],
)  # fmt: skip
def test_an_over_long_field_is_a_400_field_error(acme_admin_api, lead, url, body, field):
    body = {key: value.format(lead=lead.id) for key, value in body.items()}

    response = post_json(acme_admin_api, url, body)

    assert response.status_code == 400
    assert field in response.json()["field-errors"]


HOSTILE_BODIES = [
    pytest.param(b"[" * 10_000 + b"]" * 10_000, id="10k-nested-arrays"),
    pytest.param(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, id="10k-nested-objects"),
    pytest.param(b'{"lead_id": "x", "duration": 1' + b"0" * 400 + b"}", id="400-digit-number"),
    pytest.param(b'{"duration": 1e400}', id="overflowing-float"),
    pytest.param(b'{"duration": NaN}', id="NaN"),
    pytest.param(b'{"duration": -Infinity}', id="Infinity"),
    pytest.param(b'{"note": "\xc3\x28"}', id="invalid-utf-8"),
    pytest.param(b'{"note": "\xed\xa0\x80"}', id="utf-8-surrogate"),
    pytest.param(b"\xef\xbb\xbf{}", id="byte-order-mark"),
]


@pytest.mark.parametrize("raw", HOSTILE_BODIES)
def test_json_that_cannot_be_parsed_is_a_400_error(alice_api, raw):
    response = post_json(alice_api, CALLS, raw)

    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def _nested(depth):
    value = "deep"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration": 2**63}, "duration"),
        ({"duration": 10**18}, "duration"),
        ({"duration": -1}, "duration"),
        ({"cost": "NaN"}, "cost"),
        ({"cost": "Infinity"}, "cost"),
        ({"cost": "1e400"}, "cost"),
        ({"cost": 1e308}, "cost"),
        ({"activity_at": "9999-12-31T23:59:59-14:00"}, "activity_at"),
        ({"lead_id": 12345}, "lead"),
        ({"lead_id": ["lead_x"]}, "lead"),
        ({"duration": "ten"}, "duration"),
        ({"note": ["a", "list"]}, "note"),
        ({"direction": {"an": "object"}}, "direction"),
        ({"recording_transcript": "a string"}, "recording_transcript"),
        ({"recording_transcript": {"utterances": [{"deep": _nested(50)}]}},
         "recording_transcript"),
    ],
)  # fmt: skip
def test_out_of_range_or_mistyped_values_are_400_field_errors(alice_api, lead, changes, field):
    response = post_json(alice_api, CALLS, {"lead_id": lead.id, **changes})

    assert response.status_code == 400
    assert field in response.json()["field-errors"]
    assert not Call.objects.exists()


@pytest.mark.parametrize("query", ["_limit=1e400", "_skip=-1", "_limit=99999999999999999999999"])
def test_out_of_range_list_parameters_are_a_400_error(alice_api, query):
    response = alice_api.get(f"{CALLS}?{query}")

    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_a_form_posted_with_invalid_utf_8_is_answered(alice_browser, lead):
    response = alice_browser.post(
        reverse("activities:call_create", args=[lead.id]),
        b"direction=outbound&note_html=%FF%FE%C3%28",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200  # the form again, with its errors
    assert not Call.objects.exists()


def multipart_over_the_form_limit():
    """A form whose file makes the body 2 MB: over DATA_UPLOAD_MAX_MEMORY_SIZE, under the
    audio pages' limit."""
    return {"name": "x", "attachment": SimpleUploadedFile("blob.wav", b"\0" * (2 * MB))}


@pytest.mark.parametrize(
    "url",
    [
        reverse("login"),
        reverse("leads:list"),
        reverse("leads:create"),
        "/leads/lead_x/calls/new/",
        "/calls/acti_x/edit/",
        reverse("admin:login"),
        reverse("admin:activities_call_add"),
    ],
)
def test_an_anonymous_multipart_body_over_the_form_limit_is_a_413_everywhere(client, url):
    response = client.post(url, multipart_over_the_form_limit())

    assert response.status_code == 413
    assert response.content.decode() == "The request body is too large: the limit is 1.0\xa0MB."


@pytest.mark.parametrize(
    "url",
    [
        reverse("leads:create"),
        reverse("account_settings"),
        reverse("leads:list"),
    ],
)
def test_a_signed_in_multipart_body_over_the_form_limit_is_a_413_where_no_audio_goes(
    alice_browser, url
):
    response = alice_browser.post(url, multipart_over_the_form_limit())

    assert response.status_code == 413
    assert not Lead.objects.exists()


def test_the_edit_call_page_takes_audio_beyond_the_form_limit(alice_browser, lead, alice):
    call = make_call(lead, alice)
    data = {
        "direction": "outbound",
        "disposition": "answered",
        "duration": "1:00",
        "activity_at": "2024-05-01T14:30:00",
        "recording_file": SimpleUploadedFile("call.wav", wav(seconds=140), "audio/wav"),
    }

    response = alice_browser.post(reverse("activities:call_edit", args=[call.id]), data)

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.recording_file.size > 2 * MB


def test_the_admins_call_pages_take_audio_beyond_the_form_limit(acme_admin_client, acme, lead):
    add = reverse("admin:activities_call_add")
    data = admin_form_data(
        acme_admin_client.get(add),
        organization=acme.pk,
        lead=lead.pk,
        recording_file=SimpleUploadedFile("call.wav", wav(seconds=140), "audio/wav"),
    )
    assert acme_admin_client.post(add, data).status_code == 302
    call = Call.objects.get()
    change = reverse("admin:activities_call_change", args=[quote(call.pk)])
    data = admin_form_data(
        acme_admin_client.get(change),
        voicemail_file=SimpleUploadedFile("vm.wav", wav(seconds=140), "audio/wav"),
    )

    assert acme_admin_client.post(change, data).status_code == 302
    call.refresh_from_db()
    assert call.recording_file.size > 2 * MB and call.voicemail_file.size > 2 * MB


def test_the_admins_other_pages_keep_the_form_limit(acme_admin_client):
    response = acme_admin_client.post(
        reverse("admin:leads_lead_add"), multipart_over_the_form_limit()
    )

    assert response.status_code == 413
