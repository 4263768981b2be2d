"""The HTTP request being served, for code far from the view that needs to know of it.

The site middleware (`closecalls.middleware.RequestIdMiddleware`) gives every request an id,
`request.request_id`, and keeps the request here while the view runs, so that whoever records
a change (the event log: who, through which API key, in which request) can ask without every
service passing the request along. The value lives in a context variable: each thread (and
each asyncio task) sees its own request, and code run outside any request, a background job or
a management command, sees None.

The request is Django's HttpRequest. Once DRF has authenticated it, `request.auth` is the
API key (DRF sets it on the HttpRequest it wraps); a session has none.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_serving = ContextVar("current_request", default=None)


def current_request():
    """Return the HttpRequest being served in this context, or None."""
    return _serving.get()


@contextmanager
def serving(request):
    """Make `request` the current request for the duration of the block."""
    token = _serving.set(request)
    try:
        yield request
    finally:
        _serving.reset(token)
