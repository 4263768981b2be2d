"""Guards at the HTTP edge, for the API and the pages alike.

They sit beside `closecalls.errors`, which decides how every failure is answered (JSON under
/api/, a page elsewhere): a Content-Security-Policy on every response, `no-store` on the API's,
a cap on the size of request bodies checked before anything reads them, a 503 "try again"
while the database is unreachable, API paths with doubled slashes resolved as Close
resolves them, and an id for every request, sent back in `X-Request-Id`.
"""

import base64
import hashlib
import logging
import re

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.html import escape
from rest_framework.compat import pygments_css
from rest_framework.renderers import BrowsableAPIRenderer

from accounts.ids import new_id
from core.current_request import serving
from core.large_uploads import takes_large_uploads

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
API_V1_PREFIX = "/api/v1/"
_REPEATED_SLASHES = re.compile("/{2,}")


def is_api_request(request):
    """Whether `request` is for the API, which answers every failure in JSON, not with a page."""
    return request.path.startswith(API_PREFIX)


def _style_hash(css):
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


# Trix (static/vendor/trix-2.1.19) inserts a <style> element for each of its two custom
# elements, empty at first and then filled: these hashes allow exactly those and no other.
TRIX_STYLE_HASHES = (
    _style_hash(""),
    "'sha256-jAP18ioNeNaQBBU5RJvT96kjJnVxHvZs+s8WUNiLnvA='",  # trix-toolbar
    "'sha256-c5Z9aB2t69CSpeI1aC8dDLr7LZYZlynV8iY/8Uc9ZFk='",  # trix-editor
)
# DRF's browsable API puts Pygments' CSS in a <style> element, when Pygments is installed.
_browsable_api_css = pygments_css(BrowsableAPIRenderer.code_style)
BROWSABLE_API_STYLE_HASHES = (
    (_style_hash(escape(_browsable_api_css)),) if _browsable_api_css else ()
)

# Scripts and styles only from this origin: no inline script, no eval, no inline style but the
# few <style> elements above, by hash.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", *TRIX_STYLE_HASHES, *BROWSABLE_API_STYLE_HASHES],
    "img-src": ["'self'", "data:"],
    "media-src": ["'self'", "https:"],  # recordings may be external https:// URLs
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def _policy_header(policy):
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Set the Content-Security-Policy on every response that has none of its own."""

    header = _policy_header(CONTENT_SECURITY_POLICY)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class ApiNoStoreMiddleware:
    """`Cache-Control: no-store` on every response of the API, errors included.

    API answers carry an organization's data to a script: no browser or proxy keeps them.
    First in MIDDLEWARE, so that the answers of the other middleware (413, 429, 503) have it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_V1_PREFIX):
            response["Cache-Control"] = "no-store"
        return response


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def body_size_limit(request):
    """Return the largest body `request` may send: more for a page's file upload.

    Past DATA_UPLOAD_MAX_MEMORY_SIZE, `RequestSizeLimitMiddleware.process_view` also requires
    a signed-in user and a view that accepts audio.
    """
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/form-data") and not is_api_request(request):
        return settings.UPLOAD_MAX_REQUEST_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose Content-Length is over the limit, without reading it.

    The limit is DATA_UPLOAD_MAX_MEMORY_SIZE, and UPLOAD_MAX_REQUEST_SIZE only for a signed-in
    user's multipart form sent to a view marked `core.large_uploads.accepts_large_uploads` (the
    pages that take audio). The view and the user are known once the URL is resolved and the
    session read: a body between the two limits is judged in process_view, which runs before
    CSRF's reads the form. A body sent without a length is still bounded where it is read: the
    JSON parser and Django's form parsing stop at DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_size_limit(request)
        if _content_length(request) > limit:
            return request_too_large(request, limit)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if _content_length(request) <= limit:
            return None
        if takes_large_uploads(view_func) and request.user.is_authenticated:
            return None
        return request_too_large(request, limit)


def request_too_large(request, limit):
    message = f"The request body is too large: the limit is {filesizeformat(limit)}."
    if is_api_request(request):
        return JsonResponse({"error": message}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER = 5  # seconds


def database_unavailable(request):
    """Answer a request that failed because the database is unreachable: 503, try again.

    The page is rendered without the request, so that nothing in it reaches for the database.
    """
    if is_api_request(request):
        message = "The database is unavailable; try again in a few seconds."
        response = JsonResponse({"error": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database into a 503 instead of a server error.

    Django reconnects by itself once the database is back (CONN_HEALTH_CHECKS), so the next
    request after an outage succeeds without a restart. Failures outside views (in another
    middleware) reach `closecalls.errors.server_error`, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable(request)
        return None


class RepeatedSlashesMiddleware:
    """Resolve `/api/v1//custom_field/lead/` as `/api/v1/custom_field/lead/`.

    Some Close clients build their URLs by joining a base that ends with `/` and a path that
    starts with one (Airbyte's Close source 0.5 does), and Close answers those paths.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_V1_PREFIX) and "//" in request.path_info:
            request.path_info = _REPEATED_SLASHES.sub("/", request.path_info)
            request.path = _REPEATED_SLASHES.sub("/", request.path)
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id (`request.request_id`, `req_…` as Close's), answer it in the
    `X-Request-Id` header, and keep the request as the current one while it is served
    (core/current_request.py): the events its changes write carry that id, as Close's do."""

    header = "X-Request-Id"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_id("req")
        with serving(request):
            response = self.get_response(request)
        response[self.header] = request.request_id
        return response
