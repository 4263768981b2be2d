"""How other apps read a job's state by its key, to show it on their pages."""


def latest_job(key):
    """Return the newest job enqueued with `key`, or None.

    Its `status` is queued, running, done or failed; `reason` says why the last attempt failed
    (on a failed job, or a queued one that `is_retrying`); `attempts` and `max_attempts` count.
    """
    return latest_jobs([key]).get(key)


def latest_jobs(keys):
    """Return {key: newest job with that key} for many keys in one query (keys without a job
    are left out)."""
    from jobs.models import Job

    return Job.objects.latest_by_key(keys)
