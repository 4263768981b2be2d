"""Attempts counted in fixed windows of time, in a Django cache: the API rate limit and the
sign-in throttle both count with these.

`count` adds one to a name's counter for the current window and returns the new total, in one
atomic step of the cache (`add` creates the window's counter, `incr` counts), so concurrent
requests, threads or servers never see the same total twice: whoever gets a total over the
limit is refused, without a separate check that others could slip past. The window's number is
part of the cache key, so a counter that outlived its window (a lost expiry) is never read
again. Atomic as long as the cache's `incr` is: Redis, local memory (within one process),
`core.database_cache.CounterDatabaseCache` (Django's own database cache is not).

Any failure of the cache (Redis down, database unreachable) is raised as StoreUnavailable, for
the caller to decide: the rate limit lets the request through, sign-in refuses it.
"""

import contextlib
import math
import time
from typing import NamedTuple

from django.db import DatabaseError
from redis.exceptions import RedisError


class StoreUnavailable(Exception):
    """The cache that holds the counters did not answer."""


class Tally(NamedTuple):
    key: str  # the cache key of the window's counter
    count: int  # attempts so far in the window, this one included
    reset: int  # whole seconds until the window ends, at least 1


def _window(name, window):
    now = time.time()
    number = int(now // window)
    reset = max(1, math.ceil((number + 1) * window - now))
    return f"{name}:{window}:{number}", reset


@contextlib.contextmanager
def _reaching_the_store():
    try:
        yield
    except (RedisError, DatabaseError, OSError) as error:
        raise StoreUnavailable(str(error)) from error


def count(store, name, window):
    """Count one attempt of `name` in the current window of `window` seconds; return its Tally."""
    key, reset = _window(name, window)
    with _reaching_the_store():
        store.add(key, 0, timeout=window + 1)
        try:
            total = store.incr(key)
        except ValueError:  # gone between add and incr (evicted): this attempt opens it again
            store.add(key, 1, timeout=window + 1)
            total = 1
    return Tally(key, total, reset)


def count_if_open(store, name, window):
    """Count as `count` does, but only in a window that earlier attempts opened; else None."""
    key, reset = _window(name, window)
    with _reaching_the_store():
        try:
            total = store.incr(key)
        except ValueError:
            return None
    return Tally(key, total, reset)


def uncount(store, tally):
    """Take back the attempt that `tally` counted: it was not a failure after all."""
    with _reaching_the_store(), contextlib.suppress(ValueError):  # ValueError: window over
        store.decr(tally.key)


def forget(store, tally):
    """Forget every attempt in `tally`'s window."""
    with _reaching_the_store():
        store.delete(tally.key)
