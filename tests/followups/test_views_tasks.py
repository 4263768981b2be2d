"""The follow-ups on the pages: done, snoozed, added, and shown on a lead's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from accounts import roles
from followups.days import next_monday
from followups.models import Task
from tests.conftest import make_call, make_contact, make_lead, make_task, make_user
from tests.leads.test_views_detail import QUERIES_OF_THE_LEAD_PAGE

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def complete(client, task, **data):
    return client.post(reverse("followups:task_complete", args=[task.id]), data)


def snooze(client, task, **data):
    return client.post(reverse("followups:task_snooze", args=[task.id]), data)


def flashes(client):
    return [str(message) for message in client.get("/").context["messages"]]


def test_done_completes_the_task_and_goes_back(alice_browser, alice, lead):
    task = make_task(lead, alice, text="Send pricing")

    response = complete(alice_browser, task, next="/")

    assert (response.status_code, response["Location"]) == (302, "/")
    task.refresh_from_db()
    assert (task.is_complete, task.updated_by) == (True, alice)
    assert flashes(alice_browser) == ["Done: Send pricing."]


@pytest.mark.parametrize(
    ("until", "expected"),
    [("tomorrow", lambda today: today + DAY), ("next_week", next_monday)],
)
def test_snoozing_to_a_quick_date_moves_the_task(alice_browser, alice, lead, until, expected):
    task = make_task(lead, alice, due_at=timezone.now())

    response = snooze(alice_browser, task, until=until, next="/")

    assert response.status_code == 302
    task.refresh_from_db()
    day = expected(timezone.localdate())
    assert (task.date, task.due_at) == (day, None)
    assert flashes(alice_browser) == [f"Snoozed to {day:%a} {day.day} {day:%b}: {task.title}."]


def test_snoozing_to_a_day_picked(alice_browser, alice, lead):
    task = make_task(lead, alice)

    snooze(alice_browser, task, date="2030-01-10")

    task.refresh_from_db()
    assert task.date == datetime.date(2030, 1, 10)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Pick a day to snooze the follow-up to."),
        ({"date": "2020-01-01"}, "Pick today or a later day."),
        ({"until": "someday"}, "Select a valid choice. someday is not one of the available "
         "choices."),
    ],
)  # fmt: skip
def test_a_snooze_without_a_good_day_changes_nothing(alice_browser, alice, lead, data, message):
    task = make_task(lead, alice, date=datetime.date(2030, 1, 1))

    response = snooze(alice_browser, task, next="/", **data)

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.date == datetime.date(2030, 1, 1)
    assert flashes(alice_browser) == [message]


def test_without_a_next_page_the_form_goes_back_to_the_lead(alice_browser, alice, lead):
    task = make_task(lead, alice)

    response = complete(alice_browser, task, next="https://evil.example/")

    assert response["Location"] == f"{lead.get_absolute_url()}#task-{task.id}"


def test_a_member_may_not_complete_someone_elses_task(alice_browser, acme, lead):
    task = make_task(lead, make_user(acme))

    response = complete(alice_browser, task)

    assert response.status_code == 403
    assertContains(response, escape(roles.can_change_task.refusal), status_code=403)
    task.refresh_from_db()
    assert not task.is_complete


def test_a_member_completes_a_task_they_gave_someone(alice_browser, alice, acme, lead):
    task = make_task(lead, make_user(acme), created_by=alice)

    complete(alice_browser, task)

    task.refresh_from_db()
    assert task.is_complete


def test_another_organizations_task_is_not_found(alice_browser, bob, bob_lead):
    task = make_task(bob_lead, bob)

    assert complete(alice_browser, task).status_code == 404
    assert snooze(alice_browser, task, until="tomorrow").status_code == 404


def test_the_actions_are_posts(alice_browser, alice, lead):
    task = make_task(lead, alice)

    response = alice_browser.get(reverse("followups:task_complete", args=[task.id]))

    assert response.status_code == 405


# A lead's page


def test_a_leads_page_lists_its_open_follow_ups_soonest_first(alice_browser, alice, acme, lead):
    later = make_task(lead, alice, text="Later", date=datetime.date(2030, 1, 2))
    make_task(lead, alice, text="Sooner", date=datetime.date(2030, 1, 1))
    make_task(lead, alice, text="Done", is_complete=True)
    make_task(make_lead(acme), alice, text="Another lead's")

    response = alice_browser.get(lead.get_absolute_url())

    assert [task.text for task in response.context["tasks"]] == ["Sooner", "Later"]
    assertContains(
        response, '<h2 id="tasks-heading">Follow-ups <span class="count">2</span></h2>', html=True
    )
    assertContains(response, f'id="task-{later.id}"')
    assertNotContains(response, "Another lead")


def test_a_lead_page_offers_done_only_on_the_tasks_the_member_may_change(
    alice_browser, alice, acme, lead
):
    mine = make_task(lead, alice)
    theirs = make_task(lead, make_user(acme))

    content = alice_browser.get(lead.get_absolute_url()).content.decode()

    assert f'action="/tasks/{mine.id}/complete/"' in content
    assert f'action="/tasks/{theirs.id}/complete/"' not in content


def test_a_late_follow_up_says_so(alice_browser, alice, lead):
    make_task(lead, alice, date=timezone.localdate() - DAY)

    response = alice_browser.get(lead.get_absolute_url())

    assertContains(response, '<span class="task__late">overdue</span>', html=True)


def test_a_follow_up_is_added_on_a_leads_page(alice_browser, alice, acme, lead):
    carol = make_user(acme)
    contact = make_contact(lead)

    response = alice_browser.post(
        reverse("followups:task_create", args=[lead.id]),
        {"text": "Send the contract", "date": "2030-01-10", "contact": contact.id,
         "assigned_to": carol.id},
    )  # fmt: skip

    task = Task.objects.get()
    assert response["Location"] == f"{lead.get_absolute_url()}#task-{task.id}"
    assert (task.type, task.text, task.date, task.contact, task.assigned_to, task.created_by) == (
        "lead", "Send the contract", datetime.date(2030, 1, 10), contact, carol, alice
    )  # fmt: skip


def test_a_follow_up_in_error_is_shown_again_with_its_errors(alice_browser, bob, lead):
    response = alice_browser.post(
        reverse("followups:task_create", args=[lead.id]),
        {"text": "", "date": "2030-01-10", "assigned_to": bob.id},
    )

    assert response.status_code == 200
    assert set(response.context["task_form"].errors) == {"text", "assigned_to"}
    assert not Task.objects.exists()


def test_the_lead_page_costs_the_same_number_of_queries_whatever_the_follow_ups(
    alice_browser, alice, acme, lead, django_assert_num_queries
):
    make_call(lead, alice)
    make_task(lead, alice, contact=make_contact(lead))
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE):
        response = alice_browser.get(lead.get_absolute_url())
    assert response.status_code == 200
    for _ in range(10):
        make_task(lead, make_user(acme), contact=make_contact(lead))
    with django_assert_num_queries(QUERIES_OF_THE_LEAD_PAGE):
        response = alice_browser.get(lead.get_absolute_url())
    assert response.status_code == 200
    assertContains(response, '<li class="task task--lead"', count=11)
