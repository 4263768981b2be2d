"""A throwaway redis-server (Debian's `redis-server` package) on a free 127.0.0.1 port.

Started by the `redis_server` fixture of tests/conftest.py for the test run, as bin/with-postgres
starts PostgreSQL; tests may stop it to see what the app does without Redis, and start it again
on the same port.
"""

import shutil
import subprocess
import time

import redis

from bench.cluster import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self, timeout=10):
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.directory), "--save", "", "--appendonly", "no",
                # What SECURITY.md asks of a production Redis: counters are never evicted.
                "--maxmemory-policy", "noeviction",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Kill the server, as a crash would: no goodbye to its clients."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def client(self):
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def flush(self):
        self.client().flushall()
