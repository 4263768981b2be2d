"""`make bench`: build or reuse the datasets, serve each with gunicorn, load it with wrk, report.

Settings from the environment: BENCH_CALLS (1,000,000), BENCH_SMALL_CALLS (a tenth of it; 0 to
skip), BENCH_LEADS (20,000), BENCH_SECONDS per measurement (10), BENCH_WARMUP seconds (2),
BENCH_CONNECTIONS (8), BENCH_REPEAT (1; the median run is kept), BENCH_DIR (.bench),
BENCH_NOISE (0.1) and BENCH_RETRIES (1): a measurement during which other processes used more
than that share of the CPUs is taken again, up to that many times, and the quietest is kept.
"""

import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

import orjson
import psycopg

from bench import report
from bench.cluster import SERVER_SETTINGS, Cluster
from bench.load import (
    children,
    children_cpu_seconds,
    cpu_seconds,
    peak_rss_mb,
    reset_peak_rss,
    rss_mb,
    system_busy_seconds,
    wrk,
)
from bench.packages import ensure_installed
from bench.scenarios import SCENARIOS, chosen, depth_scenarios
from bench.serve import WORKERS, Server, ServerError, stop_all

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results" / "latest.json"
PLANS = RESULTS.with_name("latest-plans.txt")
REFERENCES = ("floor", "usual")
SECRET_KEY = secrets.token_urlsafe(50)


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Config:
    calls: int
    small_calls: int
    leads: int
    seconds: int
    warmup: int
    connections: int
    repeat: int
    noise: float
    retries: int
    root: str

    @classmethod
    def from_env(cls):
        calls = int(os.environ.get("BENCH_CALLS", 1_000_000))
        return cls(
            calls=calls,
            small_calls=int(os.environ.get("BENCH_SMALL_CALLS", calls // 10)),
            leads=int(os.environ.get("BENCH_LEADS", 20_000)),
            seconds=int(os.environ.get("BENCH_SECONDS", 10)),
            warmup=int(os.environ.get("BENCH_WARMUP", 2)),
            connections=int(os.environ.get("BENCH_CONNECTIONS", 8)),
            repeat=max(1, int(os.environ.get("BENCH_REPEAT", 1))),
            noise=float(os.environ.get("BENCH_NOISE", 0.1)),
            retries=int(os.environ.get("BENCH_RETRIES", 1)),
            root=os.environ.get("BENCH_DIR", str(BASE_DIR / ".bench")),
        )

    @property
    def sizes(self):
        return sorted({size for size in (self.small_calls, self.calls) if size > 0})


def main():
    config = Config.from_env()
    ensure_installed()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = Cluster(config.root)
    started = time.monotonic()
    try:
        cluster.start()
        log(f"PostgreSQL on 127.0.0.1:{cluster.port}, data in {cluster.data}")
        collation = cluster.setting("lc_collate")
        collect_static(config)
        sizes = [bench_size(cluster, config, calls) for calls in config.sizes]
    finally:
        stop_all()
        cluster.stop()
    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds_total": round(time.monotonic() - started),
        "config": asdict(config) | {"workers": WORKERS, "wrk_threads": 1},
        "machine": machine(),
        "postgres_settings": SERVER_SETTINGS | {"lc_collate": collation},
        "sizes": sizes,
    }
    result["targets"] = report.targets(result)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    PLANS.write_text(plans(config))
    print(report.render(result))
    log(f"wrote {RESULTS.relative_to(BASE_DIR)} and {PLANS.relative_to(BASE_DIR)}")


def plans(config):
    """Return the SQL and EXPLAIN ANALYZE of each scenario's data queries, per size."""
    parts = []
    for calls in config.sizes:
        checks = orjson.loads((Path(config.root) / f"prepare-{calls}.json").read_bytes())["checks"]
        for name, targets in checks.items():
            for target, check in targets.items():
                for plan in check.get("plans", []):
                    parts.append(
                        f"== {calls:,} calls, {name}, {target}\n{plan['sql']}\n\n{plan['plan']}\n"
                    )
    return "\n".join(parts)


def collect_static(config):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR, env=django_env(config, url="sqlite:///:memory:"), check=True,
    )  # fmt: skip


