"""Close's rate limit, per API key, counted in fixed windows in Django's cache.

`API_RATE_LIMIT` sets the rate: "40/s", "600/m", "1000/h", or "100/10s"; empty turns it off.
The count lives in the default cache: the local memory cache of one process, or Redis (set
`REDIS_URL`) to share one count between every process and server. A window's counter is created
with `cache.add` and counted with `cache.incr`, both atomic, so concurrent requests never lose a
count.

Every answer to a request with an API key carries `RateLimit: limit=N, remaining=R, reset=S`;
the request after the N-th of a window gets Close's 429 (`Retry-After: S` and the body below),
and Close's clients sleep S seconds and try again. The key is read from the Authorization header
before anything else runs, so a refused request costs no database query; the counter is named
after the key's hash, as `ApiKey` stores it, never after the key itself.
"""

import base64
import binascii
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse

from accounts.models import hash_key
from closecalls.middleware import is_api_request

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate):
    """Return (requests, window in seconds) for "40/s", "100/10s"..., or None for "" (no limit)."""
    if not rate:
        return None
    match = _RATE.match(rate)
    if match is None or int(match[1]) < 1 or match[2] == "0":
        raise ImproperlyConfigured(f"API_RATE_LIMIT: expected e.g. 40/s or 600/m, got {rate!r}")
    return int(match[1]), int(match[2] or 1) * _UNIT_SECONDS[match[3]]


def api_key_from_header(request):
    """Return the API key of a Basic Authorization header (the username), or None."""
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[0] or None


def count_request(key, limit, window):
    """Count one request of `key`; return (requests so far in this window, seconds to its end)."""
    now = time.time()
    number = int(now // window)
    reset = max(1, math.ceil((number + 1) * window - now))
    name = f"ratelimit:{hash_key(key)}:{window}:{number}"
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr: this request opens the window again
        cache.add(name, 1, timeout=window + 1)
        count = 1
    return count, reset


def rate_limited(limit, window, reset):
    """Close's 429, as its clients read it."""
    body = {
        "error": {
            "message": f"API call count exceeded for this {window} second window",
            "rate_reset": reset,
            "rate_limit": limit,
            "rate_window": window,
        },
        "rate_reset": reset,
    }
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(reset)
    return response


class RateLimitMiddleware:
    """Limit each API key to `API_RATE_LIMIT` requests on /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = parse_rate(settings.API_RATE_LIMIT)
        key = api_key_from_header(request) if is_api_request(request) else None
        if rate is None or key is None:
            return self.get_response(request)
        limit, window = rate
        count, reset = count_request(key, limit, window)
        if count > limit:
            response = rate_limited(limit, window, reset)
        else:
            response = self.get_response(request)
        remaining = max(limit - count, 0)
        response["RateLimit"] = f"limit={limit}, remaining={remaining}, reset={reset}"
        return response
