"""Tenant walls: nothing of Acme's is reachable by a member of Globex, by any door.

One table walks every API endpoint (read, update and delete by id, filters by Acme's ids, Acme's
ids in bodies, search, bulk updates), every page (the home, lead list search, the search page,
lead page and its
edit pages, call page, edit, delete, transcript, audio, the call form's choices, all calls with
their filters, cursors and CSV, follow-ups done, snoozed, added) and every admin changelist,
change page and lookup, as Bob (a Globex rep, with his API
key and his session) or as Globex's organization admin.
Each probe must find nothing: 404 (the admin's "doesn't exist" redirect for its pages), a list
or page without any trace of Acme, or Acme's ids refused as unknown. Afterwards every Acme row
is exactly as it was.
"""

import datetime
import json
from urllib.parse import unquote_plus

import pytest
from django.contrib.admin.utils import quote
from django.core.files.base import ContentFile

from accounts.models import ApiKey, Membership
from activities.models import Call
from events.jobs import fan_out
from events.models import Delivery, Event
from tests.conftest import (
    make_call,
    make_contact,
    make_lead,
    make_outcome,
    make_task,
    make_user,
)
from tests.events.conftest import make_subscription
from tests.imports.conftest import upload
from tests.security.probes import fill, organization_rows

pytestmark = pytest.mark.django_db

NOTE = "Acme's secret note"
TASK = "Acme's secret follow-up"
WORDS = "Acme's secret words"
SAID = "Acme's secret spoken words"
PHONE = "+16505557777"
EMAIL = "bruce@wayne.example"
IMPORT_NAME = "acme-secret-calls.csv"
IMPORT = "Id,Date,Company\nc-1,2025-01-02 10:00,Wayne Enterprises\n"

