"""`python -m bench.import`: CSV rows imported per second, and the worker's peak memory.

A HubSpot-style export of BENCH_IMPORT_ROWS calls (100,000) and one of BENCH_IMPORT_SMALL_ROWS
(a fifth of it) go through the import's steps as an admin takes them on the page: uploaded and
its columns guessed, then each step queued as a job and run by one `manage.py jobs_worker`,
a fresh one per file: the dry run, the import (every row a new call of an existing lead, found
by its contact's email; the rep by email), the same file imported again (every row found
and unchanged) and the revert. Rows per second are the rows over the job's own time (its start
to its end, in the jobs table); the worker's CPU and peak RSS (VmHWM, reset before each step)
are its own. The two sizes show whether memory grows with the file.

The organization has BENCH_IMPORT_LEADS leads (5,000) with two contacts each and 20 reps. The
database is `bench_import` in the cluster of `make bench` (kept in BENCH_DIR, .bench/), built
afresh each run; fsync is off there, as for the rest of `make bench`. Results go to
bench/results/import.json; the machine's load average is reported with each step, since other
processes share the CPUs.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import psycopg

from bench.cluster import Cluster
from bench.load import cpu_seconds, peak_rss_mb, reset_peak_rss
from bench.runner import BASE_DIR, Config, django_env, log, machine
from core.csv_files import CsvWriter

RESULTS = BASE_DIR / "bench" / "results" / "import.json"
DATABASE = "bench_import"
REPS = 20
HEADER = [
    "Record ID", "Call Title", "Activity date", "Call notes", "Call direction", "Call duration",
    "Call outcome", "Call status", "From Number", "To Number", "Activity assigned to",
    "Associated Contact", "Associated Company",
]  # fmt: skip
OUTCOMES = [("Connected", "COMPLETED"), ("No answer", "NO_ANSWER"), ("Busy", "BUSY"),
            ("Left voicemail", "COMPLETED")]  # fmt: skip


def main():
    config = Config.from_env()
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", 100_000))
    small = int(os.environ.get("BENCH_IMPORT_SMALL_ROWS", rows // 5))
    leads = int(os.environ.get("BENCH_IMPORT_LEADS", 5_000))
    folder = Path(config.root) / "import"
    folder.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(config.root)
    try:
        cluster.start()
        log(f"PostgreSQL on 127.0.0.1:{cluster.port}")
        _fresh_database(cluster)
        url = cluster.url(DATABASE)
        env = django_env(
            config,
            url,
            MEDIA_ROOT=str(folder / "media"),
            IMPORT_MAX_FILE_SIZE=str(1024**3),
            TRANSCRIPTION_ENGINE="none",
        )
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        log(f"seeding {leads:,} leads with two contacts each, {REPS} reps")
        manage(env, "shell", "-v", "0", "-c", SEED.format(leads=leads, reps=REPS))
        sizes = sorted({small, rows} - {0})
        results = []
        for size in sizes:
            path = folder / f"calls-{size}.csv"
            write_file(path, size, leads)
            results.append(measure(env, url, path, size))
    finally:
        cluster.stop()
    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "leads": leads,
        "contacts": leads * 2,
        "reps": REPS,
        "batch_rows": int(os.environ.get("IMPORT_BATCH_ROWS", 1000)),
        "machine": machine(),
        "files": results,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    print(render(result))
    log(f"wrote {RESULTS.relative_to(BASE_DIR)}")


def _fresh_database(cluster):
    with psycopg.connect(cluster.url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    cluster.ensure_database(DATABASE)


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, **kwargs
    )


def write_file(path, size, leads):
    """A HubSpot export of `size` calls of the seeded leads, as `make bench` reads it."""
    rng = random.Random(size)
    with path.open("w", newline="", encoding="utf-8") as output:
        writer = CsvWriter(output)
        writer.writerow(HEADER)
        for n in range(size):
            lead = rng.randrange(leads)
            outcome, status = rng.choice(OUTCOMES)
            direction = "OUTBOUND" if rng.random() < 0.8 else "INBOUND"
            talked = outcome == "Connected"
            rep = rng.randrange(REPS)
            writer.writerow([
                f"{size}-{n}",
                "Call",
                f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} {8 + n % 10:02d}:{n % 60:02d}",
                f"Call {n} about the renewal of lead {lead}.\nNext step: a demo." if talked else "",
                direction,
                rng.randrange(30_000, 1_800_000) if talked else 0,
                outcome,
                status,
                "+16505550100",
                f"+1415{2_000_000 + lead:07d}",
                f"Rep {rep} (rep{rep}@bench.example)",
                f"Contact {lead} (c{lead}-0@lead{lead}.example)",
                f"Lead {lead}",
            ])  # fmt: skip
    log(f"{size:,} rows: wrote {path.name} ({path.stat().st_size / 1024**2:.1f} MB)")


def measure(env, url, path, size):
    """Every step of the file through one fresh worker; return what each cost."""
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "jobs_worker", "--verbosity", "0"], cwd=BASE_DIR, env=env
    )
    steps = []
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            first = shell(env, UPLOAD.format(path=str(path)))
            steps.append(step(connection, worker, first, "previewed", "dry run", size))
            shell(env, START.format(id=first, start="import_start"))
            steps.append(step(connection, worker, first, "imported", "import", size))
            again = shell(env, UPLOAD.format(path=str(path)))
            steps.append(step(connection, worker, again, "previewed", "dry run again", size))
            shell(env, START.format(id=again, start="import_start"))
            steps.append(step(connection, worker, again, "imported", "import again", size))
            shell(env, START.format(id=first, start="import_start_revert"))
            steps.append(step(connection, worker, first, "reverted", "revert", size))
            (counts,) = connection.execute(COUNTS, [first]).fetchone()
            if counts["rejected"]:  # a file the rules refuse measures nothing
                raise SystemExit(f"bench: the import rejected rows: {counts}")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    return {"rows": size, "bytes": path.stat().st_size, "first_import": counts, "steps": steps}


def shell(env, code):
    output = manage(env, "shell", "-v", "0", "-c", code, capture_output=True, text=True)
    return output.stdout.strip().splitlines()[-1]


def step(connection, worker, import_id, until, name, rows):
    """Wait for the import's job to bring it to `until`; return the step's figures."""
    pids = [worker.pid]
    reset_peak_rss(pids)
    cpu_before, load_before = cpu_seconds(pids), os.getloadavg()[0]
    log(f"{rows:,} rows: {name}")
    while True:
        status, reason = connection.execute(STATUS, [import_id]).fetchone()
        job = connection.execute(JOB, [f"import:{import_id}"]).fetchone()
        if status == until and job and job[0] == "done":
            break
        if status == "refused" or (job and job[0] == "failed"):
            raise SystemExit(f"bench: {name} failed: {reason or job}")
        if worker.poll() is not None:
            raise SystemExit(f"bench: the worker stopped during the {name}")
        time.sleep(0.25)
    seconds = job[2]
    return {
        "step": name,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "worker_cpu_seconds": round(cpu_seconds(pids) - cpu_before, 2),
        "worker_peak_rss_mb": peak_rss_mb(pids),
        "load_average_1min": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


# Run in `manage.py shell -c`; each prints the import's id last.
UPLOAD = """
from django.core.files import File
from accounts.models import Organization, User
from imports import services
organization = Organization.objects.get(name="Bench imports")
with open({path!r}, "rb") as handle:
    call_import = services.import_upload(
        organization=organization, created_by=User.objects.get(username="bench-admin"),
        file=File(handle, name="calls.csv"),
    )
