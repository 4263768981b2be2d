"""Bad input gets a clear JSON error in Close's shapes, never a server error."""

import pytest

from activities.models import Call

CALLS = "/api/v1/activity/call/"
HOSTILE_VALUES = [
    None,
    "",
    "x" * 10_000,
    "\x00",
    -1,
    1.5,
    10**30,
    1e308,
    True,
    [],
    {"nested": {"deeper": [None]}},
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
]
CALL_FIELDS = [
    "lead_id", "contact_id", "user_id", "outcome_id", "direction", "status", "disposition",
    "call_method", "duration", "cost", "phone", "recording_url", "voicemail_url",
    "voicemail_duration", "note", "note_html", "activity_at", "date_created",
    "recording_transcript", "voicemail_transcript",
]  # fmt: skip


def send(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def assert_error(response, status=400):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize("method", ["post", "put"])
def test_malformed_json_is_a_400_error(alice_api, call, method):
    url = CALLS if method == "post" else f"{CALLS}{call.id}/"

    body = assert_error(send(alice_api, method, url, '{"lead_id": '))

    assert set(body) == {"error"}
    assert "JSON parse error" in body["error"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"note": "\xff\xfe"}',
        b'{"duration": NaN}',
        b'{"duration": Infinity}',
        b'{"duration": 1e400}',
        b"[" * 5000 + b"]" * 5000,
        b'{"note": "unterminated',
    ],
)
def test_json_that_is_not_json_is_a_400_error(alice_api, raw):
    response = send(alice_api, "post", CALLS, raw)

    assert set(assert_error(response)) == {"error"}


def test_an_empty_body_is_an_empty_object(alice_api):
    response = send(alice_api, "post", CALLS, b"")

    assert assert_error(response)["field-errors"] == {"lead": "This field is required."}


@pytest.mark.parametrize("body", ["[]", '"a string"', "42", "null", "[{}]"])
def test_a_body_that_is_not_an_object_is_a_400_error(alice_api, body):
    response = send(alice_api, "post", CALLS, body)

    assert assert_error(response)["errors"]


def test_a_form_encoded_body_is_415(alice_api, lead):
    response = alice_api.post(CALLS, {"lead_id": lead.id})

    assert set(assert_error(response, status=415)) == {"error"}


def test_a_huge_body_is_413(alice_api, lead, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = send(alice_api, "post", CALLS, {"lead_id": lead.id, "note": "x" * 2000})

    assert set(assert_error(response, status=413)) == {"error"}


def test_a_string_where_a_number_goes_is_a_field_error(alice_api, lead):
    response = send(alice_api, "post", CALLS, {"lead_id": lead.id, "duration": "an hour"})

    assert assert_error(response) == {
        "errors": [],
        "field-errors": {"duration": "A valid integer is required."},
    }


@pytest.mark.parametrize("field", CALL_FIELDS)
def test_no_value_of_any_field_breaks_a_create(acme_admin_api, lead, field, subtests):
    """As an organization admin, whose writes reach the furthest (any `user_id`)."""
    for value in HOSTILE_VALUES:
        with subtests.test(value=value):
            response = send(acme_admin_api, "post", CALLS, {"lead_id": lead.id, field: value})

            assert response.status_code in (200, 400)
            if response.status_code == 400:
                assert set(response.json()) == {"errors", "field-errors"}


@pytest.mark.parametrize("field", CALL_FIELDS)
def test_no_value_of_any_field_breaks_an_update(acme_admin_api, call, field, subtests):
    for value in HOSTILE_VALUES:
        with subtests.test(value=value):
            response = send(acme_admin_api, "put", f"{CALLS}{call.id}/", {field: value})

            assert response.status_code in (200, 400)


def test_nulls_everywhere_are_refused_cleanly(alice_api):
    response = send(alice_api, "post", CALLS, dict.fromkeys(CALL_FIELDS))

    assert "lead" in assert_error(response)["field-errors"]
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/lead/", {"name": None, "contacts": [None, {"phones": [None]}], "url": 5}),
        ("/api/v1/lead/", {"name": "\x00", "description": ["a"], "status_label": ""}),
        ("/api/v1/lead/", {"name": "x" * 10_000, "contacts": "Bruce"}),
        ("/api/v1/contact/", {"lead_id": ["a"], "phones": {"phone": 1}, "emails": [{}]}),
        ("/api/v1/contact/", {"name": "x" * 10_000, "phones": [{"phone": "+1" + "5" * 500}]}),
        ("/api/v1/outcome/", {"name": None, "type": None}),
        ("/api/v1/outcome/", {"name": "x" * 10_000, "type": ["custom"]}),
    ],
)
def test_hostile_bodies_on_other_endpoints_are_refused_cleanly(acme_admin_api, url, body):
    response = send(acme_admin_api, "post", url, body)

    assert set(assert_error(response)) == {"errors", "field-errors"}


@pytest.mark.parametrize(
    "params",
    [
        {"lead_id": "lead_\x00"},
        {"id__in": ",,,"},
        {"user_id": "x" * 10_000},
        {"date_created__gt": "0001-01-01T00:00:00+14:00"},
        {"activity_at__lt": "9999-12-31T23:59:59-14:00"},
        {"date_created__gte": "\x00"},
        {"_fields": "\x00"},
        {"direction": "sideways"},
        {"call_method": "power,carrier-pigeon"},
    ],
)
def test_hostile_query_parameters_never_break_a_list(alice_api, call, params):
    response = alice_api.get(CALLS, params)

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"


def test_a_nul_in_an_id_is_simply_not_found(alice_api, call):
    assert_error(alice_api.get(f"{CALLS}acti_%00/"), status=404)


def test_a_nul_in_a_lead_search_is_refused(alice_api, lead):
    assert_error(alice_api.get("/api/v1/lead/", {"query": "Wayne\x00"}))


def test_a_nul_in_transcript_text_is_a_field_error(alice_api, lead):
    utterance = {"speaker_label": "A", "speaker_side": "contact", "start": 0, "end": 1}
    body = {
        "lead_id": lead.id,
        "recording_transcript": {"utterances": [utterance | {"text": "\x00"}]},
    }

    response = send(alice_api, "post", CALLS, body)

    assert set(assert_error(response)["field-errors"]) == {"recording_transcript"}


def test_a_deeply_nested_transcript_is_a_field_error(alice_api, lead):
    deep = "[" * 1000 + "]" * 1000
    transcript = '{"utterances": [{"text": ' + deep + "}]}"
    raw = f'{{"lead_id": "{lead.id}", "recording_transcript": {transcript}}}'

    response = send(alice_api, "post", CALLS, raw)

    assert set(assert_error(response)["field-errors"]) == {"recording_transcript"}


@pytest.mark.parametrize("query_string", ["lead_id=%FF%FE", "_fields=%C0%AF", "_limit=%EF%BC%91"])
def test_invalid_utf8_in_the_query_string_is_harmless(alice_api, call, query_string):
    response = alice_api.get(CALLS, QUERY_STRING=query_string)

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