# (door, method, path, body, expected)
#   expected: "404"; "empty" (200 without any trace of Acme); "unknown: <key>" (400, the body's
#   Acme id refused as not existing); "refused" (the form again, Acme's choice not valid);
#   "gone" (the admin's redirect away from an object it doesn't have, or 404); "back" (an admin
#   action on Acme's object: back to the list, nothing selected, nothing done).
API = "/api/v1/"
PROBES = [
    ("api", "GET", API + "activity/call/{call}/", None, "404"),
    ("api", "GET", API + "activity/call/{call}/?_fields=recording_transcript", None, "404"),
    ("api", "PUT", API + "activity/call/{call}/", {"note": "pwned"}, "404"),
    ("api", "PATCH", API + "activity/call/{call}/", {"note": "pwned"}, "404"),
    ("api", "DELETE", API + "activity/call/{call}/", None, "404"),
    ("api", "GET", API + "activity/call/", None, "empty"),
    ("api", "GET", API + "activity/call/?lead_id={lead}", None, "empty"),
    ("api", "GET", API + "activity/call/?lead_id={lead},{bob_lead}", None, "empty"),
    ("api", "GET", API + "activity/call/?contact_id={contact}", None, "empty"),
    ("api", "GET", API + "activity/call/?user_id={alice}", None, "empty"),
    ("api", "GET", API + "activity/call/?id__in={call}", None, "empty"),
    ("api", "GET", API + "activity/call/?outcome_id={outcome}", None, "empty"),
    ("api", "GET", API + "activity/call/?_fields=note,recording_transcript", None, "empty"),
    ("api", "GET", API + "activity/?lead_id__in={lead}", None, "empty"),
    ("api", "GET", API + "activity/?user_id__in={alice}&_type=Call", None, "empty"),
    ("api", "GET", API + "activity/?contact_id={contact}", None, "empty"),
    ("api", "POST", API + "activity/call/", {"lead_id": "{lead}"}, "unknown: lead"),
    ("api", "POST", API + "activity/call/", {"lead_id": "{bob_lead}", "contact_id": "{contact}"},
     "unknown: contact"),
    ("api", "POST", API + "activity/call/", {"lead_id": "{bob_lead}", "user_id": "{alice}"},
     "unknown: user"),
    ("api", "POST", API + "activity/call/",
     {"lead_id": "{bob_lead}", "duration": 60, "outcome_id": "{outcome}"}, "unknown: outcome"),
    ("api", "PUT", API + "activity/call/{bob_call}/", {"lead_id": "{lead}"}, "unknown: lead"),
    ("api", "PUT", API + "activity/call/{bob_call}/", {"contact_id": "{contact}"},
     "unknown: contact"),
    ("api", "PUT", API + "activity/call/{bob_call}/", {"user_id": "{alice}"}, "unknown: user"),
    ("api", "PUT", API + "activity/call/{bob_call}/", {"outcome_id": "{outcome}"},
     "unknown: outcome"),
    ("api", "GET", API + "lead/{lead}/", None, "404"),
    ("api", "PUT", API + "lead/{lead}/", {"name": "pwned"}, "404"),
    ("api", "DELETE", API + "lead/{lead}/", None, "404"),
    ("api", "GET", API + "lead/", None, "empty"),
    ("api", "GET", API + "lead/?query=Wayne", None, "empty"),
    ("api", "GET", API + "lead/?query=Bruce", None, "empty"),
    ("api", "GET", API + "lead/?query=650-555-7777", None, "empty"),
    ("api", "GET", API + "lead/?query=" + EMAIL, None, "empty"),
    ("api", "GET", API + "contact/{contact}/", None, "404"),
    ("api", "PUT", API + "contact/{contact}/", {"name": "pwned"}, "404"),
    ("api", "DELETE", API + "contact/{contact}/", None, "404"),
    ("api", "GET", API + "contact/", None, "empty"),
    ("api", "GET", API + "contact/?lead_id={lead}", None, "empty"),
    ("api", "POST", API + "contact/", {"lead_id": "{lead}", "name": "Mole"}, "unknown: lead"),
    ("api", "GET", API + "outcome/{outcome}/", None, "404"),
    ("api", "PUT", API + "outcome/{outcome}/", {"name": "pwned"}, "404"),
    ("api", "DELETE", API + "outcome/{outcome}/", None, "404"),
    ("api", "GET", API + "outcome/", None, "empty"),
    ("api", "GET", API + "event/", None, "empty"),
    ("api", "GET", API + "event/?lead_id={lead}", None, "empty"),
    ("api", "GET", API + "event/?object_id={call}", None, "empty"),
    ("api", "GET", API + "event/?user_id={alice}", None, "empty"),
    ("api", "GET", API + "event/{event}/", None, "404"),
    ("api", "GET", API + "webhook/", None, "empty"),
    ("api", "GET", API + "webhook/{webhook}/", None, "404"),
    ("api", "PUT", API + "webhook/{webhook}/", {"status": "paused"}, "404"),
    ("api", "DELETE", API + "webhook/{webhook}/", None, "404"),
    ("api", "GET", API + "user/{alice}/", None, "404"),
    ("api", "GET", API + "user/", None, "empty"),
    ("api", "GET", API + "me/", None, "empty"),
    ("api", "GET", API + "activity/call/search/?query=secret", None, "empty"),
    ("api", "GET", API + "activity/call/search/?query=spoken%20or%20note", None, "empty"),
    ("api", "GET", API + "activity/call/search/?query=secret&user_id={alice}", None, "empty"),
    ("api", "GET", API + "activity/call/search/?query=secret&lead_id={lead}", None, "empty"),
    ("api", "GET", API + "activity/call/search/?query=secret&_fields=note,recording_transcript",
     None, "empty"),
    ("api", "POST", API + "report/activity/",
     {"type": "comparison", "metrics": ["calls.all.all.count"], "relative_range": "all-time"},
     "empty"),
    ("api", "POST", API + "report/activity/",
     {"type": "overview", "metrics": ["calls.all.all.count"], "relative_range": "this-week"},
     "empty"),
    ("api", "POST", API + "report/activity/",
     {"type": "comparison", "metrics": ["calls.all.all.count"], "relative_range": "all-time",
      "users": ["{alice}"]}, "unknown: users"),
    ("api", "GET", API + "report/activity/metrics/", None, "empty"),
    ("api", "GET", API + "task/{task}/", None, "404"),
    ("api", "PUT", API + "task/{task}/", {"is_complete": True}, "404"),
    ("api", "DELETE", API + "task/{task}/", None, "404"),
    ("api", "GET", API + "task/?_type=all", None, "empty"),
    ("api", "GET", API + "task/?lead_id={lead}&_type=all", None, "empty"),
    ("api", "GET", API + "task/?assigned_to={alice}&_type=all", None, "empty"),
    ("api", "GET", API + "task/?id__in={task}&_type=all&view=inbox", None, "empty"),
    ("api", "PUT", API + "task/?id__in={task}&_type=all", {"is_complete": True}, "empty"),
    ("api", "PUT", API + "task/?_type=all", {"assigned_to": "{alice}"}, "unknown: assigned_to"),
    ("api", "POST", API + "task/", {"lead_id": "{lead}"}, "unknown: lead"),
    ("api", "POST", API + "task/", {"lead_id": "{bob_lead}", "contact_id": "{contact}"},
     "unknown: contact"),
    ("api", "POST", API + "task/", {"lead_id": "{bob_lead}", "assigned_to": "{alice}"},
     "unknown: assigned_to"),
    ("api", "PUT", API + "task/{bob_task}/", {"assigned_to": "{alice}"}, "unknown: assigned_to"),
    ("api", "GET", API + "lead/{bob_lead}/", None, "empty"),
    ("api", "GET", "/calls/{call}/recording/", None, "404"),
    ("api", "GET", "/calls/{call}/voicemail/", None, "404"),
    ("page", "GET", "/", None, "empty"),
    ("page", "POST", "/tasks/{task}/complete/", {"next": "/"}, "404"),
    ("page", "POST", "/tasks/{task}/snooze/", {"until": "tomorrow"}, "404"),
    ("page", "GET", "/leads/{lead}/tasks/new/", None, "404"),
    ("page", "POST", "/leads/{lead}/tasks/new/", {"text": "Mole", "date": "2030-01-10"}, "404"),
    ("page", "POST", "/leads/{bob_lead}/tasks/new/",
     {"text": "Mole", "date": "2030-01-10", "assigned_to": "{alice}"}, "refused"),
    ("page", "POST", "/leads/{bob_lead}/tasks/new/",
     {"text": "Mole", "date": "2030-01-10", "contact": "{contact}"}, "refused"),
    ("page", "GET", "/leads/", None, "empty"),
    ("page", "GET", "/leads/?q=Wayne", None, "empty"),
    ("page", "GET", "/leads/?q=650-555-7777", None, "empty"),
    ("page", "GET", "/leads/?q=" + EMAIL, None, "empty"),
    ("page", "GET", "/search/?q=secret", None, "empty"),
    ("page", "GET", "/search/?q=spoken+or+note&order=newest", None, "empty"),
    ("page", "GET", "/search/?q=Wayne", None, "empty"),
    ("page", "GET", "/search/?q=650-555-7777", None, "empty"),
    ("page", "GET", "/search/?q=" + EMAIL, None, "empty"),
    ("page", "GET", "/search/?q=secret&user_id={alice}&speaker_side=contact", None, "empty"),
    ("page", "GET", "/leads/{lead}/", None, "404"),
    ("page", "GET", "/leads/{lead}/?highlight={call}", None, "404"),
    ("page", "GET", "/leads/{bob_lead}/?highlight={call}", None, "empty"),
    ("page", "GET", "/leads/{bob_lead}/?outcome_id={outcome}&user_id={alice}", None, "empty"),
    ("page", "GET", "/leads/{lead}/calls/new/", None, "404"),
    ("page", "POST", "/leads/{lead}/calls/new/", {"direction": "outbound"}, "404"),
    ("page", "POST", "/leads/{bob_lead}/calls/new/",
     {"direction": "outbound", "disposition": "answered", "activity_at": "2024-05-01T10:00",
      "contact": "{contact}"}, "refused"),
    ("page", "POST", "/leads/{bob_lead}/calls/new/",
     {"direction": "outbound", "disposition": "answered", "activity_at": "2024-05-01T10:00",
      "outcome": "{outcome}"}, "refused"),
    ("page", "GET", "/calls/{call}/", None, "404"),
    ("page", "GET", "/calls/{call}/edit/", None, "404"),
    ("page", "POST", "/calls/{call}/edit/", {"direction": "inbound"}, "404"),
    ("page", "POST", "/calls/{bob_call}/edit/",
     {"direction": "outbound", "disposition": "answered", "activity_at": "2024-05-01T10:00",
      "outcome": "{outcome}"}, "refused"),
    ("page", "GET", "/calls/{call}/delete/", None, "404"),
    ("page", "POST", "/calls/{call}/delete/", {}, "404"),
    ("page", "GET", "/calls/{call}/transcript/", None, "404"),
    ("page", "GET", "/calls/{call}/recording/", None, "404"),
    ("page", "GET", "/calls/{call}/voicemail/", None, "404"),
    ("page", "GET", "/insights/", None, "empty"),
    ("page", "GET", "/insights/?period=last-90-days&rep={alice}", None, "empty"),
    ("page", "GET", "/insights/reps.csv?period=last-90-days&rep={alice}", None, "empty"),
    ("page", "GET", "/insights/outcomes.csv?period=last-90-days", None, "empty"),
    ("page", "GET", "/insights/days.csv?period=last-90-days", None, "empty"),
    ("page", "POST", "/accounts/organization/", {"organization": "{acme}"}, "empty"),
    ("page", "GET", "/calls/", None, "empty"),
    ("page", "GET", "/calls/?user_id=", None, "empty"),
    ("page", "GET", "/calls/?user_id={alice}", None, "empty"),
    ("page", "GET", "/calls/?user_id=&outcome_id={outcome}", None, "empty"),
    ("page", "GET", "/calls/?user_id=&has_recording=true&has_transcript=true", None, "empty"),
    ("page", "GET", "/calls/?user_id=&before=4102444800000000.{call}", None, "empty"),
    ("page", "GET", "/calls/?user_id=&after=0.{call}", None, "empty"),
    ("admin", "GET", "/calls/", None, "empty"),
    ("admin", "GET", "/calls.csv", None, "empty"),
    ("admin", "GET", "/calls.csv?user_id={alice}&outcome_id={outcome}", None, "empty"),
    ("page", "GET", "/leads/{lead}/edit/", None, "404"),
    ("page", "POST", "/leads/{lead}/edit/", {"name": "pwned"}, "404"),
    ("admin", "POST", "/leads/{lead}/delete/", {}, "404"),
    ("page", "GET", "/leads/{lead}/contacts/new/", None, "404"),
    ("page", "POST", "/leads/{lead}/contacts/new/", {"name": "Mole"}, "404"),
    ("page", "GET", "/leads/{lead}/contacts/{contact}/edit/", None, "404"),
    ("page", "POST", "/leads/{lead}/contacts/{contact}/edit/", {"name": "pwned"}, "404"),
    ("page", "GET", "/leads/{bob_lead}/contacts/{contact}/edit/", None, "404"),
    ("page", "POST", "/leads/{bob_lead}/contacts/{contact}/edit/", {"name": "pwned"}, "404"),
    ("admin", "POST", "/leads/{lead}/contacts/{contact}/delete/", {}, "404"),
    ("admin", "POST", "/leads/{bob_lead}/contacts/{contact}/delete/", {}, "404"),
    ("admin", "GET", "/imports/", None, "empty"),
    ("admin", "GET", "/imports/{call_import}/", None, "404"),
    ("admin", "POST", "/imports/{call_import}/", {"source": "pwned"}, "404"),
    ("admin", "GET", "/imports/{call_import}/progress/", None, "404"),
    ("admin", "GET", "/imports/{call_import}/errors.csv", None, "404"),
    ("admin", "POST", "/imports/{call_import}/import/", {}, "404"),
    ("admin", "POST", "/imports/{call_import}/revert/", {}, "404"),
    ("admin", "GET", "/admin/imports/callimport/", None, "empty"),
    ("admin", "GET", "/admin/imports/callimport/{call_import}/change/", None, "gone"),
    ("admin", "POST", "/admin/imports/callimport/{call_import}/delete/", {"post": "yes"}, "gone"),
    ("admin", "GET", "/admin/", None, "empty"),
    ("admin", "GET", "/admin/activities/call/", None, "empty"),
    ("admin", "GET", "/admin/activities/call/?lead__id__exact={lead}", None, "empty"),
    ("admin", "GET", "/admin/activities/call/?organization__id__exact={acme}", None, "empty"),
    ("admin", "GET", "/admin/activities/call/?user__id__exact={alice}", None, "empty"),
    ("admin", "GET", "/admin/activities/call/?q=Wayne", None, "empty"),
    ("admin", "GET", "/admin/activities/call/?q=secret", None, "empty"),
    ("admin", "GET", "/admin/activities/transcript/", None, "empty"),
    ("admin", "GET", "/admin/activities/transcript/?q=Wayne", None, "empty"),
    ("admin", "GET", "/admin/activities/outcome/", None, "empty"),
    ("admin", "GET", "/admin/activities/outcome/?q=Demo", None, "empty"),
    ("admin", "GET", "/admin/events/event/", None, "empty"),
    ("admin", "GET", "/admin/events/event/?q={lead}", None, "empty"),
    ("admin", "GET", "/admin/events/webhooksubscription/", None, "empty"),
    ("admin", "GET", "/admin/events/delivery/", None, "empty"),
    ("admin", "GET", "/admin/leads/lead/", None, "empty"),
    ("admin", "GET", "/admin/leads/lead/?q=Wayne", None, "empty"),
    ("admin", "GET", "/admin/leads/contact/", None, "empty"),
    ("admin", "GET", "/admin/leads/contact/?q=650555", None, "empty"),
    ("admin", "GET", "/", None, "empty"),  # the home, with the team's numbers
    ("admin", "GET", "/admin/followups/task/", None, "empty"),
    ("admin", "GET", "/admin/followups/task/?q=Wayne", None, "empty"),
    ("admin", "GET", "/admin/followups/task/?q=secret", None, "empty"),
    ("admin", "GET", "/admin/followups/task/?assigned_to__id__exact={alice}", None, "empty"),
    ("admin", "GET", "/admin/followups/task/{task}/change/", None, "gone"),
    ("admin", "POST", "/admin/followups/task/{task}/change/", {"text": "pwned"}, "gone"),
    ("admin", "POST", "/admin/followups/task/{task}/delete/", {"post": "yes"}, "gone"),
    ("admin", "GET",
     "/admin/autocomplete/?app_label=followups&model_name=task&field_name=lead&term=Wayne",
     None, "empty"),
    ("admin", "GET",
     "/admin/autocomplete/?app_label=followups&model_name=task&field_name=assigned_to"
     "&term=alice", None, "empty"),
    ("admin", "POST", "/admin/followups/task/add/",
     {"organization": "{globex}", "lead": "{lead}", "type": "lead", "text": "Mole",
      "date": "2030-01-10"}, "refused"),
    ("admin", "GET", "/admin/accounts/apikey/", None, "empty"),
    ("admin", "GET", "/admin/accounts/membership/", None, "empty"),
    ("admin", "GET", "/admin/accounts/user/", None, "empty"),
    ("admin", "GET", "/admin/accounts/user/?q=alice", None, "empty"),
    ("admin", "GET", "/admin/accounts/organization/", None, "empty"),
    ("admin", "GET", "/admin/activities/call/{call}/change/", None, "gone"),
    ("admin", "POST", "/admin/activities/call/{call}/change/", {"note_html": "pwned"}, "gone"),
    ("admin", "GET", "/admin/activities/call/{call}/delete/", None, "gone"),
    ("admin", "POST", "/admin/activities/call/{call}/delete/", {"post": "yes"}, "gone"),
    ("admin", "GET", "/admin/activities/call/{call}/history/", None, "gone"),
    ("admin", "GET", "/admin/activities/transcript/{transcript}/change/", None, "gone"),
    ("admin", "GET", "/admin/activities/outcome/{outcome}/change/", None, "gone"),
    ("admin", "GET", "/admin/events/event/{event}/change/", None, "gone"),
    ("admin", "GET", "/admin/events/webhooksubscription/{webhook}/change/", None, "gone"),
    ("admin", "POST", "/admin/events/webhooksubscription/",
     {"action": "pause", "_selected_action": "{webhook}"}, "back"),
    ("admin", "GET", "/admin/events/delivery/{delivery}/change/", None, "gone"),
    ("admin", "POST", "/admin/events/delivery/",
     {"action": "retry_now", "_selected_action": "{delivery}"}, "back"),
    ("admin", "GET", "/admin/leads/lead/{lead}/change/", None, "gone"),
    ("admin", "POST", "/admin/leads/lead/{lead}/delete/", {"post": "yes"}, "gone"),
    ("admin", "GET", "/admin/leads/contact/{contact}/change/", None, "gone"),
    ("admin", "GET", "/admin/accounts/apikey/{api_key}/change/", None, "gone"),
    ("admin", "POST", "/admin/accounts/apikey/{api_key}/revoke/", {}, "gone"),
    ("admin", "GET", "/admin/accounts/membership/{membership}/change/", None, "gone"),
    ("admin", "GET", "/admin/accounts/user/{alice}/change/", None, "gone"),
    ("admin", "GET", "/admin/accounts/organization/{acme}/change/", None, "gone"),
    ("admin", "GET",
     "/admin/autocomplete/?app_label=activities&model_name=call&field_name=lead&term=Wayne",
     None, "empty"),
    ("admin", "GET",
     "/admin/autocomplete/?app_label=activities&model_name=call&field_name=contact&term=Bruce",
     None, "empty"),
    ("admin", "GET",
     "/admin/autocomplete/?app_label=activities&model_name=call&field_name=user&term=alice",
     None, "empty"),
    ("admin", "POST", "/admin/activities/call/add/",
     {"organization": "{globex}", "lead": "{lead}", "direction": "outbound",
      "call_method": "regular", "status": "completed", "duration": "1",
      "voicemail_duration": "0", "activity_at_0": "2024-05-01", "activity_at_1": "10:00",
      "transcripts-TOTAL_FORMS": "0", "transcripts-INITIAL_FORMS": "0"}, "refused"),
]  # fmt: skip
WALKED = []


