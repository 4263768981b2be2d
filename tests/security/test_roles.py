"""Roles: what a member and an organization admin may do to their own organization's calls,
outcomes, leads, contacts and follow-up tasks, by every door.

The policy is accounts/roles.py: a member logs calls as themselves, changes and deletes the
calls they are the rep of or logged, creates and edits leads and contacts, creates tasks for
anyone and changes those assigned to them or created by them; an organization admin may also
change anyone's call or task, name another rep, manage outcomes, delete leads and contacts and
download the calls as CSV. The Django admin is for organization admins: a staff user who is a
member there gets nothing, never more than the policy.

Everyone is in Acme: Mia, a member with staff status (the worst case), Ada, the organization
admin, and Otto, another rep. Each probe is sent as Mia and as Ada through one door: the API
(an API key), the pages (a session) or the Django admin (a session). Allowed, it has exactly the
effect the table names; refused, it answers 403 (Close's `{"error": ...}` on the API, the site's
403 page elsewhere, saying which role may) and every row of Acme's is as it was.
"""

import datetime
import json

import pytest
from django.contrib.admin.utils import quote
from django.test import Client
from django.utils.html import escape

from accounts import roles
from accounts.models import Membership
from activities.models import Call, Outcome
from followups.models import Task
from leads.models import Contact, Lead
from tests.conftest import (
    admin_form_data,
    api_client,
    issue_key,
    make_call,
    make_contact,
    make_lead,
    make_outcome,
    make_task,
    make_user,
)
from tests.security.probes import fill, organization_rows

pytestmark = pytest.mark.django_db

