"""Property-based fuzzing of every API operation, driven by the API's own OpenAPI schema.

Schemathesis generates requests from /api/schema/, both valid ones and ones that break the
schema (wrong types, missing or out-of-range values, unknown enums), and sends them in-process
to the WSGI application as Alice, with her API key. Ids in paths and bodies are often swapped
for ids of Alice's real lead, contact, outcome, call and task, so that generated data reaches the
rules and the database instead of stopping at "does not exist". Every response must be a
non-5xx answer that the schema describes: status code, content type, headers and body.

The run is bounded (MAX_EXAMPLES per operation and generation mode) and deterministic
(Hypothesis derandomized), so CI sees the same cases every time.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import Event
from tests.conftest import basic_auth, make_call, make_contact, make_outcome, make_task
from tests.events.conftest import make_subscription

MAX_EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
OPERATIONS = {op.label: op for op in (result.ok() for result in schema.get_all_operations())}
RUNS = {"cases": 0, "server_errors": 0}


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    """Print how many cases were sent, and how many got a server error (zero)."""
    yield
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\nfuzzing: {RUNS['cases']} cases over {len(OPERATIONS)} operations, "
            f"{RUNS['server_errors']} server errors"
        )


@pytest.fixture
def in_test_transaction():
    """Keep the WSGI app on the test's connection, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(in_test_transaction, lead, alice, settings):
    """Alice's objects, whose ids the generated requests borrow. No rate limit while fuzzing."""
    settings.API_RATE_LIMIT = ""
    contact = make_contact(lead)
    outcome = make_outcome(lead.organization)
    # A note and an utterance that the search's example, "pricing", finds.
    said = {"speaker_side": "contact", "speaker_label": "Bruce", "start": 1.5, "end": 3,
            "text": "What about pricing?"}  # fmt: skip
    call = make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        outcome=outcome,
        note="Sent the <pricing> sheet",
        transcripts={"recording_transcript": {"utterances": [said]}},
    )
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.example.com"]  # not resolved: no network needed
    webhook = make_subscription(lead.organization, alice, "https://hooks.example.com/in")
    event = Event.objects.filter(object_type="activity.call", object_id=call.id).get()
    task = make_task(lead, alice, contact=contact)
    return {
        "lead": lead.id,
        "contact": contact.id,
        "outcome": outcome.id,
        "user": alice.id,
        "call": call.id,
        "path": {"activity": call.id, "lead": lead.id, "contact": contact.id,
                 "outcome": outcome.id, "user": alice.id, "task": task.id, "event": event.id,
                 "webhook": webhook.id},
    }  # fmt: skip


def _use_real_ids(case, world, swap):
    """Point the case at Alice's objects when `swap` says so (drawn by Hypothesis)."""
    if not swap:
        return
    if "id" in (case.path_parameters or {}):
        resource = case.operation.path.split("/")[3]
        case.path_parameters["id"] = world["path"][resource]
    if isinstance(case.body, dict):
        for relation in ("lead", "contact", "outcome", "user"):
            if isinstance(case.body.get(f"{relation}_id"), str):
                case.body[f"{relation}_id"] = world[relation]
        if isinstance(case.body.get("assigned_to"), str):  # a task's rep
            case.body["assigned_to"] = world["user"]


def _strategy(operation):
    modes = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE)]
    negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    modes.append(negative)
    return st.one_of(modes)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_every_operation_answers_as_its_schema_says(label, world, alice_key):
    operation = OPERATIONS[label]
    headers = {"Authorization": basic_auth(alice_key)}

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_strategy(operation), swap=st.booleans())
    def fuzz(case, swap):
        _use_real_ids(case, world, swap)
        response = case.call(headers=headers)
        RUNS["cases"] += 1
        RUNS["server_errors"] += response.status_code >= 500
        case.validate_response(response, checks=CHECKS, headers=headers)

    fuzz()
