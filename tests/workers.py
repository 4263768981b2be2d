"""Real worker processes (`manage.py jobs_worker`) and Redis servers, started by the tests.

Fixtures for any test area: a conftest imports the ones it uses,
`from tests.workers import redis_server, start_worker, worker_env  # noqa: F401`.

Workers see only committed rows, so tests that use them run with `transactional_db`. Their
clocks are short: a tick every 0.1 s and a 3-second lease, so a lost worker is noticed quickly.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from jobs.models import Job

ROOT = Path(__file__).resolve().parents[1]
LEASE_SECONDS = 3


def database_url():
    """The URL of the database this test uses (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = db["HOST"] if not db["HOST"].startswith("/") else ""
    query = f"?host={quote(db['HOST'])}" if db["HOST"].startswith("/") else ""
    return f"postgres://{credentials}@{host}:{db['PORT']}/{quote(db['NAME'])}{query}"


class Worker:
    """One `manage.py jobs_worker` process, its output in a log file."""

    def __init__(self, env, log):
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "jobs_worker"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        """SIGKILL: the worker dies at once, mid-job, with no chance to clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout=15):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def output(self):
        return self.log.read_text(errors="replace")


@pytest.fixture
def worker_env(transactional_db, tmp_path):
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "JOBS_BACKEND": "database",
        "JOBS_TICK_SECONDS": "0.1",
        "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
        "DB_CONN_MAX_AGE": "0",
    }


@pytest.fixture
def start_worker(worker_env, tmp_path):
    """Start a worker process (stopped after the test); call with env overrides."""
    workers = []

    def start(**env):
        worker = Worker({**worker_env, **env}, tmp_path / f"worker-{len(workers) + 1}.log")
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
        print(f"--- {worker.log.name}\n{worker.output()}")  # shown when the test fails


def wait_for(condition, timeout=30, what="the condition"):
    """Poll `condition` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def finished(job, timeout=30):
    """Wait until `job` is done or failed; return it as it ended."""

    def reload_if_finished():
        job.refresh_from_db()
        return job if job.status in (Job.Status.DONE, Job.Status.FAILED) else None

    return wait_for(reload_if_finished, timeout, f"job {job.pk} ({job.name}) to finish")


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own on a free port; yield its URL."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        wait_for(lambda: _answers(client), timeout=10, what="redis-server to start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _answers(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False