def django_env(config, url, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "closecalls.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,  # one for the run: the rep's session is signed with it
        "STATIC_ROOT": str(Path(config.root) / "static"),
        # Plain HTTP on 127.0.0.1, as behind a proxy that terminates TLS and redirects itself.
        "SECURE_SSL_REDIRECT": "0",
        # The per-key limit still counts every request, but never refuses one of the load.
        "API_RATE_LIMIT": "1000000/s",
        **extra,
    }


def serving_env(config, url, prepared):
    """The environment of the servers under load: as in production, on 127.0.0.1."""
    return django_env(
        config, url,
        ALLOWED_HOSTS="127.0.0.1", DB_CONN_MAX_AGE="600",
        BENCH_ORGANIZATION_ID=prepared["fixtures"]["organization_id"],
    )  # fmt: skip


def bench_size(cluster, config, calls):
    database = f"bench_{calls}"
    cluster.ensure_database(database)
    url = cluster.url(database)
    if not dataset_present(url, calls, config.leads):
        check_disk(cluster, calls)
    log(f"{calls:,} calls: preparing {database} (building it takes minutes at 1M calls)")
    prepared = prepare(config, url, calls)
    dataset = prepared["dataset"]
    log(f"{calls:,} calls: dataset {'reused' if dataset['reused'] else 'built'} in "
        f"{dataset['seconds']}s")  # fmt: skip
    prewarm(url)
    env = serving_env(config, url, prepared)
    logs = Path(config.root) / "logs" / str(calls)
    servers = {
        "closecalls": Server("closecalls", "closecalls.wsgi:application", env, logs),
        "floor": Server("floor", "bench.floor:application", env, logs),
        "usual": Server(
            "usual",
            "closecalls.wsgi:application",
            {**env, "DJANGO_SETTINGS_MODULE": "bench.usual_settings"},
            logs,
        ),
    }
    failures = {}
    for name, server in servers.items():
        try:
            server.start()
        except ServerError as error:
            failures[name] = str(error)
            log(f"{name} server failed to start:\n{error}")
    try:
        bench = SizeBench(config, cluster, prepared, servers, failures)
        return bench.run()
    finally:
        for server in servers.values():
            server.stop()


def dataset_present(url, calls, leads):
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('bench_dataset')").fetchone()[0] is None:
            return False
        return (
            conn.execute(
                "SELECT 1 FROM bench_dataset WHERE calls = %s AND leads = %s", [calls, leads]
            ).fetchone()
            is not None
        )


def check_disk(cluster, calls):
    """Refuse to start a load that would fill the disk: about 5 KB per call, WAL included."""
    free = shutil.disk_usage(cluster.home).free
    needed = calls * 5_000 + 1_000_000_000
    if free < needed:
        raise SystemExit(
            f"bench: {free / 1e9:.1f} GB free in {cluster.home}, a {calls:,}-call dataset needs "
            f"about {needed / 1e9:.1f} GB"
        )


def prepare(config, url, calls):
    out = Path(config.root) / f"prepare-{calls}.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "prepare", str(calls), str(config.leads), str(out)],
        cwd=BASE_DIR, env=django_env(config, url, ALLOWED_HOSTS="testserver"),
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"bench: preparing the {calls:,}-call database failed (see above)")
    return orjson.loads(out.read_bytes())


def prewarm(url):
    """Load the database into shared buffers: the numbers are for a warm cache."""
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except psycopg.Error:
            return
        conn.execute(
            """SELECT pg_prewarm(c.oid) FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'i', 't') AND n.nspname IN ('public', 'pg_toast')"""
        )