API = "/api/v1/"
CALLS_API = API + "activity/call/"
NOTE = "Changed by the probe"
LOGGED = "Logged by the probe"
CALLS = {  # name: (rep, logged by)
    "mias": ("mia", "mia"),
    "logged_by_mia": ("otto", "mia"),
    "given_to_mia": ("mia", "ada"),
    "ottos": ("otto", "otto"),
    "adas": ("ada", "ada"),
}
# May Mia or Ada change (edit, delete) the call, through the API and the pages; in the admin?
CALL_POLICY = [
    ("mia", "mias", True, False),
    ("mia", "logged_by_mia", True, False),
    ("mia", "given_to_mia", True, False),
    ("mia", "ottos", False, False),
    ("mia", "adas", False, False),
    ("ada", "mias", True, True),
    ("ada", "ottos", True, True),
    ("ada", "adas", True, True),
]
PAGE_EDIT = {
    "direction": "outbound",
    "disposition": "answered",
    "duration": "60",
    "activity_at": "2024-05-01T10:00:00",
    "note_html": f"<p>{NOTE}</p>",
}
PAGE_NEW = {**PAGE_EDIT, "note_html": f"<p>{LOGGED}</p>"}
ADMIN_FORM = "admin form"  # the body is the admin's form as it shows, with these changes
# (door, method, path, body, effect when allowed)
CALL_PROBES = [
    ("api", "PUT", CALLS_API + "{call}/", {"note": NOTE}, "noted {call}"),
    ("api", "DELETE", CALLS_API + "{call}/", None, "deleted {call}"),
    ("page", "GET", "/calls/{call}/edit/", None, "shown"),
    ("page", "POST", "/calls/{call}/edit/", PAGE_EDIT, "noted {call}"),
    ("page", "GET", "/calls/{call}/delete/", None, "shown"),
    ("page", "POST", "/calls/{call}/delete/", {}, "deleted {call}"),
    ("admin", "GET", "/admin/activities/call/{call}/change/", None, "shown"),
    ("admin", "POST", "/admin/activities/call/{call}/change/",
     {ADMIN_FORM: True, "note_html": f"<p>{NOTE}</p>"}, "noted {call}"),
    ("admin", "POST", "/admin/activities/call/{call}/delete/", {"post": "yes"}, "deleted {call}"),
]  # fmt: skip
TASKS_API = API + "task/"
TASKS = {  # name: (assigned to, created by)
    "task_mias": ("mia", "mia"),
    "task_made_by_mia": ("otto", "mia"),
    "task_given_to_mia": ("mia", "ada"),
    "task_ottos": ("otto", "otto"),
}
# May Mia or Ada change (edit, complete, snooze, delete) the task, through the API and the pages;
# in the admin?
TASK_POLICY = [
    ("mia", "task_mias", True, False),
    ("mia", "task_made_by_mia", True, False),
    ("mia", "task_given_to_mia", True, False),
    ("mia", "task_ottos", False, False),
    ("ada", "task_mias", True, True),
    ("ada", "task_ottos", True, True),
]
TASK_PROBES = [
    ("api", "PUT", TASKS_API + "{task}/", {"text": NOTE}, "task {task} noted"),
    ("api", "PUT", TASKS_API + "{task}/", {"is_complete": True}, "task {task} done"),
    ("api", "DELETE", TASKS_API + "{task}/", None, "task {task} deleted"),
    ("page", "POST", "/tasks/{task}/complete/", {}, "task {task} done"),
    ("page", "POST", "/tasks/{task}/snooze/", {"date": "2030-01-10"}, "task {task} snoozed"),
    ("admin", "POST", "/admin/followups/task/{task}/change/", {ADMIN_FORM: True, "text": NOTE},
     "task {task} noted"),
    ("admin", "POST", "/admin/followups/task/{task}/delete/", {"post": "yes"},
     "task {task} deleted"),
]  # fmt: skip
CHANGE_TASK = "403 " + roles.can_change_task.refusal
CHANGE_CALL = "403 " + roles.can_change_call.refusal
SET_REP = "403 " + roles.can_set_rep.refusal
OUTCOMES = "403 " + roles.can_manage_outcomes.refusal
DELETE_LEAD = "403 " + roles.can_delete_lead.refusal
DELETE_CONTACT = "403 " + roles.can_delete_contact.refusal
NO_ADMIN = "403"  # the admin's own refusal: a member has no business there
EXPORT = "403 " + roles.can_export_calls.refusal
NO_ROWS = {
    f"{rows}-{key}": value
    for rows in ("phones", "emails")
    for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MAX_NUM_FORMS", "20"))
}
PAGE_CONTACT = {"name": "Probe contact", "title": "", **NO_ROWS}
NEW_LEAD = {
    "name": "Probe lead",
    "contacts-TOTAL_FORMS": "0",
    "contacts-INITIAL_FORMS": "0",
    "contacts-MIN_NUM_FORMS": "0",
    "contacts-MAX_NUM_FORMS": "1000",
}
# (door, method, path, body, as Mia, as Ada)
PROBES = [
    # Logging a call as another rep, or handing one over.
    ("api", "POST", CALLS_API, {"lead_id": "{lead}", "note": LOGGED},
     "logged for mia", "logged for ada"),
    ("api", "POST", CALLS_API, {"lead_id": "{lead}", "user_id": "{mia}", "note": LOGGED},
     "logged for mia", "logged for mia"),
    ("api", "POST", CALLS_API, {"lead_id": "{lead}", "user_id": "{otto}", "note": LOGGED},
     SET_REP, "logged for otto"),
    ("api", "POST", CALLS_API, {"lead_id": "{lead}", "user_id": None, "note": LOGGED},
     SET_REP, "logged for nobody"),
    ("api", "PUT", CALLS_API + "{mias}/", {"user_id": "{otto}"}, SET_REP, "mias for otto"),
    ("api", "PUT", CALLS_API + "{logged_by_mia}/", {"user_id": "{mia}"},
     "logged_by_mia for mia", "logged_by_mia for mia"),
    ("api", "PUT", CALLS_API + "{logged_by_mia}/", {"user_id": "{otto}", "note": NOTE},
     "noted logged_by_mia", "noted logged_by_mia"),
    ("api", "PUT", CALLS_API + "{ottos}/", {"user_id": "{mia}"}, CHANGE_CALL, "ottos for mia"),
    ("page", "POST", "/leads/{lead}/calls/new/", {**PAGE_NEW, "user": "{otto}"},
     "logged for mia", "logged for otto"),
    ("page", "POST", "/calls/{mias}/edit/", {**PAGE_EDIT, "user": "{otto}"},
     "mias for mia", "mias for otto"),
    ("admin", "POST", "/admin/activities/call/add/",
     {ADMIN_FORM: True, "organization": "{acme}", "lead": "{lead}", "user": "{otto}",
      "duration": "60", "note_html": f"<p>{LOGGED}</p>"}, NO_ADMIN, "logged for otto"),
    # Outcomes: everyone reads them, only an admin manages them.
    ("api", "GET", API + "outcome/", None, "shown", "shown"),
    ("api", "POST", API + "outcome/", {"name": "Probe outcome"}, OUTCOMES, "created outcome"),
    ("api", "PUT", API + "outcome/{outcome}/", {"name": "Renamed"}, OUTCOMES, "renamed outcome"),
    ("api", "DELETE", API + "outcome/{outcome}/", None, OUTCOMES, "deleted outcome"),
    ("admin", "GET", "/admin/activities/outcome/", None, NO_ADMIN, "shown"),
    ("admin", "POST", "/admin/activities/outcome/add/",
     {"organization": "{acme}", "name": "Probe outcome", "type": "custom"}, NO_ADMIN,
     "created outcome"),
    ("admin", "POST", "/admin/activities/outcome/{outcome}/change/",
     {ADMIN_FORM: True, "name": "Renamed"}, NO_ADMIN, "renamed outcome"),
    ("admin", "POST", "/admin/activities/outcome/",
     {"action": "soft_delete", "_selected_action": "{outcome}"}, NO_ADMIN, "deleted outcome"),
    # Leads: members create and edit them; deleting one (and its calls) is an admin's.
    ("api", "POST", API + "lead/", {"name": "Probe lead"}, "created lead", "created lead"),
    ("api", "PUT", API + "lead/{lead}/", {"name": "Renamed"}, "renamed lead", "renamed lead"),
    ("api", "DELETE", API + "lead/{lead}/", None, DELETE_LEAD, "deleted lead"),
    ("page", "POST", "/leads/new/", NEW_LEAD, "created lead", "created lead"),
    ("page", "GET", "/leads/{lead}/edit/", None, "shown", "shown"),
    ("page", "POST", "/leads/{lead}/edit/", {"name": "Renamed", "url": "", "description": ""},
     "renamed lead", "renamed lead"),
    ("page", "GET", "/leads/{lead}/delete/", None, DELETE_LEAD, "shown"),
    ("page", "POST", "/leads/{lead}/delete/", {}, DELETE_LEAD, "deleted lead"),
    ("admin", "GET", "/admin/leads/lead/{lead}/change/", None, NO_ADMIN, "shown"),
    ("admin", "POST", "/admin/leads/lead/{lead}/delete/", {"post": "yes"}, NO_ADMIN,
     "deleted lead"),
    # Contacts: the same.
    ("api", "POST", API + "contact/", {"lead_id": "{lead}", "name": "Probe contact"},
     "created contact", "created contact"),
    ("api", "PUT", API + "contact/{contact}/", {"name": "Renamed"}, "renamed contact",
     "renamed contact"),
    ("api", "DELETE", API + "contact/{contact}/", None, DELETE_CONTACT, "deleted contact"),
    ("admin", "POST", "/admin/leads/contact/{contact}/delete/", {"post": "yes"}, NO_ADMIN,
     "deleted contact"),
    ("page", "POST", "/leads/{lead}/contacts/new/", PAGE_CONTACT, "created contact",
     "created contact"),
    ("page", "POST", "/leads/{lead}/contacts/{contact}/edit/", {**PAGE_CONTACT, "name": "Renamed"},
     "renamed contact", "renamed contact"),
    ("page", "GET", "/leads/{lead}/contacts/{contact}/delete/", None, DELETE_CONTACT, "shown"),
    ("page", "POST", "/leads/{lead}/contacts/{contact}/delete/", {}, DELETE_CONTACT,
     "deleted contact"),
    # All calls: everyone lists them; only an admin downloads them.
    ("page", "GET", "/calls/", None, "shown", "shown"),
    ("page", "GET", "/calls.csv", None, EXPORT, "shown"),
    # Tasks: anyone creates them for anyone; changing them all at once is for whoever may
    # change each.
    ("api", "POST", TASKS_API, {"lead_id": "{lead}", "text": LOGGED, "assigned_to": "{otto}"},
     "task logged for otto", "task logged for otto"),
    ("page", "POST", "/leads/{lead}/tasks/new/",
     {"text": LOGGED, "date": "2030-01-10", "assigned_to": "{otto}"},
     "task logged for otto", "task logged for otto"),
    ("api", "PUT", TASKS_API + "?_type=all", {"is_complete": True}, CHANGE_TASK, "tasks all done"),
    ("api", "PUT", TASKS_API + "?assigned_to={mia}", {"is_complete": True},
     "tasks of mia done", "tasks of mia done"),
    ("admin", "POST", "/admin/followups/task/add/",
     {ADMIN_FORM: True, "organization": "{acme}", "lead": "{lead}", "text": LOGGED,
      "date": "2030-01-10"}, NO_ADMIN, "task logged for nobody"),
]  # fmt: skip


