"""Close's rate limit, per API key, counted in fixed windows in Django's cache.

`API_RATE_LIMIT` sets the rate: "40/s", "600/m", "1000/h", or "100/10s"; empty turns it off.
The count lives in the default cache: the local memory cache of one process, or Redis (set
`REDIS_URL`) to share one count between every process and server. Each request is counted in
one atomic step (core.counters), so concurrent requests never lose a count. If the cache does
not answer, the request is served uncounted and a warning logged: the limit fails open.

Every answer to a request with an API key carries `RateLimit: limit=N, remaining=R, reset=S`;
the request after the N-th of a window gets Close's 429 (`Retry-After: S` and the body below),
and Close's clients sleep S seconds and try again. The key is read from the Authorization header
by the parser authentication uses (api.credentials), so whatever is served under a key was
counted under it. A key's counter is named after the key's hash, as `ApiKey` stores it, never
after the key itself, and exists only for keys the database knows: after a key's first request
of a window, the rest are counted (and refused) without a database query. Requests with keys it
does not know are counted per client address (core.addresses): made-up keys cannot fill the
cache with counters.
"""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse

from accounts.authentication import find_api_key, presented_api_key
from accounts.models import hash_key
from closecalls.middleware import is_api_request
from core import counters
from core.addresses import client_address

logger = logging.getLogger(__name__)

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


def count_request(request, key, window):
    """Count `request`, made with API key `key`, in the current window; return its Tally.

    A key is counted under its own name once its first request of the window has proven it
    real; a key the database does not know is counted under the client's address, so that made-up
    keys share one counter per address instead of each making a new one.
    """
    name = f"ratelimit:key:{hash_key(key)}"
    tally = counters.count_if_open(cache, name, window)
    if tally is None:
        if find_api_key(request, key) is None:
            name = f"ratelimit:address:{hash_key(client_address(request))}"
        tally = counters.count(cache, name, window)
    return tally


class RateLimitMiddleware:
    """Limit each API key, and each client address for unknown keys, to `API_RATE_LIMIT`
    requests on /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rate = parse_rate(settings.API_RATE_LIMIT)
        key = presented_api_key(request) if is_api_request(request) else None
        if rate is None or not key:
            return self.get_response(request)
        limit, window = rate
        try:
            tally = count_request(request, key, window)
        except counters.StoreUnavailable as error:
            logger.warning(
                "Rate limit not applied to %s: the cache does not answer (%s)", request.path, error
            )
            return self.get_response(request)
        if tally.count > limit:
            response = rate_limited(limit, window, tally.reset)
        else:
            response = self.get_response(request)
        remaining = max(limit - tally.count, 0)
        response["RateLimit"] = f"limit={limit}, remaining={remaining}, reset={tally.reset}"
        return response