class SizeBench:
    """The measurements at one dataset size."""

    def __init__(self, config, cluster, prepared, servers, failures):
        self.config = config
        self.cluster = cluster
        self.prepared = prepared
        self.fixtures = prepared["fixtures"]
        self.servers = servers
        self.failures = failures

    def run(self):
        calls = self.prepared["calls"]
        reads = [s for s in chosen()[0] if not s.writes]
        writes = [s for s in chosen()[0] if s.writes]
        depths = depth_scenarios(self.fixtures["organization_calls"])
        samples, rss_after_first = {}, {}
        for batch in (reads + depths, writes):  # writes last: they add calls to the sink lead
            for _ in range(self.config.repeat):
                for scenario in batch:
                    for target in self.targets(scenario):
                        log(f"{calls:,} calls: {scenario.name} on {target}")
                        measured = self.measure_quietly(scenario, target)
                        samples.setdefault((scenario.name, target), []).append(measured)
                        rss_after_first.setdefault(target, rss_mb(self.servers[target].workers()))
        served = dict.fromkeys(self.servers, 0)
        for (_, target), runs in samples.items():
            served[target] += sum(run.get("requests", 0) for run in runs)
        scenarios = {}
        for scenario in reads + writes + depths:
            scenarios[scenario.name] = {
                "title": scenario.title,
                "method": scenario.method,
                "path": scenario.path,
                "indexed": scenario.indexed,
                "growth_limit": scenario.growth_limit,
                "queries": scenario.queries,
                "depth": scenario in depths,
                "targets": {
                    target: median_run(samples[scenario.name, target])
                    for target in self.targets(scenario)
                },
            }
        return {
            "calls": calls,
            "leads": self.prepared["leads"],
            "organization_calls": self.fixtures["organization_calls"],
            "dataset": self.prepared["dataset"],
            "server_failures": self.failures,
            "same_json": self.compare_json(),
            "worker_rss_mb": {
                "after_first_measurement": rss_after_first,
                "at_end": {name: rss_mb(server.workers()) for name, server in self.servers.items()},
                "measured_requests": served,
            },
            "scenarios": scenarios,
        }

    def targets(self, scenario):
        return ["closecalls", *REFERENCES] if scenario.references else ["closecalls"]

    def check(self, scenario, target):
        if target == "floor":
            return {"queries": 1, "counts": 0}
        return self.prepared["checks"][scenario.name][target]

    def headers(self, scenario):
        admin = "admin_" if scenario.auth.startswith("admin_") else ""
        if scenario.auth.endswith("api"):
            return {"authorization": self.prepared[f"{admin}authorization"]}
        return {"cookie": self.prepared[f"{admin}cookie"]}

    def measure_quietly(self, scenario, target):
        """Measure; while other work took over BENCH_NOISE of the CPUs, retry, keep the quietest."""
        runs = [self.measure(scenario, target)]
        while (
            runs[-1].get("other_cpu_share", 0) > self.config.noise
            and len(runs) <= self.config.retries
        ):
            log(f"  other processes used {runs[-1]['other_cpu_share']:.0%} of the CPUs; again")
            runs.append(self.measure(scenario, target))
        quietest = min(runs, key=lambda run: run.get("other_cpu_share", 0))
        return {**quietest, "attempts": len(runs)} if len(runs) > 1 else quietest

    def measure(self, scenario, target):
        """Measure `scenario` on `target`; a failure is reported in "status", never raised."""
        if target in self.failures:
            return {"status": "server failed: " + last_line(self.failures[target])}
        try:
            return self._measure(scenario, target)
        except (OSError, subprocess.SubprocessError, RuntimeError) as error:
            log(f"  failed: {error}")
            process = self.servers[target].process
            if process is None or process.poll() is not None:
                self.failures[target] = self.servers[target].log_tail()
            return {"status": f"failed: {last_line(str(error))[:200]}"}

    def _measure(self, scenario, target):
        server = self.servers[target]
        check = self.check(scenario, target)
        if check.get("status") == "missing":
            return {"status": "missing"}
        path = scenario.url(self.fixtures)
        body = scenario.json_body(self.fixtures)
        status, content = fetch(server.url(path), scenario.method, body, **self.headers(scenario))
        if not 200 <= status < 300:
            log(f"  HTTP {status}: {content[:300]!r}")
            return {"status": f"HTTP {status}", "queries": check.get("queries")}
        request = {"method": scenario.method, "body": body, **self.headers(scenario)}
        wrk(server.url(path), seconds=self.config.warmup, connections=1, **request)
        workers = server.workers()
        postgres = children(self.cluster.postmaster_pid())
        reset_peak_rss(workers)
        before = cpu_seconds(workers), cpu_seconds(postgres), children_cpu_seconds()
        busy_before = system_busy_seconds()
        result = wrk(
            server.url(path),
            seconds=self.config.seconds,
            connections=self.config.connections,
            **request,
        )
        busy = system_busy_seconds() - busy_before
        app_cpu, pg_cpu, wrk_cpu = (
            after - start
            for after, start in zip(
                (cpu_seconds(workers), cpu_seconds(postgres), children_cpu_seconds()),
                before,
                strict=True,
            )
        )
        elapsed = result["duration_us"] / 1e6
        other = max(busy - app_cpu - pg_cpu - wrk_cpu, 0) / (elapsed * os.cpu_count())
        requests = max(result["requests"], 1)
        errors = sum(result["errors"].values())
        status = "ok" if errors == 0 else f"{errors} errors"
        expected = check.get("bytes")
        if expected and abs(len(content) - expected) > expected / 10:
            status = f"answer of {len(content)} bytes, {expected} through the test client"
        return {
            "status": status,
            "requests": result["requests"],
            "rps": round(result["requests"] / (result["duration_us"] / 1e6), 1),
            "p50_ms": round(result["latency_us"]["p50"] / 1000, 2),
            "p99_ms": round(result["latency_us"]["p99"] / 1000, 2),
            "errors": result["errors"],
            "response_bytes": len(content),
            "queries": check.get("queries"),
            "counts": check.get("counts"),
            "compared_queries": check.get("compared_queries"),
            "peak_rss_mb": peak_rss_mb(workers),
            "app_cpu_ms": round(app_cpu * 1000 / requests, 3),
            "pg_cpu_ms": round(pg_cpu * 1000 / requests, 3),
            "wrk_cpu_ms": round(wrk_cpu * 1000 / requests, 3),
            "other_cpu_share": round(other, 2),
        }

    def compare_json(self):
        """Check that the references answer the first scenario with the product's data."""
        scenario = SCENARIOS[0]
        if scenario.name not in self.prepared["checks"]:
            return {"status": f"{scenario.name} not run (BENCH_SCENARIOS)"}
        if self.prepared["checks"][scenario.name]["closecalls"].get("status") == "missing":
            return {"status": "closecalls route missing"}
        path = scenario.url(self.fixtures)
        headers = self.headers(scenario)
        answers = {}
        for target in ("closecalls", *REFERENCES):
            if target in self.failures:
                return {"status": f"{target} failed to start"}
            try:
                status, content = fetch(self.servers[target].url(path), "GET", None, **headers)
            except OSError as error:
                return {"status": f"{target} failed: {error}"}
            if status != 200:
                return {"status": f"{target} answered HTTP {status}"}
            answers[target] = orjson.loads(content)
        product = answers["closecalls"]["data"]
        return {
            "floor": compare_rows(product, answers["floor"]["data"]),
            "usual": compare_rows(product, answers["usual"]["results"]),
        }


