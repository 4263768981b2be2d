"""`python -m bench.profile`: where a request's CPU goes, sampled under the benchmark's load.

It uses the benchmark's cluster and dataset (BENCH_CALLS, default 100,000 here; the dataset is
built on first use as `make bench` builds it), serves closecalls with gunicorn as `make bench`
does, loads each profiled scenario with wrk for BENCH_SECONDS and samples both workers with
py-spy meanwhile. Each sample's stack is put in one part of the request (`part()` below), and
each part's share of the samples, times the workers' CPU per request measured from /proc in
the same run, gives its milliseconds per request.

BENCH_PROFILE (default: the API lists, the two pages and the POST) names the scenarios. It
prints a table in Markdown and the functions that used the most CPU themselves, and writes
`bench/results/profile.json`; each scenario's folded stacks are in BENCH_DIR/profile/, for a
flame graph.
"""

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

import orjson

from bench.cluster import Cluster
from bench.load import cpu_seconds, wrk
from bench.runner import BASE_DIR, Config, collect_static, log, prepare, prewarm, serving_env
from bench.scenarios import SCENARIOS
from bench.serve import Server, stop_all

RESULTS = BASE_DIR / "bench" / "results" / "profile.json"
DEFAULT_SCENARIOS = "lead_calls,org_newest,rep_range,lead_page,transcript_page,create_call"
SAMPLES_PER_SECOND = 250

PARTS = [
    "server",  # gunicorn, Django's handler, URL resolving, the response object
    "middleware",
    "authentication",  # the API key or the session, the membership, the permissions
    "DRF",  # dispatch, content negotiation, request parsing, serializers, exception handling
    "view",  # the app's own code that is none of the parts below (forms, services, rules)
    "query building",  # querysets, filters, compiling SQL (also when iterating starts it)
    "database",  # psycopg: sending the query and reading the rows (waiting is not CPU)
    "row shaping",  # Django's row iteration and converters, model instances, API objects
    "rendering",  # JSON, templates
]
# Parts that keep every deeper frame: the key lookup's query is authentication's cost.
ABSORBING = {"authentication", "rendering"}
# The app's code is "view" only where nothing more specific called it.
VIEW_UNDER = {"server", "middleware", "DRF"}
# Where a process waits: sampled now and then although it uses no CPU there.
IDLE = {"wait_for_signals", "select", "wait", "sleep", "accept", "poll"}

PROJECT_PACKAGES = {
    "accounts", "activities", "api", "closecalls", "core", "demo", "jobs", "leads", "transcription",
}  # fmt: skip
MIDDLEWARE_FILES = (
    "django/middleware/",
    "django/contrib/sessions/middleware.py",
    "django/contrib/messages/middleware.py",
    "django/utils/deprecation.py",  # MiddlewareMixin.__call__
    "whitenoise/middleware.py",
    "closecalls/middleware.py",
    "closecalls/throttling.py",
    "accounts/middleware.py",
    "core/counters.py",
    "django/core/cache/",
)
AUTHENTICATION_FILES = (
    "rest_framework/authentication.py",
    "rest_framework/permissions.py",
    "django/contrib/auth/__init__.py",
    "django/contrib/auth/backends.py",
    "django/contrib/auth/middleware.py",
    "django/contrib/sessions/backends/",
    "accounts/authentication.py",
    "accounts/permissions.py",
    "accounts/tenancy.py",
)
AUTHENTICATION_FUNCTIONS = {"_authenticate", "perform_authentication", "check_permissions"}
RENDERING_FILES = (
    "rest_framework/renderers.py",
    "api/renderers.py",
    "django/template/",
    "django/templatetags/",
    "django/forms/renderers.py",
    "django/forms/boundfield.py",
    "django/forms/widgets.py",
    "jinja2/",
)
RENDERING_FUNCTIONS = {"rendered_content", "render_to_string", "render"}
ROW_SHAPING_FUNCTIONS = {
    "results_iter", "apply_converters", "get_converters", "from_db", "_fetch_all",
    "__iter__", "build", "getter", "<lambda>", "<dictcomp>", "<listcomp>",
}  # fmt: skip
SERVER_FUNCTIONS = {"inner", "_get_response", "get_response"}


def part(frames, current="server"):
    """Return the part of the request a stack (root first) was sampled in.

    Walking from the root, each frame that belongs to a part moves the stack into it, so the
    deepest such frame decides, with two exceptions: authentication and rendering keep all
    that runs within them (the key lookup's query is authentication's), and the app's own code
    is "view" only when called by no more specific part (a converter run while reading rows
    stays row shaping). Django's handler between two middleware brings it back to "server".
    """
    for path, qualified in frames:
        function = qualified.rpartition(".")[2]
        found = frame_part(path, function)
        if found is None:
            continue
        if found == "server" and function in SERVER_FUNCTIONS:
            current = "server"
        elif found in ABSORBING:
            return found
        elif found != "view" or current in VIEW_UNDER:
            current = found
    return current


