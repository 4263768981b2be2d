"""The benchmark's own PostgreSQL cluster, kept between runs under `.bench/pg/`.

Each run starts it on a free 127.0.0.1 port and stops it at the end, so the datasets (one
database per size) survive and are reused. When run as root, PostgreSQL runs as `postgres`;
when that user cannot enter `.bench/` (a checkout in a home directory of mode 700), the cluster
lives in /var/tmp instead.
"""

import fcntl
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
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


def postgres_bin():
    """The newest installed PostgreSQL's server programs (PG_BIN to choose), or None."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return installed[-1].parent if installed else None


class Cluster:
    def __init__(self, root):
        self.root = Path(root)
        self.bin = postgres_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self._place(self.root / "pg")
        self.port = None
        self._lock = None

    def _place(self, home):
        self.home = Path(home)
        self.data = self.home / "data"
        self.log = self.home / "server.log"

    def _postgres_can_enter(self, path):
        if not self.as_postgres:
            return True
        entering = subprocess.run([*self.as_postgres, "test", "-x", str(path)], cwd="/")
        return entering.returncode == 0

    def _place_where_postgres_can_enter(self):
        """Move the cluster to /var/tmp when `postgres` cannot enter the root (a mode 700 home).

        The directory's name comes from the root's path, so each checkout keeps its own cluster
        between runs. /var/tmp is writable by anyone: an existing directory is used only if it
        is postgres's own, not a link.
        """
        if self._postgres_can_enter(self.root):
            return
        digest = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:12]
        home = Path("/var/tmp") / f"closecalls-bench-{digest}"
        try:
            home.mkdir(mode=0o700)
            shutil.chown(home, "postgres", "postgres")
        except FileExistsError:
            status = home.lstat()
            if (
                not home.is_dir()
                or home.is_symlink()
                or status.st_uid != pwd.getpwnam("postgres").pw_uid
            ):
                raise SystemExit(
                    f"bench: {home} exists but is not a directory of the postgres user: "
                    "remove it, or set BENCH_DIR to a directory the postgres user can enter"
                ) from None
        print(
            f"bench: the postgres user cannot enter {self.root}, so the cluster lives in {home}",
            file=sys.stderr,
        )
        self._place(home)

    def _run(self, *args, **kwargs):
        # From /, which postgres can enter whatever directory `make bench` was started in.
        return subprocess.run([*self.as_postgres, *args], check=True, cwd="/", **kwargs)

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.root / "lock", "w")  # noqa: SIM115 held for the run
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(f"bench: another run holds {self.root / 'lock'}") from None
        self._place_where_postgres_can_enter()
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
        shutil.rmtree(self.data, ignore_errors=True)
        self.home.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.home, "postgres", "postgres")
        try:
            self._run(
                str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                "-E", "UTF8",  # the locale is the environment's, as for a packaged cluster
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        except subprocess.CalledProcessError:
            raise SystemExit(f"bench: initdb could not create {self.data} (see above)") from None

    def _running(self):
        status = subprocess.run(
            [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            cwd="/",
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
