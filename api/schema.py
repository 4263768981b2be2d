"""The OpenAPI 3 schema of the API, as the wire really is (drf-spectacular).

Reads are built from `.values()` rows, not serializers (api/representations.py), so the objects
the API answers with are described here as small JSON Schema components, named after their
models. `CloseAutoSchema` knows Close's dialect once for every endpoint: the list envelope
`{"has_more", "data"}`, the `_fields`/`_limit`/`_skip`/`_order_by` parameters, PUT as a partial
update, the `RateLimit` header and the error shapes of api/errors.py, api/middleware.py and
api/throttling.py. Request bodies come from the endpoints' own serializers; filters from their
FilterSets.
"""

import copy

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.serializers import Serializer

from activities.models import Call, Outcome
from api import lists


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _string(**extra):
    return {"type": "string", **extra}


def _nullable(schema):
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    return {**schema, "nullable": True}


def _date_time(**extra):
    return _string(format="date-time", example="2026-11-24T14:35:08.272000+00:00", **extra)


def _choices(choices):
    return _string(enum=[value for value, _ in choices])


def _object(properties, *, required=("id",), description=None):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


_FIELDS_NOTE = "Every key below unless `_fields` names some; `id` always."
_ID = _string(readOnly=True)
_USER_ID = _nullable(_string(description="A user's id (`user_…`)."))
_USER_NAME = _nullable(_string())
# Who created and last updated an object, and when (see accounts.api.authorship).
_AUTHORSHIP = {
    "created_by": _USER_ID,
    "created_by_name": _USER_NAME,
    "updated_by": _USER_ID,
    "updated_by_name": _USER_NAME,
    "date_created": _date_time(),
    "date_updated": _date_time(),
}

