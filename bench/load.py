"""Drive a server with wrk, and read its processes' CPU time and peak memory from /proc."""

import contextlib
import os
import resource
import subprocess
from pathlib import Path

import orjson

WRK_SCRIPT = Path(__file__).with_name("wrk.lua")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def wrk(url, *, seconds, connections, method="GET", body=None, authorization="", cookie=""):
    """Run wrk (1 thread) against `url`; return its summary (latencies in microseconds)."""
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_BODY": orjson.dumps(body).decode() if body is not None else "",
        "BENCH_AUTHORIZATION": authorization,
        "BENCH_COOKIE": cookie,
    }
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(WRK_SCRIPT), url],
        env=env, capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return orjson.loads(line.removeprefix("BENCH_RESULT "))
    raise RuntimeError(f"wrk printed no result:\n{result.stdout}\n{result.stderr}")


def system_busy_seconds():
    """Return the CPU time all processes of the machine have used, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS_PER_SECOND


def children_cpu_seconds():
    """Return the CPU time of this process's finished children (wrk among them)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pids):
    """Return the user + system CPU time the processes `pids` have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS_PER_SECOND


def status_kb(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss(pids):
    """Start the processes' peak RSS (VmHWM) again from their current RSS, where allowed."""
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def peak_rss_mb(pids):
    return round(max((status_kb(pid, "VmHWM") for pid in pids), default=0) / 1024, 1)


def rss_mb(pids):
    return round(max((status_kb(pid, "VmRSS") for pid in pids), default=0) / 1024, 1)
