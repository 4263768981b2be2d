"""What a job raises to say how it failed, and which failures are worth another attempt."""

import django.db


class TransientError(Exception):
    """A failure that may pass: the job is tried again later, with backoff, up to max_attempts.

    `retry_after` (seconds) overrides the backoff for the next attempt, e.g. from a server's
    Retry-After header.
    """

    def __init__(self, reason="", *, retry_after=None):
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentError(Exception):
    """A failure that trying again will not fix. Its message is the reason users are shown."""


# Besides TransientError, the failures of the network and of the database that usually pass.
TRANSIENT_ERRORS = (
    TransientError,
    django.db.OperationalError,
    django.db.InterfaceError,
    ConnectionError,
    TimeoutError,
)


def reason_for(error):
    """Return the sentence users are shown for `error` raised by a job."""
    if isinstance(error, (PermanentError, *TRANSIENT_ERRORS)):
        return str(error) or type(error).__name__
    return f"Unexpected error ({type(error).__name__}); the details are in the admin."
