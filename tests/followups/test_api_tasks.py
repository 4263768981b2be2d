"""Close's task API at /api/v1/task/: create, read, partial update, delete."""

import datetime

import pytest

from followups.days import today_in
from followups.models import Task
from tests.conftest import make_lead, make_task, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/task/"
UTC = datetime.UTC


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def put(client, task, body):
    return client.put(f"{URL}{task.id}/", body, content_type="application/json")


def test_a_task_is_created_for_the_caller_due_today(alice_api, alice, lead):
    response = post(alice_api, {"lead_id": lead.id, "text": "Send the pricing sheet"})

    assert response.status_code == 200
    task = response.json()
    assert task["id"].startswith("task_")
    assert task["_type"] == "lead"
    assert (task["lead_id"], task["lead_name"]) == (lead.id, "Wayne Enterprises")
    assert (task["assigned_to"], task["assigned_to_name"]) == (alice.id, "Alice Archer")
    assert task["date"] == task["due_date"] == today_in(UTC).isoformat()
    assert (task["is_complete"], task["is_dateless"], task["view"]) == (False, False, "inbox")
    assert (task["object_type"], task["object_id"]) == (None, None)
    assert (task["created_by"], task["created_by_name"]) == (alice.id, "Alice Archer")
    stored = Task.objects.get()
    assert (stored.text, stored.organization, stored.created_by) == (
        "Send the pricing sheet", lead.organization, alice
    )  # fmt: skip


def test_today_is_the_callers_day_given_by_x_tz_offset(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id}, HTTP_X_TZ_OFFSET="14.0")

    assert (
        response.json()["date"]
        == today_in(datetime.timezone(datetime.timedelta(hours=14))).isoformat()
    )


def test_an_outgoing_call_task_is_created_for_another_member_with_a_contact(
    alice_api, acme, lead, contact
):
    carol = make_user(acme)

    response = post(
        alice_api,
        {"lead_id": lead.id, "_type": "outgoing_call", "assigned_to": carol.id,
         "contact_id": contact.id, "date": "2030-01-10"},
    )  # fmt: skip

    task = response.json()
    assert (task["_type"], task["assigned_to"], task["contact_id"]) == (
        "outgoing_call", carol.id, contact.id
    )  # fmt: skip
    assert (task["contact_name"], task["date"], task["view"]) == (
        "Bruce Wayne",
        "2030-01-10",
        "future",
    )


def test_a_date_time_makes_a_timed_task_and_due_date_is_ignored(alice_api, lead):
    response = post(
        alice_api,
        {"lead_id": lead.id, "date": "2030-01-10T09:30:00-05:00", "due_date": "1999-01-01"},
    )

    task = response.json()
    assert task["date"] == "2030-01-10T14:30:00.000000+00:00"
    assert task["due_date"] == "2030-01-10"
    stored = Task.objects.get()
    assert (stored.date, stored.due_at) == (
        None,
        datetime.datetime(2030, 1, 10, 14, 30, tzinfo=UTC),
    )


def test_a_null_date_makes_a_dateless_task_in_the_inbox(alice_api, lead):
    task = post(alice_api, {"lead_id": lead.id, "date": None}).json()

    assert (task["date"], task["due_date"], task["is_dateless"], task["view"]) == (
        None, None, True, "inbox"
    )  # fmt: skip


@pytest.mark.parametrize("type_", ["missed_call", "voicemail", "email"])
def test_only_lead_and_outgoing_call_tasks_are_created(alice_api, lead, type_):
    response = post(alice_api, {"lead_id": lead.id, "_type": type_})

    assert response.status_code == 400
    assert "_type" in response.json()["field-errors"]
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ({"text": "No lead"}, "lead", "This field is required."),
        ({"lead_id": "lead_nope"}, "lead", "Object does not exist."),
        ({"lead_id": "{lead}", "date": "next tuesday"}, "date", "Enter a date (2026-12-02) or "
         "a date-time in ISO 8601."),
        ({"lead_id": "{lead}", "assigned_to": "user_nope"}, "assigned_to",
         "Object does not exist."),
    ],
)  # fmt: skip
def test_a_bad_body_is_a_400_keyed_by_the_field(alice_api, lead, body, key, message):
    response = post(alice_api, {name: value.format(lead=lead.id) for name, value in body.items()})

    assert response.status_code == 400
    assert response.json()["field-errors"][key] == message


def test_a_contact_of_another_lead_is_refused(alice_api, acme, lead, contact):
    other = make_lead(acme)

    response = post(alice_api, {"lead_id": other.id, "contact_id": contact.id})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "contact": "The contact does not belong to this lead."
    }


def test_get_answers_the_task(alice_api, alice, lead):
    task = make_task(lead, alice, text="Call back", date=datetime.date(2030, 1, 10))

    response = alice_api.get(f"{URL}{task.id}/")

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["text"]) == (task.id, "Call back")


def test_put_changes_only_the_sent_keys(alice_api, alice, lead):
    task = make_task(lead, alice, text="Call back", date=datetime.date(2030, 1, 10))
    before = alice_api.get(f"{URL}{task.id}/").json()

    response = put(alice_api, task, {"is_complete": True})

    after = response.json()
    assert response.status_code == 200
    assert (after["is_complete"], after["view"]) == (True, "archive")
    unchanged = set(before) - {"is_complete", "view", "date_updated"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_put_moves_the_date_and_hands_the_task_over(alice_api, acme, alice, lead):
    carol = make_user(acme)
    task = make_task(lead, alice, due_at=datetime.datetime(2030, 1, 10, 9, tzinfo=UTC))

    response = put(alice_api, task, {"date": "2030-02-01", "assigned_to": carol.id})

    assert (response.json()["date"], response.json()["assigned_to"]) == ("2030-02-01", carol.id)
    task.refresh_from_db()
    assert (task.date, task.due_at, task.assigned_to) == (datetime.date(2030, 2, 1), None, carol)


def test_the_text_of_a_task_a_call_left_cannot_be_changed(alice_api, alice, lead):
    task = make_task(lead, alice, type=Task.Type.MISSED_CALL)

    response = put(alice_api, task, {"text": "Something else"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {
        "text": "Only the text of lead and outgoing_call tasks can be changed."
    }


def test_delete_removes_the_task(alice_api, alice, lead):
    task = make_task(lead, alice)

    response = alice_api.delete(f"{URL}{task.id}/")

    assert (response.status_code, response.json()) == (200, {})
    assert not Task.objects.exists()


def test_the_lead_object_lists_its_incomplete_tasks(alice_api, alice, lead):
    later = make_task(lead, alice, text="Later", date=datetime.date(2030, 1, 11))
    sooner = make_task(lead, alice, text="Sooner", date=datetime.date(2030, 1, 10))
    make_task(lead, alice, text="Done", is_complete=True)

    tasks = alice_api.get(f"/api/v1/lead/{lead.id}/").json()["tasks"]

    assert [task["id"] for task in tasks] == [sooner.id, later.id]
    assert tasks[0] == alice_api.get(f"{URL}{sooner.id}/").json()


def test_a_page_of_leads_reads_their_tasks_in_one_query(
    alice_api, alice, acme, django_assert_num_queries
):
    for n in range(3):
        make_task(make_lead(acme), alice, text=f"Task {n}")

    with django_assert_num_queries(4):  # the key, the leads, their contacts, their tasks
        response = alice_api.get("/api/v1/lead/")

    assert response.status_code == 200
    assert sorted(task["text"] for lead in response.json()["data"] for task in lead["tasks"]) == [
        "Task 0", "Task 1", "Task 2"
    ]  # fmt: skip
