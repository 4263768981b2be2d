"""A soak run: does a worker's memory grow under a long, mixed load?

`python -m bench.soak` (after `make bench` has built the datasets) serves the largest dataset
with the benchmark's gunicorn settings and loads it for BENCH_SOAK_SECONDS (default 300) in
rounds of the hot scenarios: one lead's calls, the newest 100, a lead page, a call created.
After each round it prints the workers' resident memory; the last rounds should be flat.
"""

import os
import time
from pathlib import Path

import orjson

from bench.cluster import Cluster
from bench.load import rss_mb, wrk
from bench.runner import Config, collect_static, django_env, log
from bench.serve import Server, stop_all

ROUND_SECONDS = 15


def main():
    config = Config.from_env()
    seconds = int(os.environ.get("BENCH_SOAK_SECONDS", 300))
    prepared = orjson.loads((Path(config.root) / f"prepare-{config.calls}.json").read_bytes())
    fixtures = prepared["fixtures"]
    cluster = Cluster(config.root)
    try:
        cluster.start()
        collect_static(config)
        env = django_env(
            config, cluster.url(f"bench_{config.calls}"),
            ALLOWED_HOSTS="127.0.0.1", DB_CONN_MAX_AGE="600",
        )  # fmt: skip
        server = Server("soak", "closecalls.wsgi:application", env, Path(config.root) / "logs")
        server.start()
        rounds = [
            (f"/api/v1/activity/call/?lead_id={fixtures['hot_lead_id']}", "GET", None),
            ("/api/v1/activity/call/?_limit=100", "GET", None),
            (f"/leads/{fixtures['hot_lead_id']}/", "GET", None),
            (
                "/api/v1/activity/call/",
                "POST",
                {"lead_id": fixtures["sink_lead_id"], "note_html": "<p>Soak <b>test</b></p>"},
            ),
        ]
        deadline = time.monotonic() + seconds
        requests = 0
        log(f"worker RSS at start: {rss_mb(server.workers())} MB")
        while time.monotonic() < deadline:
            for path, method, body in rounds:
                result = wrk(
                    server.url(path),
                    seconds=ROUND_SECONDS,
                    connections=config.connections,
                    method=method,
                    body=body,
                    authorization=prepared["authorization"],
                    cookie=prepared["cookie"],
                )
                requests += result["requests"]
            log(f"{requests:>8,} requests: worker RSS {rss_mb(server.workers())} MB")
    finally:
        stop_all()
        cluster.stop()


if __name__ == "__main__":
    main()
