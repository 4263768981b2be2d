"""Jobs the tests enqueue. Each leaves its trace in a file the test reads, one line per run."""

import os
import time
from pathlib import Path

from jobs import PermanentError, TransientError, job


def _log(path, *words):
    with Path(path).open("a") as log:
        log.write(" ".join(str(word) for word in (time.time(), os.getpid(), *words)) + "\n")


def runs(path):
    """Return the lines the jobs wrote to `path`, split into (time, pid, *words)."""
    if not Path(path).exists():
        return []
    return [line.split() for line in Path(path).read_text().splitlines()]


@job
def record(path, label):
    _log(path, label)


@job(max_attempts=4, backoff=0.5)
def flaky(path, failures):
    """Fail with a transient error `failures` times, then succeed."""
    _log(path, "attempt")
    if len(runs(path)) <= failures:
        raise TransientError("the line is busy")


@job
def refuse(path):
    _log(path, "refused")
    raise PermanentError("the audio is empty")


@job
def crash(path):
    _log(path, "crashed")
    raise ValueError("/secret/path/that/users/must/not/see")


@job
def slow(path, seconds):
    """Log a start, sleep, log an end."""
    _log(path, "start")
    time.sleep(seconds)
    _log(path, "end")
