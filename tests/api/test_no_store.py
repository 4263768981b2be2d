"""No browser or proxy keeps an API answer: every /api/v1/ response is `no-store`, errors too."""

import json

import pytest
from django.core.files.base import ContentFile

from tests.conftest import make_call, wav

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/activity/call/"


def test_a_list_is_not_stored(alice_api, lead):
    response = alice_api.get("/api/v1/lead/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_object_is_not_stored(alice_api, lead):
    response = alice_api.get(f"/api/v1/lead/{lead.id}/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/api/v1/lead/lead_missing/", None, 404),
        ("get", "/api/v1/no-such-endpoint/", None, 404),
        ("post", CALLS, {"lead_id": "lead_missing"}, 400),
        ("post", CALLS, {"note": "x" * (1024 * 1024)}, 413),
        ("put", "/api/v1/lead/", {}, 405),
    ],
)
def test_an_error_is_not_stored(alice_api, method, path, body, status):
    response = getattr(alice_api, method)(
        path, json.dumps(body) if body is not None else None, content_type="application/json"
    )

    assert response.status_code == status
    assert response["Cache-Control"] == "no-store"


def test_a_refused_key_is_not_stored(client):
    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Cache-Control"] == "no-store"


def test_a_rate_limited_request_is_not_stored(alice_api, settings):
    settings.API_RATE_LIMIT = "1/h"
    alice_api.get("/api/v1/me/")

    response = alice_api.get("/api/v1/me/")

    assert response.status_code == 429
    assert response["Cache-Control"] == "no-store"


def test_the_audio_file_keeps_its_private_cache(alice_api, lead, alice):
    call = make_call(lead, alice)
    call.recording_file.save("call.wav", ContentFile(wav()))

    response = alice_api.get(f"/calls/{call.id}/recording/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
