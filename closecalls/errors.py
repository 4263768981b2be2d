"""The site's error handlers (handler400/404/500): JSON under /api/, Django's pages elsewhere."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

from closecalls.middleware import (
    DATABASE_ERRORS,
    database_unavailable,
    is_api_request,
    request_too_large,
)


def bad_request(request, exception):
    """handler400: JSON under /api/, Django's page elsewhere; 413 for a body over the limit."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if is_api_request(request):
        return JsonResponse({"error": "Bad request."}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    """handler404: JSON under /api/, Django's (or the project's 404.html) page elsewhere."""
    if is_api_request(request):
        return JsonResponse({"error": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/, Django's (or the project's 500.html) page elsewhere.

    The database lost outside a view (in a middleware) is a 503, as in a view.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    if is_api_request(request):
        return JsonResponse({"error": "Internal server error."}, status=500)
    return defaults.server_error(request)
