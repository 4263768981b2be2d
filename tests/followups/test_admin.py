"""Follow-up tasks in the Django admin: scoped to the organization, written through the services."""

import datetime

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from followups.models import Task
from tests.conftest import admin_form_data, make_task, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:followups_task_changelist")
ADD = reverse("admin:followups_task_add")


def change_url(task):
    return reverse("admin:followups_task_change", args=[quote(task.pk)])


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


def test_the_list_shows_the_tasks_with_their_lead_and_assignee(admin_client, alice, lead):
    task = make_task(lead, alice, text="Send pricing", date=datetime.date(2030, 1, 10))

    response = admin_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [task]
    assertContains(response, "Send pricing")
    assertContains(response, "Alice Archer")


def test_an_organization_admin_sees_only_their_organizations_tasks(
    acme_admin_client, alice, lead, bob, bob_lead
):
    mine = make_task(lead, alice)
    make_task(bob_lead, bob)

    response = acme_admin_client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [mine]


def test_filters_narrow_the_list(admin_client, alice, acme, lead):
    done = make_task(lead, alice, is_complete=True)
    make_task(lead, make_user(acme))

    response = admin_client.get(CHANGELIST, {"is_complete__exact": "1"})

    assert list(response.context["cl"].result_list) == [done]


def test_adding_a_task_goes_through_the_services(admin_client, acme, alice, lead, announced):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    data = admin_form_data(
        response, organization=acme.pk, lead=lead.pk, assigned_to=alice.pk, text="Call back",
        date="2030-01-10",
    )  # fmt: skip

    assertRedirects(admin_client.post(ADD, data), CHANGELIST)

    task = Task.objects.get()
    assert (task.text, task.date, task.assigned_to, task.organization) == (
        "Call back", datetime.date(2030, 1, 10), alice, acme
    )  # fmt: skip
    assert [(change.model, change.action) for change in announced] == [(Task, "created")]


def test_a_task_due_on_a_day_and_at_a_moment_is_refused(admin_client, acme, alice, lead):
    data = admin_form_data(
        admin_client.get(ADD), organization=acme.pk, lead=lead.pk, date="2030-01-10",
        due_at_0="2030-01-10", due_at_1="09:00",
    )  # fmt: skip

    response = admin_client.post(ADD, data)

    assert response.status_code == 200
    assertContains(response, "A task is due on a date or at a moment, not both.")
    assert not Task.objects.exists()


def test_changing_a_task_goes_through_the_services(admin_client, alice, lead, announced):
    task = make_task(lead, alice)
    announced.clear()
    data = admin_form_data(admin_client.get(change_url(task)), is_complete="on")

    assertRedirects(admin_client.post(change_url(task), data), CHANGELIST)

    task.refresh_from_db()
    assert task.is_complete
    assert [(change.action, change.changed) for change in announced] == [
        ("updated", frozenset({"is_complete"}))
    ]


def test_the_complete_action_marks_the_selected_tasks_done(admin_client, alice, lead):
    tasks = [make_task(lead, alice), make_task(lead, alice)]

    admin_client.post(
        CHANGELIST, {"action": "complete", "_selected_action": [task.pk for task in tasks]}
    )

    assert Task.objects.filter(is_complete=True).count() == 2


def test_a_staff_member_sees_no_tasks(client, acme, alice, lead):
    member = make_user(acme, is_staff=True)
    client.force_login(member)
    make_task(lead, alice)

    assert client.get(CHANGELIST).status_code == 403