services.import_configure(
    call_import, fields=call_import.columns, source="HubSpot", time_zone="America/New_York",
    day_first=False, create_leads=False,
)
services.import_start_preview(call_import)
print(call_import.pk)
"""
START = """
from imports import services
from imports.models import CallImport
services.{start}(CallImport.objects.get(pk={id!r}))
print({id!r})
"""
SEED = """
from accounts.models import Membership, Organization, User
from leads.models import Contact, Lead
organization = Organization.objects.create(name="Bench imports", time_zone="America/New_York")
admin = User.objects.create_user("bench-admin", "admin@bench.example")
Membership.objects.create(user=admin, organization=organization, role="admin")
for n in range({reps}):
    rep = User.objects.create_user(f"rep{{n}}", f"rep{{n}}@bench.example", first_name="Rep",
                                   last_name=str(n))
    Membership.objects.create(user=rep, organization=organization)
leads = Lead.objects.bulk_create(
    Lead(organization=organization, name=f"Lead {{n}}") for n in range({leads})
)
Contact.objects.bulk_create(
    Contact(organization=organization, lead=lead, name=f"Contact {{n}}",
            emails=[{{"email": f"c{{n}}-{{k}}@lead{{n}}.example", "type": "office"}}],
            email_text=f"c{{n}}-{{k}}@lead{{n}}.example",
            phones=[{{"phone": f"+1415{{2_000_000 + n:07d}}", "type": "office"}}],
            phone_digits=f"1415{{2_000_000 + n:07d}}")
    for n, lead in enumerate(leads) for k in range(2)
)
"""
STATUS = "SELECT status, reason FROM imports_callimport WHERE id = %s"
JOB = """
SELECT status, attempts, extract(epoch FROM finished_at - started_at)::float
FROM jobs_job WHERE key = %s ORDER BY id DESC LIMIT 1
"""
COUNTS = """
SELECT json_build_object('created', created, 'updated', updated, 'unchanged', unchanged,
                         'rejected', rejected)
FROM imports_callimport WHERE id = %s
"""


def render(result):
    machine_ = result["machine"]
    lines = [
        f"Importing calls from CSV ({result['leads']:,} leads, {result['contacts']:,} contacts, "
        f"{result['reps']} reps; batches of {result['batch_rows']:,} rows; "
        f"{machine_['cpus']} CPUs, {machine_['postgres']})",
        "",
        "| file | step | seconds | rows/s | worker CPU | worker CPU per row | worker peak RSS "
        "| load (1 min) |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for file in result["files"]:
        for row in file["steps"]:
            lines.append(
                f"| {file['rows']:,} rows ({file['bytes'] / 1024**2:.1f} MB) | {row['step']} "
                f"| {row['seconds']} | {row['rows_per_second']:,} | {row['worker_cpu_seconds']} s "
                f"| {row['worker_cpu_seconds'] * 1000 / file['rows']:.2f} ms "
                f"| {row['worker_peak_rss_mb']} MB "
                f"| {row['load_average_1min'][0]} → {row['load_average_1min'][1]} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