def _matrix():
    rows = []
    for who, call, in_pages, in_admin in CALL_POLICY:
        for door, method, path, body, effect in CALL_PROBES:
            allowed = in_admin if door == "admin" else in_pages
            refusal = NO_ADMIN if door == "admin" else CHANGE_CALL
            target = "{" + call + "}"
            rows.append(
                (who, door, method, path.format(call=target), body,
                 effect.format(call=call) if allowed else refusal)
            )  # fmt: skip
    for who, task, in_pages, in_admin in TASK_POLICY:
        for door, method, path, body, effect in TASK_PROBES:
            allowed = in_admin if door == "admin" else in_pages
            refusal = NO_ADMIN if door == "admin" else CHANGE_TASK
            rows.append(
                (who, door, method, path.format(task="{" + task + "}"), body,
                 effect.format(task=task) if allowed else refusal)
            )  # fmt: skip
    for door, method, path, body, as_mia, as_ada in PROBES:
        rows.append(("mia", door, method, path, body, as_mia))
        rows.append(("ada", door, method, path, body, as_ada))
    return rows


MATRIX = _matrix()


def _row_id(who, door, method, path, body, expected):
    rep = body and {k: v for k, v in body.items() if k in ("user_id", "user")}
    return f"{who} {door} {method} {path}" + (f" {json.dumps(rep)}" if rep else "")


