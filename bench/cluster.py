"""The benchmark's own PostgreSQL cluster, kept between runs under `.bench/pg/`.

Each run starts it on a free 127.0.0.1 port and stops it at the end, so the datasets (one
database per size) survive and are reused. When run as root, PostgreSQL runs as `postgres`.
"""

import fcntl
import os
import shutil
import socket
import subprocess
from pathlib import Path

import psycopg


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shared_buffers():
    """A quarter of the machine's memory, at most 4 GB: enough for both datasets here."""
    with open("/proc/meminfo") as meminfo:
        total_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    return f"{min(total_kb // 4 // 1024, 4096)}MB"


SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "shared_buffers": os.environ.get("BENCH_PG_SHARED_BUFFERS") or shared_buffers(),
    "effective_cache_size": "4GB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "2GB",
    "checkpoint_timeout": "30min",
    # A throwaway cluster: durability costs nothing here. POST numbers exclude the WAL flush.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    # JIT compiles plans of "expensive" queries (deep OFFSETs) for milliseconds; off, as most
    # OLTP deployments do.
    "jit": "off",
}


class Cluster:
    def __init__(self, root):
        self.root = Path(root)
        self.home = self.root / "pg"
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        self.bin = Path(
            os.environ.get("PG_BIN")
            or sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)[-1]
        )
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.port = None
        self._lock = None

    def _run(self, *args, **kwargs):
        return subprocess.run([*self.as_postgres, *args], check=True, **kwargs)

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.root / "lock", "w")  # noqa: SIM115 held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"bench: another run holds {self.root / 'lock'}") from None
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        if self._running():  # left over by a run that was killed
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        self.port = free_port()
        options = " ".join(f"-c {k}='{v}'" for k, v in SERVER_SETTINGS.items())
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
            "-o", f"-p {self.port} {options}", "start",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self):
        if self.port is not None and self._running():
            self._run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop",
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        self.port = None

    def _initdb(self):
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.home, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8",  # the locale is the environment's, as for a packaged cluster
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def _running(self):
        status = subprocess.run(
            [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
        )
        return status.returncode == 0

    def postmaster_pid(self):
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, database="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def setting(self, name):
        with psycopg.connect(self.url(), autocommit=True) as conn:
            return conn.execute(f"SHOW {name}").fetchone()[0]

    def ensure_database(self, name):
        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
