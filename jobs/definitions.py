"""`@job`: a plain function made into a background job, and how it is enqueued.

    from jobs import job, PermanentError, TransientError

    @job(max_attempts=5)
    def transcribe_call(call_id, kind): ...

    transcribe_call.enqueue_once(
        key=f"transcribe:{call_id}:{kind}", organization=call.organization,
        call_id=call.id, kind=kind,
    )

A job's arguments are keywords whose values are JSON (ids, strings, numbers), never model
instances. Enqueueing writes a `jobs.Job` row in the caller's transaction and hands it to the
task backend once that transaction commits: a rolled-back request enqueues nothing.
"""

import functools
import inspect
import json
import random
from datetime import timedelta

from django.conf import settings

RESERVED_ARGUMENTS = ("key", "organization")

_periodic = {}


class JobDefinition:
    """A job function and how it is run. Calling it runs the function here and now."""

    def __init__(self, func, *, max_attempts=None, backoff=None, queue="default", every=None):
        clashes = set(inspect.signature(func).parameters) & set(RESERVED_ARGUMENTS)
        if clashes:
            raise TypeError(f"{func.__qualname__}: a job cannot take {', '.join(sorted(clashes))}")
        if every is not None and not isinstance(every, timedelta):
            raise TypeError(f"{func.__qualname__}: every must be a timedelta")
        functools.update_wrapper(self, func)
        self.func = func
        self.name = f"{func.__module__}.{func.__qualname__}"
        self._max_attempts = max_attempts
        self._backoff = backoff
        self.queue = queue
        self.every = every
        if every is not None:
            _periodic[self.name] = self

    def __repr__(self):
        return f"<job {self.name}>"

    def __call__(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    @property
    def max_attempts(self):
        return self._max_attempts or settings.JOBS_MAX_ATTEMPTS

    def backoff_seconds(self, attempt):
        """Return how long to wait after failed attempt number `attempt` (1, 2, ...).

        The wait doubles with each attempt from the job's `backoff` (default
        JOBS_RETRY_BACKOFF_SECONDS), up to JOBS_RETRY_BACKOFF_MAX_SECONDS, plus up to a tenth
        more at random so that jobs failing together do not all come back together.
        """
        base = settings.JOBS_RETRY_BACKOFF_SECONDS if self._backoff is None else self._backoff
        wait = min(base * 2 ** (attempt - 1), settings.JOBS_RETRY_BACKOFF_MAX_SECONDS)
        return wait * (1 + random.random() / 10)  # noqa: S311 (not for security)

    def enqueue(self, *, organization=None, **kwargs):
        """Enqueue a run of this job with `kwargs`; return its `jobs.Job` row."""
        from jobs.services import job_enqueue

        return job_enqueue(self, key="", organization=organization, kwargs=_json(self, kwargs))

    def enqueue_once(self, *, key, organization=None, **kwargs):
        """Enqueue this job unless one with the same `key` is queued or running; return the row.

        The key names the logical job ("transcribe:call_xxx:recording"): while a job with that
        key waits or runs, enqueueing it again returns that job and enqueues nothing. Once it
        is done or failed, the key can be enqueued again.
        """
        from jobs.services import job_enqueue

        if not key:
            raise ValueError("enqueue_once needs a key")
        return job_enqueue(self, key=key, organization=organization, kwargs=_json(self, kwargs))


def _json(definition, kwargs):
    try:
        return json.loads(json.dumps(kwargs))
    except (TypeError, ValueError) as error:
        raise TypeError(f"{definition.name}: job arguments must be JSON: {error}") from None


def job(func=None, *, max_attempts=None, backoff=None, queue="default", every=None):
    """Make `func` a background job (usable as `@job` or `@job(...)`).

    `max_attempts` (default JOBS_MAX_ATTEMPTS) bounds the attempts on transient failures;
    `backoff` is the first wait in seconds between them; `queue` names the task backend's
    queue; `every` (a timedelta) makes it a periodic job, which takes no arguments and is
    enqueued by the workers once per period.
    """

    def wrap(f):
        return JobDefinition(
            f, max_attempts=max_attempts, backoff=backoff, queue=queue, every=every
        )

    return wrap(func) if func is not None else wrap


def periodic_jobs():
    """Return the periodic jobs of the modules imported so far (every app's jobs.py is)."""
    return list(_periodic.values())