@pytest.fixture
def world(acme):
    people = {
        "mia": make_user(acme, username="mia", first_name="Mia", is_staff=True),
        "ada": make_user(
            acme, role=Membership.Role.ADMIN, username="ada", first_name="Ada", is_staff=True
        ),
        "otto": make_user(acme, username="otto", first_name="Otto"),
    }
    lead = make_lead(acme, name="Wayne Enterprises")
    contact = make_contact(lead, name="Bruce Wayne")
    outcome = make_outcome(acme, name="Demo booked")
    calls = {
        name: make_call(lead, people[rep], created_by=people[by], note=name)
        for name, (rep, by) in CALLS.items()
    }
    tasks = {
        name: make_task(lead, people[to], created_by=people[by], text=name)
        for name, (to, by) in TASKS.items()
    }
    ids = {
        "acme": acme.id, "lead": lead.id, "contact": contact.id, "outcome": outcome.id,
        **{name: person.id for name, person in people.items()},
        **{name: call.id for name, call in calls.items()},
        **{name: task.id for name, task in tasks.items()},
    }  # fmt: skip
    return people, ids


def door(who, door, people, acme):
    """Mia's or Ada's API key, or their signed-in browser session."""
    if door == "api":
        return api_client(issue_key(people[who], acme))
    client = Client()
    client.force_login(people[who])
    return client