@pytest.fixture
def world(acme, alice, globex, bob, alice_key, settings):
    """Acme's objects, each carrying text that must never reach Globex, and Bob's own."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.acme.example"]  # not resolved: no network needed
    webhook = make_subscription(acme, alice, "https://hooks.acme.example/wayne")
    lead = make_lead(acme, name="Wayne Enterprises")
    contact = make_contact(
        lead, name="Bruce Wayne", phones=[{"phone": PHONE, "type": "office"}],
        emails=[{"email": EMAIL, "type": "office"}],
    )  # fmt: skip
    outcome = make_outcome(acme, name="Demo booked")
    call = make_call(
        lead, alice, contact=contact, disposition="answered", outcome=outcome, note=NOTE,
        phone=PHONE,
        transcripts={"recording_transcript": {"summary_text": WORDS, "utterances": [
            {"speaker_side": "contact", "speaker_label": "Bruce Wayne", "start": 0, "end": 2,
             "text": SAID}]}},
    )  # fmt: skip
    call.recording_file.save("acme.wav", ContentFile(b"RIFF acme audio"), save=True)
    call.voicemail_file.save("acme-vm.wav", ContentFile(b"RIFF acme voicemail"), save=True)
    task = make_task(lead, alice, contact=contact, text=TASK, date=datetime.date.today())
    fan_out(organization_id=acme.id)
    call_import = upload(acme, make_user(acme, role=Membership.Role.ADMIN), IMPORT, IMPORT_NAME)
    bob_lead = make_lead(globex, name="Initech")
    bob_call = make_call(bob_lead, bob, disposition="answered")
    bob_task = make_task(bob_lead, bob, text="Globex's own follow-up")
    ids = {
        "acme": acme.id, "alice": alice.id, "lead": lead.id, "contact": contact.id,
        "outcome": outcome.id, "call": call.id, "transcript": call.transcripts.get().pk,
        "api_key": ApiKey.objects.get(membership__user=alice).pk,
        "membership": Membership.objects.get(user=alice).pk,
        "globex": globex.id, "bob_lead": bob_lead.id, "bob_call": bob_call.id,
        "task": task.id, "bob_task": bob_task.id,
        "event": Event.objects.filter(organization=acme).latest("date_created").pk,
        "webhook": webhook.pk, "delivery": Delivery.objects.get(subscription=webhook).pk,
        "call_import": call_import.pk,
    }  # fmt: skip
    traces = [
        "Wayne", "Bruce", "Demo booked", NOTE, WORDS, SAID, "650-555-7777", EMAIL, "Acme",
        "Alice Archer", TASK, "hooks.acme.example", IMPORT_NAME, *(str(ids[name]) for name in (
            "acme", "alice", "lead", "contact", "outcome", "call", "task", "event", "webhook")),
    ]  # fmt: skip
    return ids, traces


@pytest.fixture
def doors(client, bob, bob_key, globex, db):
    """Bob's API key, Bob's session, and a session of Globex's organization admin."""
    from django.test import Client

    from tests.conftest import basic_auth

    admin = make_user(globex, role=Membership.Role.ADMIN, username="gina", is_staff=True)
    page, admin_client = Client(), Client()
    page.force_login(bob)
    admin_client.force_login(admin)
    return {"api": Client(HTTP_AUTHORIZATION=basic_auth(bob_key)), "page": page,
            "admin": admin_client}  # fmt: skip


