"""PUT /api/v1/task/?<filters>: one change to every task the filters find."""

import datetime

import pytest

from accounts import roles
from followups.models import Task
from tests.conftest import make_lead, make_task, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/task/"


def bulk(client, query, body):
    return client.put(f"{URL}?{query}", body, content_type="application/json")


def test_completing_the_tasks_the_filters_find_answers_their_count(alice_api, alice, acme, lead):
    other_lead = make_lead(acme)
    found = [make_task(lead, alice), make_task(lead, alice)]
    untouched = make_task(other_lead, alice)

    response = bulk(alice_api, f"lead_id={lead.id}", {"is_complete": True})

    assert (response.status_code, response.json()) == (200, {"count": 2})
    assert set(Task.objects.filter(is_complete=True)) == set(found)
    untouched.refresh_from_db()
    assert not untouched.is_complete


def test_tasks_are_handed_over_and_moved_in_bulk(alice_api, alice, acme, lead):
    carol = make_user(acme)
    tasks = [make_task(lead, alice), make_task(lead, alice)]

    response = bulk(
        alice_api,
        "id__in=" + ",".join(task.id for task in tasks),
        {"assigned_to": carol.id, "date": "2030-03-01"},
    )

    assert response.json() == {"count": 2}
    assert set(Task.objects.values_list("assigned_to", "date", "updated_by")) == {
        (carol.id, datetime.date(2030, 3, 1), alice.id)
    }


def test_bulk_updates_keep_to_lead_tasks_unless_types_are_asked(alice_api, alice, lead):
    make_task(lead, alice, type=Task.Type.MISSED_CALL)
    make_task(lead, alice)

    assert bulk(alice_api, "", {"is_complete": True}).json() == {"count": 1}
    assert bulk(alice_api, "_type=all", {"is_complete": True}).json() == {"count": 2}


def test_the_text_is_not_changed_in_bulk(alice_api, alice, lead):
    task = make_task(lead, alice, text="Call back")

    response = bulk(alice_api, "", {"text": "Changed"})

    assert response.json() == {"count": 1}
    task.refresh_from_db()
    assert task.text == "Call back"


def test_a_member_changes_nothing_if_one_task_found_is_not_theirs(alice_api, alice, acme, lead):
    carol = make_user(acme)
    make_task(lead, alice)
    make_task(lead, carol)

    response = bulk(alice_api, f"lead_id={lead.id}", {"is_complete": True})

    assert response.status_code == 403
    assert response.json() == {"error": roles.can_change_task.refusal}
    assert not Task.objects.filter(is_complete=True).exists()


def test_an_admin_changes_everyones_tasks(acme_admin_api, alice, acme, lead):
    carol = make_user(acme)
    make_task(lead, alice)
    make_task(lead, carol)

    response = bulk(acme_admin_api, f"lead_id={lead.id}", {"is_complete": True})

    assert response.json() == {"count": 2}


def test_a_bad_body_changes_nothing(alice_api, alice, lead):
    make_task(lead, alice)

    response = bulk(alice_api, "", {"assigned_to": "user_nope"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"assigned_to": "Object does not exist."}


def test_each_task_changed_in_bulk_is_announced(alice_api, alice, lead, announced):
    tasks = [make_task(lead, alice), make_task(lead, alice)]
    announced.clear()

    bulk(alice_api, "", {"is_complete": True})

    assert {(change.pk, change.action, change.changed) for change in announced} == {
        (task.id, "updated", frozenset({"is_complete"})) for task in tasks
    }