def send(client, door, method, path, body, admin):
    """Send the probe; an admin form is filled in as the `admin` client sees it, then sent."""
    if body is None:
        return client.generic(method, path)
    if door == "api":
        return client.generic(method, path, json.dumps(body), content_type="application/json")
    if ADMIN_FORM in body:
        changes = {key: value for key, value in body.items() if key != ADMIN_FORM}
        body = admin_form_data(admin.get(path), **changes)
    return client.post(path, body)


def assert_effect(effect, ids, acme):
    """Check that the allowed probe did exactly what `effect` says."""
    match effect.split():
        case ["shown"]:
            return
        case ["noted", call]:
            assert Call.objects.get(pk=ids[call]).note == NOTE
        case ["deleted", "outcome"]:
            assert Outcome.objects.get(pk=ids["outcome"]).date_deleted is not None
        case ["deleted", "lead"]:
            assert not Lead.objects.filter(pk=ids["lead"]).exists()
            assert not Call.objects.filter(lead_id=ids["lead"]).exists()
        case ["deleted", "contact"]:
            assert not Contact.objects.filter(pk=ids["contact"]).exists()
            assert Lead.objects.filter(pk=ids["lead"]).exists()
        case ["deleted", call]:
            assert not Call.objects.filter(pk=ids[call]).exists()
        case ["logged", "for", person]:
            logged = Call.objects.get(note=LOGGED)
            assert logged.user_id == ids.get(person)
            assert logged.organization_id == acme.id
        case [call, "for", person]:
            assert Call.objects.get(pk=ids[call]).user_id == ids[person]
        case ["created", "outcome"]:
            assert Outcome.objects.filter(organization=acme, name="Probe outcome").exists()
        case ["renamed", "outcome"]:
            assert Outcome.objects.get(pk=ids["outcome"]).name == "Renamed"
        case ["created", "lead"]:
            assert Lead.objects.filter(organization=acme, name="Probe lead").exists()
        case ["renamed", "lead"]:
            assert Lead.objects.get(pk=ids["lead"]).name == "Renamed"
        case ["created", "contact"]:
            assert Contact.objects.filter(lead_id=ids["lead"], name="Probe contact").exists()
        case ["renamed", "contact"]:
            assert Contact.objects.get(pk=ids["contact"]).name == "Renamed"
        case ["task", task, "noted"]:
            assert Task.objects.get(pk=ids[task]).text == NOTE
        case ["task", task, "done"]:
            assert Task.objects.get(pk=ids[task]).is_complete
        case ["task", task, "snoozed"]:
            assert Task.objects.get(pk=ids[task]).date == datetime.date(2030, 1, 10)
        case ["task", task, "deleted"]:
            assert not Task.objects.filter(pk=ids[task]).exists()
        case ["task", "logged", "for", person]:
            logged = Task.objects.get(text=LOGGED)
            assert logged.assigned_to_id == ids.get(person)
            assert (logged.organization_id, logged.lead_id) == (acme.id, ids["lead"])
        case ["tasks", "all", "done"]:
            assert not Task.objects.filter(is_complete=False).exists()
        case ["tasks", "of", person, "done"]:
            done = Task.objects.filter(is_complete=True)
            assert set(done.values_list("assigned_to", flat=True)) == {ids[person]}
            assert done.count() == 2
        case _:
            raise AssertionError(f"unknown effect {effect!r}")


