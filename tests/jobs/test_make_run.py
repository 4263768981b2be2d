"""`make run` (the SQLite quick start) runs a jobs worker beside the server; Ctrl-C stops both."""

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.jobs.sample_jobs import runs
from tests.workers import ROOT, wait_for


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_processes(session_id):
    """Return {pid: command line} of the live processes in session `session_id`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            state, session = fields[0], int(fields[3])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError):
            continue  # gone meanwhile
        if session == session_id and state != "Z":
            found[int(entry.name)] = command
    return found


def serves(url):
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # an answer all the same
    except OSError:
        return False


def test_make_run_runs_jobs_beside_the_server_and_ctrl_c_stops_both(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    # -o: the virtualenv counts as installed, as it is for the test run itself.
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "make.log").open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own terminal-like process group, for the Ctrl-C below
    )
    try:
        wait_for(lambda: serves(f"http://127.0.0.1:{port}/"), 240, "the server")
        log = tmp_path / "runs.log"
        enqueue = (
            "from tests.jobs.sample_jobs import record; "
            f"record.enqueue(path={str(log)!r}, label='quick-start')"
        )
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True
        )
        # A machine loaded several times over can take more than a minute to start the worker.
        wait_for(lambda: runs(log), 180, "the worker to run the job")

        os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        make.wait(30)
        wait_for(lambda: not session_processes(make.pid), 30, "every process to stop")
    finally:
        left = session_processes(make.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        print((tmp_path / "make.log").read_text(errors="replace"))

    assert [line[2] for line in runs(log)] == ["quick-start"]
    assert left == {}
