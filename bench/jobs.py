"""`python -m bench.jobs`: no-op jobs per second through one worker, for each jobs backend.

For each backend (database: django-tasks-db on the benchmark's PostgreSQL; rq: django-tasks-rq
on a redis-server started for the run), BENCH_JOBS no-op jobs (2,000) are enqueued one by one,
each in its own transaction as a request would, then one `manage.py jobs_worker` runs them.
Throughput is the jobs divided by the time from the first job's start to the last one's end;
CPU is the worker's own per job. The database is `bench_jobs` in the cluster of `make bench`
(kept in BENCH_DIR, .bench/); results go to bench/results/jobs.json.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import orjson
import psycopg

from bench.cluster import Cluster, free_port
from bench.load import cpu_seconds
from bench.runner import BASE_DIR, Config, django_env, log, machine

RESULTS = BASE_DIR / "bench" / "results" / "jobs.json"
DATABASE = "bench_jobs"


def main():
    config = Config.from_env()
    count = int(os.environ.get("BENCH_JOBS", 2000))
    if shutil.which("redis-server") is None:
        raise SystemExit("bench: redis-server is not installed (apt-get install -y redis-server)")
    cluster = Cluster(config.root)
    redis = None
    try:
        cluster.start()
        log(f"PostgreSQL on 127.0.0.1:{cluster.port}")
        cluster.ensure_database(DATABASE)
        redis_port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        env = django_env(
            config, cluster.url(DATABASE), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"
        )
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        url = cluster.url(DATABASE)
        results = [measure_backend(env, url, backend, count) for backend in ("database", "rq")]
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        cluster.stop()
    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "jobs": count,
        "machine": machine(),
        "backends": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    print(render(result))
    log(f"wrote {RESULTS.relative_to(BASE_DIR)}")


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, **kwargs
    )


def measure_backend(env, url, backend, count):
    env = {**env, "JOBS_BACKEND": backend}
    log(f"{backend}: enqueueing {count:,} no-op jobs")
    enqueued = orjson.loads(
        manage(
            env, "shell", "-v", "0", "-c", ENQUEUE.format(count=count), capture_output=True
        ).stdout
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        log(f"{backend}: one worker running them")
        with psycopg.connect(url, autocommit=True) as connection:
            while connection.execute(LEFT).fetchone()[0]:
                time.sleep(0.5)
            seconds = connection.execute(SPAN).fetchone()[0]
        worker_cpu = cpu_seconds([worker.pid])
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    return {
        "backend": backend,
        "load_average_1min": round(os.getloadavg()[0], 1),
        "jobs": count,
        "enqueued_per_second": round(count / enqueued["seconds"]),
        "run_seconds": round(seconds, 2),
        "jobs_per_second": round(count / seconds),
        "worker_cpu_ms_per_job": round(worker_cpu / count * 1000, 2),
    }


# Run in `manage.py shell -c` with the backend's environment; each prints one JSON value.
ENQUEUE = """
import time, orjson
from django_tasks_db.models import DBTaskResult
from bench.noop import noop
from jobs.models import Job
Job.objects.all().delete(); DBTaskResult.objects.all().delete()
started = time.perf_counter()
for _ in range({count}):
    noop.enqueue()
print(orjson.dumps({{"seconds": time.perf_counter() - started}}).decode())
"""
LEFT = "SELECT count(*) FROM jobs_job WHERE name = 'bench.noop.noop' AND status <> 'done'"
SPAN = """
SELECT extract(epoch FROM max(finished_at) - min(started_at))::float
FROM jobs_job WHERE name = 'bench.noop.noop'
"""


def render(result):
    cpus = result["machine"]["cpus"]
    lines = [
        f"No-op jobs through one worker ({result['jobs']:,} jobs, {cpus} CPUs)",
        "",
        "| backend | enqueued/s | run/s | worker CPU per job | machine load (1 min) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result["backends"]:
        lines.append(
            f"| {row['backend']} | {row['enqueued_per_second']:,} | {row['jobs_per_second']:,} "
            f"| {row['worker_cpu_ms_per_job']} ms | {row['load_average_1min']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