COMPONENTS = {
    "Utterance": _object(
        {
            "speaker_label": _string(),
            "speaker_side": _string(enum=["contact", "close-user"]),
            "start": {"type": "number", "minimum": 0, "description": "Seconds from the start."},
            "end": {"type": "number", "minimum": 0},
            "text": _string(),
        },
        required=("speaker_label", "speaker_side", "start", "end", "text"),
    ),
    "Transcript": _object(
        {
            "utterances": {"type": "array", "items": ref("Utterance")},
            "summary_text": _string(),
            "summary_html": _string(),
        },
        required=("utterances", "summary_text", "summary_html"),
    ),
    "Call": _object(
        {
            "id": _string(example="acti_3kTbnIe2UcMCKbFVrTdyu8"),
            "_type": _string(enum=["Call"]),
            "organization_id": _string(),
            "lead_id": _string(),
            "contact_id": _nullable(_string()),
            "user_id": _USER_ID,
            "user_name": _USER_NAME,
            **_AUTHORSHIP,
            "activity_at": _date_time(),
            "date_answered": _nullable(_date_time()),
            "direction": _choices(Call.Direction.choices),
            "status": _choices(Call.Status.choices),
            "disposition": _nullable(_choices(Call.Disposition.choices)),
            "call_method": _choices(Call.Method.choices),
            "source": _choices(Call.Source.choices),
            "duration": {"type": "integer", "minimum": 0, "description": "Seconds."},
            "cost": _nullable(_string(description="US cents, a decimal: `2.5`.")),
            "phone": _nullable(_string(description="E.164.")),
            "remote_phone": _nullable(_string()),
            "remote_phone_formatted": _nullable(_string()),
            "local_phone": _nullable(_string()),
            "recording_url": _nullable(_string(format="uri")),
            "has_recording": {"type": "boolean"},
            "voicemail_url": _nullable(_string(format="uri")),
            "voicemail_duration": {"type": "integer", "minimum": 0},
            "note": _string(description="Plaintext, derived from note_html."),
            "note_html": _string(description="Sanitized rich text in <body>…</body>."),
            "outcome_id": _nullable(_string()),
            "users": {"type": "array", "items": _string()},
            "recording_transcript": _nullable(ref("Transcript")),
            "voicemail_transcript": _nullable(ref("Transcript")),
        },
        description=f"A call activity. {_FIELDS_NOTE} The transcripts only when named in "
        "`_fields`.",
    ),
    "Outcome": _object(
        {
            "id": _string(example="outcome_2RyBEnWcs5g7Ns3uLNTb9v"),
            "name": _string(),
            "description": _nullable(_string()),
            "type": _choices(Outcome.Type.choices),
            "applies_to": {"type": "array", "items": _string(enum=["calls", "meetings"])},
            "organization_id": _string(),
            "created_by": _USER_ID,
            "updated_by": _USER_ID,
            "date_created": _date_time(),
            "date_updated": _date_time(),
        },
        description=f"A user-defined result of a connected call. {_FIELDS_NOTE}",
    ),
    "Phone": _object(
        {
            "phone": _string(description="E.164."),
            "phone_formatted": _nullable(_string()),
            "type": _string(),
        },
        required=(),
    ),
    "Email": _object({"email": _string(), "type": _string()}, required=()),
    "Contact": _object(
        {
            "id": _string(example="cont_4fEmK0ApUd8ybhuCgNJq2S"),
            "lead_id": _string(),
            "organization_id": _string(),
            "name": _string(),
            "title": _string(),
            "phones": {"type": "array", "items": ref("Phone")},
            "emails": {"type": "array", "items": ref("Email")},
            "date_created": _date_time(),
            "date_updated": _date_time(),
        },
        description=f"A person at a lead. {_FIELDS_NOTE}",
    ),
    "Lead": _object(
        {
            "id": _string(example="lead_7DkUe1TmvKM0ZxwyRa3cFh"),
            "name": _string(),
            "display_name": _string(),
            "status_label": _string(),
            "description": _string(),
            "url": _nullable(_string()),
            "organization_id": _string(),
            "contacts": {"type": "array", "items": ref("Contact")},
            **_AUTHORSHIP,
        },
        description=f"A company or person sold to, with its contacts. {_FIELDS_NOTE}",
    ),
    "User": _object(
        {
            "id": _string(example="user_1xSBrqPJ3UqXhd47f6UqGw"),
            "first_name": _string(),
            "last_name": _string(),
            "email": _string(),
            "date_created": _date_time(),
        },
        description=f"A member of the organization. {_FIELDS_NOTE}",
    ),
    "Me": _object(
        {
            "id": _string(),
            "first_name": _string(),
            "last_name": _string(),
            "email": _string(),
            "date_created": _date_time(),
            "organizations": {
                "type": "array",
                "items": _object(
                    {"id": _string(), "name": _string(), "date_created": _date_time()},
                    required=("id", "name", "date_created"),
                ),
                "description": "The organization the request acts for comes first.",
            },
        },
        required=("id", "first_name", "last_name", "email", "date_created", "organizations"),
    ),
    "Deleted": {"type": "object", "maxProperties": 0, "description": "An empty object."},
    "Error": _object(
        {"error": _string()},
        required=("error",),
        description="Malformed JSON or parameters, bad credentials, not found, too large, or "
        "the database unavailable.",
    ),
    "ValidationErrors": _object(
        {
            "errors": {"type": "array", "items": _string()},
            "field-errors": {"type": "object", "additionalProperties": _string()},
        },
        required=("errors", "field-errors"),
        description="Body validation errors; an unknown related id is keyed by the relation "
        '(`{"lead": "Object does not exist."}`).',
    ),
    "RateLimited": _object(
        {
            "error": _object(
                {
                    "message": _string(),
                    "rate_reset": {"type": "integer", "description": "Seconds until the reset."},
                    "rate_limit": {"type": "integer"},
                    "rate_window": {"type": "integer", "description": "Seconds."},
                },
                required=("message", "rate_reset", "rate_limit", "rate_window"),
            ),
            "rate_reset": {"type": "integer"},
        },
        required=("error", "rate_reset"),
    ),
}


def _json(schema):
    return {"application/json": {"schema": schema}}


RATE_LIMIT_HEADER = {
    "RateLimit": {
        "schema": _string(pattern=r"^limit=\d+, remaining=\d+, reset=\d+$"),
        "description": "Requests allowed per window for this API key, left in this window, "
        "and seconds until it resets.",
    }
}
ERROR_RESPONSES = {
    "401": ("Missing or bad credentials.", ref("Error")),
    "403": ("Not a member of any organization, or a write your role may not make.", ref("Error")),
    "429": ("Too many requests for this API key: wait `rate_reset` seconds.", ref("RateLimited")),
    "503": ("The database is unavailable: try again.", ref("Error")),
}
BAD_REQUEST = {"anyOf": [ref("ValidationErrors"), ref("Error")]}


def _response(description, schema=None, headers=None):
    response = {"description": description}
    if headers:
        response["headers"] = headers
    if schema is not None:
        response["content"] = _json(schema)
    return response


def object_response(name):
    """An `extend_schema(responses=...)` value for a view answering with one `name` object."""
    return OpenApiResponse(response=ref(name))


class CloseAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, told Close's dialect (see the module docstring)."""

    def _action(self):
        return getattr(self.view, "action", None)

    def _component(self):
        """Objects of a Close endpoint are described by the component named after its model."""
        queryset = getattr(self.view, "queryset", None)
        return None if queryset is None else queryset.model.__name__

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._component() is None or self.method == "DELETE":
            return parameters
        parameters.append(
            OpenApiParameter(
                "_fields",
                str,
                description="Comma-separated keys to return (`id` always comes back).",
            )
        )
        if self._action() == "list":
            orderings = sorted(self.view.orderings)
            parameters += [
                OpenApiParameter(
                    "_limit",
                    int,
                    description=f"At most {lists.MAX_LIMIT} objects (default "
                    f"{lists.DEFAULT_LIMIT}).",
                ),
                OpenApiParameter("_skip", int, description="Objects to skip (default 0)."),
                OpenApiParameter(
                    "_order_by",
                    str,
                    enum=[sign + name for name in orderings for sign in ("", "-")],
                    description=f"Sort order, `-` for descending (default "
                    f"`{self.view.default_order}`).",
                ),
            ]
        return parameters

    def _get_parameters(self):
        parameters = super()._get_parameters()
        bounds = {"_limit": (0, lists.MAX_LIMIT), "_skip": (0, lists.MAX_SKIP)}
        for parameter in parameters:
            if parameter["name"] in bounds:
                low, high = bounds[parameter["name"]]
                parameter["schema"].update(minimum=low, maximum=high)
        return parameters

    def get_request_serializer(self):
        if self.method not in ("POST", "PUT", "PATCH"):
            return None
        return super().get_request_serializer()

    def get_response_serializers(self):
        if self._component() is not None:
            return None  # described by _close_responses()
        return super().get_response_serializers()

    def _is_list_view(self, serializer=None):
        if self._component() is not None:
            return self._action() == "list"
        return super()._is_list_view(serializer)

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", []) if self._action() == "list" else []

    def _get_request_for_media_type(self, serializer, direction="request"):
        serializer = force_instance(serializer)
        if self.method == "PUT" and isinstance(serializer, Serializer):
            serializer = copy.copy(serializer)  # Close's PUT is a partial update
            serializer.partial = True
        return super()._get_request_for_media_type(serializer, direction)

    def _get_response_bodies(self, direction="response"):
        component = self._component()
        if component is None:
            responses = super()._get_response_bodies(direction)
            for response in responses.values():
                response.setdefault("headers", {}).update(RATE_LIMIT_HEADER)
        else:
            responses = self._close_responses(component)
        responses["400"] = _response("Bad request: see the errors.", BAD_REQUEST)
        if "{" in self.path:
            responses["404"] = _response("No such object in your organization.", ref("Error"))
        if self.method in ("POST", "PUT", "PATCH"):
            responses["413"] = _response("The body is over 1 MB.", ref("Error"))
            responses["415"] = _response("The body is not JSON.", ref("Error"))
        for code, (description, schema) in ERROR_RESPONSES.items():
            responses[code] = _response(description, schema)
        return responses

    def _close_responses(self, component):
        action = self._action()
        if action == "list":
            envelope = _object(
                {
                    "has_more": {"type": "boolean"},
                    "data": {"type": "array", "items": ref(component)},
                },
                required=("has_more", "data"),
            )
            return {
                "200": _response(f"A page of {component} objects.", envelope, RATE_LIMIT_HEADER)
            }
        if action == "destroy":
            return {"200": _response("Deleted.", ref("Deleted"), RATE_LIMIT_HEADER)}
        code = "201" if action == "create" and self.view.create_status == 201 else "200"
        return {code: _response(f"The {component}.", ref(component), RATE_LIMIT_HEADER)}


def close_postprocessing(result, generator, request, public):
    """Add the components that describe the API's objects and errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    return result


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "basic",
            "description": "HTTP Basic: the API key as the username, an empty password.",
        }


class RelatedIdFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.RelatedIdField"

    def map_serializer_field(self, auto_schema, direction):
        schema = _string(description="An id of your organization.")
        return _nullable(schema) if self.target.allow_null else schema


class CloseDateTimeFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.CloseDateTimeField"

    def map_serializer_field(self, auto_schema, direction):
        return _string(
            format="date-time",
            description="ISO 8601 with an offset (Z, +00:00, +0000), naive (UTC), or a plain date.",
        )
