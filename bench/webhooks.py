"""`python -m bench.webhooks`: what a webhook subscription costs the request, and deliveries per
second through one worker.

In the cluster of `make bench` (database `bench_webhooks`, a small organization of its own),
gunicorn serves the app and wrk logs calls through the API (`create_call`'s body) for
BENCH_SECONDS, first with no subscription, then with one active subscription to a receiver on
127.0.0.1 (WEBHOOK_ALLOWED_HOSTS) that answers 200. No worker runs meanwhile: the request only
writes the event and queues its delivery. Then one `manage.py jobs_worker` delivers every
queued event; deliveries per second are the deliveries divided by the time from the first
attempt to the last. Results go to bench/results/webhooks.json.
"""

import base64
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import psycopg

from bench.cluster import Cluster
from bench.jobs import manage
from bench.load import cpu_seconds, wrk
from bench.runner import BASE_DIR, Config, collect_static, django_env, log, machine
from bench.serve import Server, stop_all

RESULTS = BASE_DIR / "bench" / "results" / "webhooks.json"
DATABASE = "bench_webhooks"
CALLS = "/api/v1/activity/call/"


class _Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    config = Config.from_env()
    cluster = Cluster(config.root)
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    receiver.daemon_threads = True
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    try:
        cluster.start()
        log(f"PostgreSQL on 127.0.0.1:{cluster.port}")
        cluster.ensure_database(DATABASE)
        url = cluster.url(DATABASE)
        env = django_env(config, url, WEBHOOK_ALLOWED_HOSTS="127.0.0.1")
        collect_static(config)
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        fixtures = shell(env, SEED)
        server = Server("webhooks", "closecalls.wsgi", env, config.root).start()
        authorization = "Basic " + base64.b64encode(f"{fixtures['key']}:".encode()).decode()
        body = {**BODY, "lead_id": fixtures["lead_id"]}

        def create_call(label):
            wrk(server.url(CALLS), seconds=config.warmup, connections=config.connections,
                method="POST", body=body, authorization=authorization)  # fmt: skip
            log(f"create_call {label}: {config.seconds} s of wrk")
            cpu = cpu_seconds(server.workers())
            run = wrk(server.url(CALLS), seconds=config.seconds,
                      connections=config.connections, method="POST", body=body,
                      authorization=authorization)  # fmt: skip
            cpu = cpu_seconds(server.workers()) - cpu
            return summary(run, cpu)

        without = create_call("without a subscription")
        shell(env, SUBSCRIBE.format(organization_id=fixtures["organization_id"], url=hook))
        subscribed = create_call("with one active subscription")
        server.stop()
        delivery = deliver(env, url)
    finally:
        stop_all()
        cluster.stop()
        receiver.shutdown()
    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(),
        "seconds": config.seconds,
        "connections": config.connections,
        "create_call": without,
        "create_call_subscribed": subscribed,
        "delivery": delivery,
    }
    result["ratio"] = {
        key: round(subscribed[key] / without[key], 2)
        for key in ("p50_ms", "server_cpu_ms_per_request")
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    print(render(result))
    log(f"wrote {RESULTS.relative_to(BASE_DIR)}")


def summary(run, cpu):
    return {
        "load_average_1min": round(os.getloadavg()[0], 1),
        "server_cpu_ms_per_request": round(cpu / max(run["requests"], 1) * 1000, 2),
        "requests_per_second": round(run["requests"] / (run["duration_us"] / 1e6), 1),
        "p50_ms": round(run["latency_us"]["p50"] / 1000, 2),
        "p99_ms": round(run["latency_us"]["p99"] / 1000, 2),
        "errors": sum(run["errors"].values()),
    }


def deliver(env, url):
    """Run one worker until every queued event is delivered; return its figures."""
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"], cwd=BASE_DIR, env=env
    )
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            events = connection.execute(EVENTS).fetchone()[0]
            log(f"one worker delivering {events:,} events")
            while connection.execute(LEFT).fetchone()[0]:
                time.sleep(0.5)
            delivered, seconds = connection.execute(SPAN).fetchone()
        worker_cpu = cpu_seconds([worker.pid])
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    return {
        "events": events,
        "delivered": delivered,
        "seconds": round(seconds, 2),
        "deliveries_per_second": round(delivered / seconds, 1),
        "worker_cpu_ms_per_delivery": round(worker_cpu / delivered * 1000, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def shell(env, code):
    out = manage(env, "shell", "-v", "0", "-c", code, capture_output=True).stdout
    return orjson.loads(out) if out.strip() else None


BODY = {
    "direction": "outbound",
    "status": "completed",
    "duration": 312,
    "phone": "+16505550123",
    "note_html": "<p>Asked for <strong>pricing</strong>; call back on Tuesday.</p>",
}

# Run in `manage.py shell -c`; SEED prints the fixtures as JSON.
SEED = """
import orjson
from accounts.models import ApiKey, Membership, Organization, User
from events.models import Event, WebhookSubscription
from jobs.models import Job
from leads.models import Lead
Job.objects.all().delete(); Event.objects.all().delete()
WebhookSubscription.objects.all().delete()
organization, _ = Organization.objects.get_or_create(name="Webhooks bench")
user = User.objects.filter(username="webhooks-bench").first() or User.objects.create_user(
    username="webhooks-bench", password="x", first_name="Bench", last_name="Rep")
membership, _ = Membership.objects.get_or_create(
    user=user, organization=organization, defaults={"role": Membership.Role.ADMIN})
ApiKey.objects.filter(membership=membership).delete()
_, key = ApiKey.issue(membership, name="bench")
lead = Lead.objects.filter(organization=organization).first() or Lead.objects.create(
    organization=organization, name="Sink lead")
print(orjson.dumps({"key": key, "lead_id": lead.id, "organization_id": organization.id,
                    "user_id": user.id}).decode())
"""
SUBSCRIBE = """
from accounts.models import Organization
from events import services
organization = Organization.objects.get(pk={organization_id!r})
services.webhook_create(organization=organization, created_by=None, fields={{
    "url": {url!r}, "events": [{{"object_type": "activity.call", "action": "created"}}]}})
"""
EVENTS = """
SELECT count(*) FROM events_event e JOIN events_webhooksubscription s USING (organization_id)
WHERE e.object_type = 'activity.call' AND e.date_created >= s.date_created
"""
LEFT = """
SELECT count(*) FROM jobs_job
WHERE name IN ('events.jobs.fan_out', 'events.jobs.deliver_webhook')
  AND status IN ('queued', 'running')
"""
SPAN = """
SELECT count(DISTINCT delivery_id), extract(epoch FROM max(attempted_at) - min(attempted_at))::float
FROM events_deliveryattempt WHERE status_code BETWEEN 200 AND 299
"""


def render(result):
    without, subscribed = result["create_call"], result["create_call_subscribed"]
    delivery = result["delivery"]
    return "\n".join(
        [
            f"create_call with and without a webhook subscription ({result['machine']['cpus']} "
            f"CPUs, {result['connections']} connections, {result['seconds']} s each)",
            "",
            "| | requests/s | p50 | p99 | server CPU per request | machine load (1 min) |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {label} | {run['requests_per_second']} | {run['p50_ms']} ms "
                f"| {run['p99_ms']} ms | {run['server_cpu_ms_per_request']} ms "
                f"| {run['load_average_1min']} |"
                for label, run in (
                    ("no subscription", without),
                    ("one active subscription", subscribed),
                )
            ),
            "",
            f"With a subscription / without: p50 {result['ratio']['p50_ms']}×, server CPU "
            f"{result['ratio']['server_cpu_ms_per_request']}× (target ≤ 1.2×)",
            f"Deliveries through one worker: {delivery['delivered']:,} in {delivery['seconds']} s, "
            f"{delivery['deliveries_per_second']}/s, worker CPU "
            f"{delivery['worker_cpu_ms_per_delivery']} ms per delivery",
        ]
    )


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
