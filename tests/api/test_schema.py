"""The OpenAPI schema at /api/schema/ describes the wire as it is, and its docs page is local."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def resolve(schema, node):
    return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]


def test_it_is_openapi_3_with_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/activity/", "/api/v1/activity/call/", "/api/v1/activity/call/{id}/",
        "/api/v1/activity/call/search/", "/api/v1/outcome/", "/api/v1/outcome/{id}/",
        "/api/v1/lead/", "/api/v1/lead/{id}/",
        "/api/v1/contact/", "/api/v1/contact/{id}/", "/api/v1/user/", "/api/v1/user/{id}/",
        "/api/v1/me/", "/api/v1/custom_field/{object_type}/", "/api/v1/task/",
        "/api/v1/task/{id}/", "/api/v1/report/activity/", "/api/v1/report/activity/metrics/",
        "/api/v1/event/", "/api/v1/event/{id}/", "/api/v1/webhook/",
        "/api/v1/webhook/{id}/",
    }  # fmt: skip


def test_the_call_search_is_a_close_list_of_calls_with_where_they_match(schema):
    operation = schema["paths"]["/api/v1/activity/call/search/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]
    result = schema["components"]["schemas"]["CallSearchResult"]

    assert parameters["query"]["required"] is True
    assert {"_fields", "_limit", "_skip", "_order_by", "speaker_side", "user_id"} <= set(parameters)
    assert envelope["required"] == ["has_more", "data"]
    assert envelope["properties"]["data"]["items"] == {
        "$ref": "#/components/schemas/CallSearchResult"
    }
    assert {"matching_utterances", "note_fragment", "lead_id", "activity_at"} <= set(
        result["properties"]
    )


def test_auth_is_basic_with_the_api_key_as_username(schema):
    scheme = schema["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "basic")
    assert "username" in scheme["description"]
    assert {"apiKey": []} in schema["paths"]["/api/v1/activity/call/"]["get"]["security"]


def test_lists_are_closes_envelope_with_its_parameters(schema):
    operation = schema["paths"]["/api/v1/activity/call/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    envelope = operation["responses"]["200"]["content"]["application/json"]["schema"]

    assert {"_fields", "_limit", "_skip", "_order_by", "lead_id", "user_id", "disposition",
            "date_created__gt", "activity_at__lte"} <= set(parameters)  # fmt: skip
    assert parameters["_limit"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 1000}
    assert "-activity_at" in parameters["_order_by"]["schema"]["enum"]
    assert envelope["required"] == ["has_more", "data"]
    assert envelope["properties"]["data"]["items"] == {"$ref": "#/components/schemas/Call"}
    assert "RateLimit" in operation["responses"]["200"]["headers"]


def test_the_call_object_says_what_may_be_null(schema):
    call = schema["components"]["schemas"]["Call"]
    assert call["required"] == ["id"]  # _fields may leave out any other key
    assert call["properties"]["contact_id"]["nullable"] is True
    assert call["properties"]["recording_transcript"] == {
        "allOf": [{"$ref": "#/components/schemas/Transcript"}],
        "nullable": True,
    }
    assert "nullable" not in call["properties"]["note"]


@pytest.mark.parametrize(
    "name",
    ["Call", "Transcript", "Outcome", "Lead", "Contact", "Phone", "Email", "User", "Me", "Error",
     "ValidationErrors", "RateLimited", "CallTranscript", "Event", "EventMeta", "WebhookEvent",
     "WebhookSubscription", "WebhookSubscriptionCreated"],
)  # fmt: skip
def test_response_objects_admit_no_undocumented_key(schema, name):
    assert schema["components"]["schemas"][name]["additionalProperties"] is False


@pytest.mark.parametrize(
    "path, component",
    [("activity/call", "Call"), ("outcome", "Outcome"), ("lead", "Lead"), ("contact", "Contact"),
     ("user", "User")],
)  # fmt: skip
def test_every_documented_key_is_answered(
    schema, alice_api, call, contact, outcome, path, component
):
    documented = schema["components"]["schemas"][component]["properties"]

    response = alice_api.get(f"/api/v1/{path}/", {"_fields": ",".join(documented)})

    assert response.status_code == 200
    assert [set(item) for item in response.json()["data"]] == [set(documented)]


def test_errors_have_closes_shapes(schema):
    responses = schema["paths"]["/api/v1/activity/call/{id}/"]["put"]["responses"]
    body = {code: response["content"]["application/json"]["schema"]
            for code, response in responses.items() if "content" in response}  # fmt: skip

    assert body["400"] == {"anyOf": [{"$ref": "#/components/schemas/ValidationErrors"},
                                     {"$ref": "#/components/schemas/Error"}]}  # fmt: skip
    for code in ("401", "404", "413", "503"):
        assert resolve(schema, body[code])["required"] == ["error"]
    assert resolve(schema, body["429"])["required"] == ["error", "rate_reset"]
    assert resolve(schema, body["400"]["anyOf"][0])["required"] == ["errors", "field-errors"]


def test_put_is_a_partial_update(schema):
    body = schema["paths"]["/api/v1/lead/{id}/"]["put"]["requestBody"]
    component = resolve(schema, body["content"]["application/json"]["schema"])
    assert "required" not in component
    assert "required" not in body


def test_outcome_creation_answers_201(schema):
    assert "201" in schema["paths"]["/api/v1/outcome/"]["post"]["responses"]


def test_the_docs_page_loads_nothing_from_another_origin(client):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<style>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_the_docs_script_is_served_as_a_file(client):
    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