def last_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def compare_rows(product, reference):
    """Return the keys and, per key, the first pair of values where the two lists differ."""
    keys = set(product[0]) if product else set()
    reference_keys = set(reference[0]) if reference else set()
    differing = {}
    for ours, theirs in zip(product, reference, strict=False):
        for key in sorted(keys & reference_keys):
            if key not in differing and ours[key] != theirs[key]:
                differing[key] = [ours[key], theirs[key]]
    return {
        "rows": [len(product), len(reference)],
        "missing_keys": sorted(keys - reference_keys),
        "extra_keys": sorted(reference_keys - keys),
        "differing_values": differing,
    }


def fetch(url, method, body, authorization="", cookie=""):
    headers = {"Authorization": authorization} if authorization else {"Cookie": cookie}
    data = None
    if body is not None:
        data = orjson.dumps(body)
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with NO_REDIRECTS.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class NotFollowingRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own: wrk would not follow it either."""

    def redirect_request(self, *args, **kwargs):
        return None


NO_REDIRECTS = urllib.request.build_opener(NotFollowingRedirects)


def median_run(runs):
    measured = [run for run in runs if "rps" in run]
    if not measured:
        return runs[0]
    chosen = sorted(measured, key=lambda run: run["rps"])[len(measured) // 2]
    if len(measured) > 1:
        chosen = {**chosen, "rps_runs": [run["rps"] for run in measured]}
    return chosen


def machine():
    with open("/proc/meminfo") as meminfo:
        memory_kb = int(meminfo.readline().split()[1])
    versions = {}
    for name, command in {
        "wrk": ["wrk", "-v"],
        "postgres": [str(Cluster("").bin / "postgres"), "--version"],
    }.items():
        output = subprocess.run(command, capture_output=True, text=True)
        versions[name] = (output.stdout or output.stderr).splitlines()[0].strip()
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        **versions,
    }
