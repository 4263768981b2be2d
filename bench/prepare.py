"""Get one size's database ready and describe it: `python -m bench prepare CALLS LEADS OUT.json`.

Run by the benchmark in a subprocess whose DATABASE_URL names that size's database. It migrates,
builds the dataset unless the stored one has the same size and version, removes what the last
POST scenario logged, issues an API key and a signed-in session for the rep, then sends each
scenario once through Django's test client to check that its route exists and to count its
queries (and the usual way's), with the query plans of the call and lead queries.
"""

import base64
import time

import orjson
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from accounts.models import ApiKey, Membership, User
from activities.models import Call
from activities.views import CALLS_PER_PAGE
from bench import dataset
from bench.scenarios import CALLS_DEEP, chosen, depth_scenarios
from core.keyset import Cursor
from leads.models import Lead


def main(calls, leads, out):
    started = time.monotonic()
    stored = dataset.marker()
    reused = stored is not None and stored[:3] == (calls, leads, dataset.VERSION)
    if not reused:  # also what a build cut short left, with no marker yet
        dataset.reset_schema()
    recorder = MigrationRecorder(connection)
    applied_before = len(recorder.applied_migrations()) if recorder.has_table() else 0
    call_command("migrate", interactive=False, verbosity=0)
    migrated = len(recorder.applied_migrations()) - applied_before
    if reused:
        fixtures = stored[3]
        dataset.delete_sink_calls(fixtures)
        if migrated:
            analyze()
    else:
        fixtures = dataset.build(calls, leads)
    fixtures["quiet_lead_id"] = quiet_lead(fixtures)
    fixtures["calls_deep"], fixtures["calls_deep_cursor"] = deep_cursor(fixtures)
    report = {
        "calls": calls,
        "leads": leads,
        "dataset": {
            "reused": reused,
            "seconds": round(time.monotonic() - started, 1),
            "migrations_applied": migrated,
            "table_bytes": dataset.table_sizes(),
        },
        "fixtures": fixtures,
        **credentials(fixtures),
    }
    report["checks"] = check_scenarios(fixtures, report)
    with open(out, "wb") as f:
        f.write(orjson.dumps(report, option=orjson.OPT_INDENT_2))


def quiet_lead(fixtures):
    """Return the organization's lead with the fewest calls, the hot lead's opposite."""
    return (
        Lead.objects.filter(organization_id=fixtures["organization_id"])
        .exclude(pk__in=[fixtures["hot_lead_id"], fixtures["sink_lead_id"]])
        .filter(calls_count__gt=0)
        .order_by("calls_count")
        .values_list("pk", flat=True)
        .first()
    )


def deep_cursor(fixtures):
    """Return (depth, cursor) of the all-calls page that starts CALLS_DEEP calls down (less, to
    stay a full page, in an organization with fewer calls)."""
    calls = Call.objects.filter(organization_id=fixtures["organization_id"])
    depth = min(CALLS_DEEP, fixtures["organization_calls"] - CALLS_PER_PAGE - 1)
    call = calls.order_by("-activity_at", "-id").only("id", "activity_at")[depth - 1]
    return depth, str(Cursor.of(call, "activity_at"))


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def credentials(fixtures):
    """Issue the rep's and the admin's API keys and signed-in sessions; return how to send
    them (the admin's prefixed `admin_`)."""
    sent = {}
    for prefix, user_id in (("", fixtures["rep_id"]), ("admin_", fixtures["admin_id"])):
        membership = Membership.objects.get(
            user_id=user_id, organization_id=fixtures["organization_id"]
        )
        ApiKey.objects.filter(membership=membership, name="bench").delete()
        _, key = ApiKey.issue(membership, name="bench")
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        sent[f"{prefix}authorization"] = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
        sent[f"{prefix}cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    return sent


def check_scenarios(fixtures, report):
    checks = {}
    depths = depth_scenarios(fixtures["organization_calls"])
    for scenario in chosen()[0] + depths:
        checks[scenario.name] = {"closecalls": check(scenario, fixtures, report)}
        if scenario.references:
            with override_settings(ROOT_URLCONF="bench.usual"):
                checks[scenario.name]["usual"] = check(scenario, fixtures, report)
    return checks


def check(scenario, fixtures, report):
    """Send `scenario` twice through the test client; count the second request's queries."""
    path = scenario.url(fixtures)
    try:
        resolve(path.partition("?")[0])
    except Resolver404:
        return {"status": "missing", "path": path}
    client = Client(raise_request_exception=False)
    admin = "admin_" if scenario.auth.startswith("admin_") else ""
    headers = (
        {"HTTP_AUTHORIZATION": report[f"{admin}authorization"]}
        if scenario.auth.endswith("api")
        else {"HTTP_COOKIE": report[f"{admin}cookie"]}
    )
    body = scenario.json_body(fixtures)

    def send(path):
        if scenario.method == "POST":
            return client.post(path, body, content_type="application/json", **headers)
        return client.get(path, **headers)

    send(path)  # the first request of a process warms caches; count the steady state
    with CaptureQueriesContext(connection) as queries:
        response = send(path)
    statements = [query["sql"] for query in queries.captured_queries]
    compared = {}
    if scenario.same_queries_as:
        other = scenario.same_queries_as.format(**fixtures)
        with CaptureQueriesContext(connection) as other_queries:
            send(other)
        compared = {"compared_path": other, "compared_queries": len(other_queries)}
    return {
        "status": response.status_code,
        "path": path,
        "bytes": len(response.content),
        "queries": len(statements),
        "counts": sum("COUNT(" in sql.upper() for sql in statements),
        **compared,
        "sql": statements,
        "plans": plans(statements) if not scenario.writes else [],
    }


def plans(statements):
    """EXPLAIN ANALYZE the statements that read calls, leads, contacts, transcripts or the
    search index."""
    found = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT") or not (
                "activities_" in sql
                or "leads_" in sql
                or "followups_" in sql
                or "search_" in sql
                or "insights_" in sql
            ):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)  # run once to warm, keep the 2nd
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            found.append({"sql": sql, "plan": "\n".join(row[0] for row in cursor.fetchall())})
    return found
