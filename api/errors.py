"""Close's error shapes, for every failure the API can answer with."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

NON_FIELD_KEYS = ("non_field_errors", "__all__")


def _message(detail):
    """Flatten DRF's error detail (a string, list or dict of them) to one readable string."""
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_message(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_message(item) for item in detail)
    return str(detail)


def validation_error_body(detail):
    """Return Close's 400 body: {"errors": [...], "field-errors": {field: message}}."""
    if not isinstance(detail, dict):
        return {"errors": [_message(detail)], "field-errors": {}}
    errors = []
    field_errors = {}
    for key, value in detail.items():
        if key in NON_FIELD_KEYS:
            errors.extend(
                _message(item) for item in (value if isinstance(value, list) else [value])
            )
        else:
            field_errors[key] = _message(value)
    return {"errors": errors, "field-errors": field_errors}


def messages_in_values(error):
    """Return the messages of a ValidationError (a list, not a dict) with each param that names
    a choice (core/rule_messages.py) by its `api_text`, the value an API client or a file sends."""
    messages = []
    for item in error.error_list:
        message = item.message
        if item.params:
            message %= {
                name: getattr(value, "api_text", value) for name, value in item.params.items()
            }
        messages.append(str(message))
    return messages


def _asks_for_a_page(context):
    """Whether the request asked for HTML, the browsable API's: a person in a browser, whom a
    401 sends to the sign-in page (templates/rest_framework/api.html) rather than to the
    browser's Basic-auth prompt. API clients ask for JSON, or anything."""
    renderer = getattr(context.get("request"), "accepted_renderer", None)
    return getattr(renderer, "media_type", None) == "text/html"


def close_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {
                field: messages_in_values(DjangoValidationError(errors))
                for field, errors in exc.error_dict.items()
            }
            if hasattr(exc, "error_dict")
            else messages_in_values(exc)
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Empty query: the object does not exist.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None) and not _asks_for_a_page(context):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        body = validation_error_body(exc.detail)
    else:
        body = {"error": _message(exc.detail)}
    set_rollback()
    return Response(body, status=exc.status_code or status.HTTP_400_BAD_REQUEST, headers=headers)