@pytest.mark.parametrize(
    ("who", "door_name", "method", "path", "body", "expected"),
    MATRIX,
    ids=[_row_id(*row) for row in MATRIX],
)
def test_each_role_does_exactly_what_the_policy_allows(
    world, acme, who, door_name, method, path, body, expected
):
    people, ids = world
    client = door(who, door_name, people, acme)
    admin = door("ada", "admin", people, acme)  # signed in (last_login) before the snapshot
    if body is not None:
        body = {key: fill(value, ids) for key, value in body.items()}
    before = organization_rows(acme)

    url = fill(path, ids, escape=quote if door_name == "admin" else str)

    response = send(client, door_name, method, url, body, admin)

    if expected.startswith("403"):
        refusal = expected.removeprefix("403").strip()
        assert response.status_code == 403
        if door_name == "api":
            assert response.json() == {"error": refusal}
        else:
            content = response.content.decode()
            assert "<h1>Not allowed</h1>" in content
            assert escape(refusal) in content
        assert organization_rows(acme) == before
    else:
        assert response.status_code in (200, 201, 302), response.content[:500]
        assert_effect(expected, ids, acme)
        if expected == "shown":
            assert organization_rows(acme) == before


# What the pages offer: only what the user may do.


def _offers(response, call_id):
    """Whether the page offers to edit and to delete the call `call_id`."""
    content = response.content.decode()
    edit, delete = f'href="/calls/{call_id}/edit/"', f'href="/calls/{call_id}/delete/"'
    assert (edit in content) == (delete in content)
    return edit in content


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("mia", {"mias", "logged_by_mia", "given_to_mia"}),
        ("ada", set(CALLS)),
    ],
)
def test_the_timeline_offers_edit_and_delete_only_where_the_user_may_change_the_call(
    world, acme, who, offered
):
    people, ids = world
    client = door(who, "page", people, acme)

    response = client.get(f"/leads/{ids['lead']}/")

    assert response.status_code == 200
    assert {call for call in CALLS if _offers(response, ids[call])} == offered


@pytest.mark.parametrize(("call", "offered"), [("mias", True), ("ottos", False)])
def test_a_calls_own_page_offers_edit_and_delete_only_where_the_member_may(
    world, acme, call, offered
):
    people, ids = world
    client = door("mia", "page", people, acme)

    response = client.get(f"/calls/{ids[call]}/")

    assert response.status_code == 200
    assert _offers(response, ids[call]) is offered


@pytest.mark.parametrize(
    "path", ["/leads/{lead}/", "/leads/{lead}/calls/new/", "/calls/{mias}/edit/"]
)
def test_only_an_admin_gets_the_rep_picker_in_the_call_form(world, acme, path):
    people, ids = world

    as_mia = door("mia", "page", people, acme).get(fill(path, ids))
    as_ada = door("ada", "page", people, acme).get(fill(path, ids))

    assert as_mia.status_code == as_ada.status_code == 200
    assert 'name="user"' not in as_mia.content.decode()
    picker = as_ada.context["form"]["user"]
    assert picker.label == "Rep"
    assert [user.username for user in picker.field.queryset] == ["ada", "mia", "otto"]


def test_the_rep_picker_starts_on_the_admin_for_a_new_call_and_on_the_rep_for_an_edit(world, acme):
    people, ids = world
    client = door("ada", "page", people, acme)

    new = client.get(f"/leads/{ids['lead']}/calls/new/").context["form"]
    edit = client.get(f"/calls/{ids['ottos']}/edit/").context["form"]

    assert new["user"].value() == ids["ada"]
    assert edit["user"].value() == ids["otto"]


def test_a_refusal_is_the_sites_own_403_page_naming_who_may(world, acme):
    people, ids = world

    response = door("mia", "page", people, acme).get(f"/calls/{ids['ottos']}/edit/")

    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    assert escape(roles.can_change_call.refusal) in response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"


def test_a_staff_member_sees_nothing_in_the_admin(world, acme):
    people, ids = world

    response = door("mia", "admin", people, acme).get("/admin/")

    assert response.status_code == 200
    assert response.context["available_apps"] == []


def test_the_api_refusal_is_closes_error_shape(world, acme):
    people, ids = world

    response = door("mia", "api", people, acme).delete(f"{API}activity/call/{ids['ottos']}/")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": roles.can_change_call.refusal}