def send(client, door, method, path, body):
    if body is None:
        return client.generic(method, path)
    if door == "api":
        return client.generic(method, path, json.dumps(body), content_type="application/json")
    return client.post(path, body, follow=method == "POST" and door == "page")


@pytest.mark.parametrize(
    ("door", "method", "path", "body", "expected"),
    PROBES,
    ids=[f"{door} {method} {path}" for door, method, path, _, _ in PROBES],
)
def test_globex_finds_nothing_of_acmes(world, doors, acme, door, method, path, body, expected):
    ids, traces = world
    before = organization_rows(acme)
    if body is not None:
        body = {key: fill(value, ids) for key, value in body.items()}
    url = fill(path, ids, escape=quote if path.startswith("/admin/") else str)
    # What the probe sent may be echoed back (a search box): only the rest would be a leak.
    traces = [trace for trace in traces if trace not in unquote_plus(f"{url} {body}")]

    response = send(doors[door], door, method, url, body)
    WALKED.append((door, method, path))

    body = b"".join(response.streaming_content) if response.streaming else response.content
    content = body.decode(errors="replace")
    if expected == "404":
        assert response.status_code == 404
    elif expected == "gone":
        assert response.status_code == 404 or (
            response.status_code == 302 and response["Location"] == "/admin/"
        )
    elif expected == "back":
        assert (response.status_code, response["Location"]) == (302, url)
    elif expected.startswith("unknown: "):
        assert response.status_code == 400
        key = expected.removeprefix("unknown: ")
        assert response.json()["field-errors"] == {key: "Object does not exist."}
    elif expected == "refused":
        assert response.status_code == 200
        assert "Select a valid choice" in content
    else:
        assert expected == "empty"
        assert response.status_code == 200
        for trace in traces:
            assert trace not in content, f"{trace!r} leaked"
    assert organization_rows(acme) == before
    assert not Call.objects.exclude(organization=acme).filter(lead__organization=acme).exists()


@pytest.fixture(scope="module", autouse=True)
def report_figures(request):
    yield
    doors = {door for door, _, _ in WALKED}
    endpoints = {(door, path.split("?")[0]) for door, _, path in WALKED}
    with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
        print(
            f"\ntenant walls: {len(WALKED)} (endpoint, probe) pairs over {len(endpoints)} "
            f"endpoints through {len(doors)} doors"
        )
