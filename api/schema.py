"""The OpenAPI 3 schema of the API, as the wire really is (drf-spectacular).

Reads are built from `.values()` rows, not serializers (api/representations.py), so the objects
the API answers with are described by their representations, key by key, and each app lists
them as components in its `api.py` (api/registry.py). `CloseAutoSchema` knows Close's dialect
once for every endpoint: the list envelope `{"has_more", "data"}`, the
`_fields`/`_limit`/`_skip`/`_order_by` parameters, PUT as a partial update, the `RateLimit`
header and the error shapes (api/errors.py; closecalls' middleware and error handlers answer
the same way). Request bodies come from the endpoints' own serializers; filters from their
FilterSets.
"""

import copy

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.serializers import Serializer

from api import cursors, lists, registry
from api.browsable import view_description
from api.json_schema import array, boolean, integer, nullable, object_schema, ref, string

# The objects of Close's dialect itself; those of the apps come from their api.py.
DIALECT_COMPONENTS = {
    "Deleted": {"type": "object", "maxProperties": 0, "description": "An empty object."},
    "Error": object_schema(
        {"error": string()},
        required=("error",),
        description="Malformed JSON or parameters, bad credentials, not found, too large, or "
        "the database unavailable.",
    ),
    "ValidationErrors": object_schema(
        {
            "errors": array(string()),
            "field-errors": {"type": "object", "additionalProperties": string()},
        },
        required=("errors", "field-errors"),
        description="Body validation errors; an unknown related id is keyed by the relation "
        '(`{"lead": "Object does not exist."}`).',
    ),
    "RateLimited": object_schema(
        {
            "error": object_schema(
                {
                    "message": string(),
                    "rate_reset": integer(description="Seconds until the reset."),
                    "rate_limit": integer(),
                    "rate_window": integer(description="Seconds."),
                },
                required=("message", "rate_reset", "rate_limit", "rate_window"),
            ),
            "rate_reset": integer(),
        },
        required=("error", "rate_reset"),
    ),
}


def _json(schema):
    return {"application/json": {"schema": schema}}


RESPONSE_HEADERS = {
    "RateLimit": {
        "schema": string(pattern=r"^limit=\d+, remaining=\d+, reset=\d+$"),
        "description": "Requests allowed per window for this API key, left in this window, "
        "and seconds until it resets.",
    },
    "X-Request-Id": {
        "schema": string(pattern=r"^req_[A-Za-z0-9]+$"),
        "description": "This request's id: the `request_id` of the events its changes wrote.",
    },
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

    def get_description(self):
        """What the endpoint says of itself to its users, as in the browsable API: not the
        notes for the code's readers that follow in its docstring."""
        return view_description(self.view)

    def _component(self):
        """Objects of a Close endpoint are described by the component of its representation."""
        representation = getattr(self.view, "representation", None)
        return None if representation is None else representation.name

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._component() is None or self.method == "DELETE" or self._is_bulk():
            return parameters
        parameters.append(
            OpenApiParameter(
                "_fields",
                str,
                description="Comma-separated keys to return (`id` always comes back).",
            )
        )
        if self._action() == "list" and self._cursor_paged():
            parameters += [
                OpenApiParameter(
                    "_limit",
                    int,
                    description=f"Objects per page (default {cursors.DEFAULT_LIMIT}; more is "
                    f"capped at {cursors.MAX_LIMIT}).",
                ),
                OpenApiParameter(
                    "_cursor",
                    str,
                    description="`cursor_next` (older) or `cursor_previous` (newer) of a page "
                    "read with the same filters (dates aside).",
                ),
            ]
        elif self._action() == "list":
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

    def _cursor_paged(self):
        return getattr(self.view, "cursor_paged", False)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        bounds = {"_limit": (0, lists.MAX_LIMIT), "_skip": (0, lists.MAX_SKIP)}
        if self._cursor_paged():
            bounds = {"_limit": (1, None)}
        for parameter in parameters:
            if parameter["name"] in bounds:
                low, high = bounds[parameter["name"]]
                parameter["schema"].update(minimum=low)
                if high is not None:
                    parameter["schema"].update(maximum=high)
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

    def _is_bulk(self):
        """A bulk update: PUT on a list, to the objects its filters find (api/urls.py)."""
        return self._action() == "bulk_update"

    def get_operation_id(self):
        if self._is_bulk():  # else named as the PUT of one object is
            return "_".join([*self._tokenize_path(), "bulk_update"])
        return super().get_operation_id()

    def get_filter_backends(self):
        filtered = self._action() == "list" or self._is_bulk()
        return getattr(self.view, "filter_backends", []) if filtered else []

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
                response.setdefault("headers", {}).update(RESPONSE_HEADERS)
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
        if action == "list" and self._cursor_paged():
            envelope = object_schema(
                {
                    "data": array(ref(component)),
                    "cursor_next": nullable(string(description="Older objects; null at the end.")),
                    "cursor_previous": nullable(string(description="Newer objects.")),
                },
                required=("data", "cursor_next", "cursor_previous"),
            )
            return {"200": _response(f"A page of {component} objects.", envelope, RESPONSE_HEADERS)}
        if action == "list":
            envelope = object_schema(
                {"has_more": boolean(), "data": array(ref(component))},
                required=("has_more", "data"),
            )
            return {"200": _response(f"A page of {component} objects.", envelope, RESPONSE_HEADERS)}
        if action == "destroy":
            return {"200": _response("Deleted.", ref("Deleted"), RESPONSE_HEADERS)}
        if self._is_bulk():
            count = object_schema(
                {"count": integer(minimum=0, description="How many matched and were updated.")},
                required=("count",),
            )
            return {"200": _response(f"The {component} objects updated.", count, RESPONSE_HEADERS)}
        if action == "create":
            # A create may answer with more than a read shows (a secret, once).
            component = getattr(self.view, "create_component", None) or component
        code = "201" if action == "create" and self.view.create_status == 201 else "200"
        return {code: _response(f"The {component}.", ref(component), RESPONSE_HEADERS)}


def close_postprocessing(result, generator, request, public):
    """Add the components that describe the API's objects and errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(DIALECT_COMPONENTS)
    schemas.update(registry.components())
    return result


class RelatedIdFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.RelatedIdField"

    def map_serializer_field(self, auto_schema, direction):
        schema = string(description="An id of your organization.")
        return nullable(schema) if self.target.allow_null else schema


class CloseDateTimeFieldSchema(OpenApiSerializerFieldExtension):
    target_class = "api.serializers.CloseDateTimeField"

    def map_serializer_field(self, auto_schema, direction):
        return string(
            format="date-time",
            description="ISO 8601 with an offset (Z, +00:00, +0000), naive (UTC), or a plain date.",
        )
