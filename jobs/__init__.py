"""Background jobs: Django's tasks API (django-tasks) plus retries, reasons, keys and leases.

    from jobs import job, latest_job, PermanentError, TransientError

See jobs/definitions.py for `@job` and enqueueing, and README.md "Background jobs".
"""

from jobs.definitions import job
from jobs.errors import PermanentError, TransientError
from jobs.state import latest_job, latest_jobs

__all__ = ["job", "latest_job", "latest_jobs", "PermanentError", "TransientError"]
