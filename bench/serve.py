"""Gunicorn servers for the benchmark, on free 127.0.0.1 ports, each in its own process group.

Every started server is stopped at exit, however the run ends.
"""

import atexit
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.cluster import free_port
from bench.load import children

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS = 2
_running = set()


class ServerError(Exception):
    pass


class Server:
    def __init__(self, name, app, env, log_dir):
        self.name = name
        self.app = app
        self.env = env
        self.log = Path(log_dir) / f"gunicorn-{name}.log"
        self.process = None
        self.port = None

    def start(self, timeout=60):
        self.port = free_port()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "w")  # noqa: SIM115 handed to the child
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", self.app,
                "--workers", str(WORKERS), "--worker-class", "sync",
                "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "120", "--graceful-timeout", "5", "--log-level", "warning",
            ],
            env=self.env, cwd=BASE_DIR, stdout=log, stderr=log, start_new_session=True,
        )  # fmt: skip
        log.close()
        _running.add(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise ServerError(f"{self.name} exited:\n{self.log_tail()}")
            if len(self.workers()) == WORKERS and answers(self.url("/")):
                return self
            time.sleep(0.2)
        self.stop()
        raise ServerError(f"{self.name} did not start in {timeout}s:\n{self.log_tail()}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self):
        return children(self.process.pid) if self.process else []

    def stop(self):
        if self.process is None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        _running.discard(self)
        self.process = None

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def answers(url):
    """Return whether a worker answers HTTP at `url`, whatever the status: the app loaded."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@atexit.register
def stop_all():
    for server in list(_running):
        server.stop()
