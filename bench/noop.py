"""The job `python -m bench.jobs` enqueues: it does nothing, so the jobs system is measured."""

from jobs import job


@job
def noop():
    pass