def frame_part(path, function):  # noqa: PLR0911 one answer per kind of frame
    """Return the part a frame belongs to, or None when it belongs to its caller's part.

    `path` is relative to site-packages or to the project, `function` its last name.
    """
    if path.startswith("django/core/handlers/"):
        return "server"
    if path.startswith(("psycopg/", "django/db/backends/")):
        return "database"
    if function in AUTHENTICATION_FUNCTIONS or path.startswith(AUTHENTICATION_FILES):
        return "authentication"
    if path.startswith(RENDERING_FILES) or "/templatetags/" in path:
        return "rendering"
    if function in RENDERING_FUNCTIONS and path.startswith(("rest_framework/", "django/shortcuts")):
        return "rendering"
    if path.startswith(MIDDLEWARE_FILES):
        return "middleware"
    if path == "django/db/models/sql/compiler.py":
        if function == "execute_sql":
            return "database"
        return "row shaping" if function in ROW_SHAPING_FUNCTIONS else "query building"
    if path == "django/db/models/query.py" and function in ROW_SHAPING_FUNCTIONS:
        return "row shaping"
    if path == "django/db/models/base.py" and function in {"from_db", "__init__"}:
        return "row shaping"
    if path in ("api/representations.py", "core/timestamptz.py"):
        return "row shaping"
    if path.startswith("django/db/models/fields/"):
        return None  # converters while reading rows, values while compiling: the caller's part
    if path.startswith(("django/db/", "django_filters/", "api/lists.py")):
        return "query building"
    if path.startswith("rest_framework/"):
        return "DRF"
    if path.partition("/")[0] in PROJECT_PACKAGES:
        return "view"
    return None


def frame(text):
    """Return (path, function) of one frame of py-spy's output, the path shortened as
    `frame_part` reads it: "Plan.build (/…/api/representations.py:120)" gives
    ("api/representations.py", "Plan.build")."""
    function, _, location = text.partition(" (")
    path = location.rpartition(":")[0]
    if "/site-packages/" in path:
        path = path.rpartition("/site-packages/")[2]
    elif path.startswith(str(BASE_DIR) + "/"):
        path = path.removeprefix(str(BASE_DIR) + "/")
    else:
        path = "python/" + path.rpartition("/")[2]
    return path, function


def parse_folded(text):
    """Yield (frames root first, samples) from py-spy's raw output."""
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            yield [frame(text) for text in stack.split(";") if " (" in text], int(count)


def breakdown(folded):
    """Return ({part: samples}, {function: samples at the top of the stack}, total samples)."""
    parts = collections.Counter()
    leaves = collections.Counter()
    for frames, count in parse_folded(folded):
        path, function = frames[-1]
        if function.rpartition(".")[2] in IDLE:
            continue
        parts[part(frames)] += count
        leaves[f"{function} ({path})"] += count
    return parts, leaves, sum(parts.values())


def profile_scenario(scenario, server, prepared, config, out_dir):
    fixtures = prepared["fixtures"]
    url = server.url(scenario.url(fixtures))
    headers = (
        {"authorization": prepared["authorization"]}
        if scenario.auth == "api"
        else {"cookie": prepared["cookie"]}
    )
    request = {"method": scenario.method, "body": scenario.json_body(fixtures), **headers}
    wrk(url, seconds=config.warmup, connections=1, **request)
    folded = out_dir / f"{scenario.name}.txt"
    sampler = subprocess.Popen(
        [py_spy(), "record",
         "--pid", str(server.process.pid), "--subprocesses", "--function", "--full-filenames",
         "--rate", str(SAMPLES_PER_SECOND), "--format", "raw", "--output", str(folded),
         "--duration", str(config.seconds + 2)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1)  # py-spy attaches
    workers = server.workers()
    before = cpu_seconds(workers)
    result = wrk(url, seconds=config.seconds, connections=config.connections, **request)
    app_ms = (cpu_seconds(workers) - before) * 1000 / max(result["requests"], 1)
    sampler.wait(timeout=60)
    parts, leaves, total = breakdown(folded.read_text())
    return {
        "requests_per_second": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "app_ms": round(app_ms, 3),
        "samples": total,
        "parts_ms": {name: round(app_ms * parts[name] / total, 3) for name in PARTS}
        if total
        else {},
        "parts_share": {name: round(parts[name] / total, 3) for name in PARTS} if total else {},
        "top_functions": [
            {"function": name, "share": round(count / total, 3)}
            for name, count in leaves.most_common(15)
        ],
    }


def py_spy():
    return str(Path(sys.executable).with_name("py-spy"))


def render(results):
    lines = [
        "| scenario | req/s | app ms | " + " | ".join(PARTS) + " |",
        "|---|---:|---:|" + "---:|" * len(PARTS),
    ]
    for name, found in results["scenarios"].items():
        cells = [f"{found['parts_ms'].get(p, 0):.2f}" for p in PARTS]
        lines.append(
            f"| {name} | {found['requests_per_second']:.0f} | {found['app_ms']:.2f} | "
            + " | ".join(cells)
            + " |"
        )
    for name, found in results["scenarios"].items():
        lines += ["", f"{name}: functions using the most CPU themselves"]
        lines += [f"  {top['share']:6.1%}  {top['function']}" for top in found["top_functions"]]
    return "\n".join(lines)


def main():
    os.environ.setdefault("BENCH_CALLS", "100000")
    config = Config.from_env()
    wanted = os.environ.get("BENCH_PROFILE", DEFAULT_SCENARIOS).split(",")
    scenarios = [s for s in SCENARIOS if s.name in wanted]
    out_dir = Path(config.root) / "profile"
    out_dir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(config.root)
    try:
        cluster.start()
        collect_static(config)
        database = f"bench_{config.calls}"
        cluster.ensure_database(database)
        url = cluster.url(database)
        prepared = prepare(config, url, config.calls)
        prewarm(url)
        env = serving_env(config, url, prepared)
        server = Server("closecalls", "closecalls.wsgi:application", env, out_dir).start()
        results = {
            "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "calls": config.calls,
            "seconds": config.seconds,
            "samples_per_second": SAMPLES_PER_SECOND,
            "scenarios": {},
        }
        for scenario in scenarios:
            log(f"profiling {scenario.name}")
            results["scenarios"][scenario.name] = profile_scenario(
                scenario, server, prepared, config, out_dir
            )
    finally:
        stop_all()
        cluster.stop()
    RESULTS.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    print(render(results))


if __name__ == "__main__":
    main()
