"""Follow-ups on a lead's page in a browser, at desktop and phone widths: one added with a
logged call, one added by hand, the task a missed call leaves, and the form's errors."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Call
from followups.models import Task
from tests.browser.accessibility import assert_accessible
from tests.conftest import make_call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_DAY = datetime.timedelta(days=1)


def follow_ups(page):
    return page.get_by_role("region", name="Follow-ups")


def call_form(page):
    return page.locator("form[data-call-form]")


def test_a_call_logged_with_a_quick_follow_up_leaves_it_on_the_lead(
    alice_page, width, alice, lead, contact
):
    page = alice_page
    page.goto(lead.get_absolute_url())
    form = call_form(page)
    form.get_by_label("Disposition").select_option("no-answer")
    form.get_by_label("In 3 days").check()
    form.get_by_label("What to do").fill("Try the office line")
    assert_accessible(page)

    form.get_by_role("button", name="Log call").click()
    page.wait_for_url("**highlight=*")

    task = Task.objects.get()
    expect(follow_ups(page).locator(f"#task-{task.id}")).to_contain_text("Try the office line")
    assert (task.type, task.contact, task.assigned_to, task.date) == (
        Task.Type.OUTGOING_CALL, contact, alice, timezone.localdate() + 3 * ONE_DAY
    )  # fmt: skip
    assert Call.objects.get().disposition == Call.Disposition.NO_ANSWER
    assert_accessible(page)


def test_a_follow_up_without_a_day_is_an_error_and_logs_nothing(alice_page, width, lead):
    page = alice_page
    page.goto(lead.get_absolute_url())
    form = call_form(page)
    form.get_by_label("Disposition").select_option("no-answer")
    form.get_by_label("What to do").fill("Try the office line")

    form.get_by_role("button", name="Log call").click()

    expect(page.get_by_text("Pick when to follow up.")).to_be_visible()
    assert (Call.objects.count(), Task.objects.count()) == (0, 0)
    assert_accessible(page)


def test_a_follow_up_is_added_on_the_lead_page(alice_page, width, alice, lead, contact):
    page = alice_page
    day = timezone.localdate() + 10 * ONE_DAY
    page.goto(lead.get_absolute_url())
    section = follow_ups(page)
    expect(section).to_contain_text("Nothing to follow up on this lead.")

    section.get_by_text("Add a follow-up").click()
    section.get_by_label("What").fill("Send the contract")
    section.get_by_label("When").fill(day.isoformat())
    section.get_by_label("Contact").select_option(label="Bruce Wayne")
    assert_accessible(page)
    section.get_by_role("button", name="Add follow-up").click()

    task = Task.objects.get()
    expect(follow_ups(page).locator(f"#task-{task.id}")).to_contain_text("Send the contract")
    assert (task.type, task.date, task.contact, task.assigned_to) == ("lead", day, contact, alice)
    assert_accessible(page)


def test_a_missed_call_leaves_a_follow_up_that_is_done_in_one_click(
    alice_page, width, alice, lead, contact
):
    page = alice_page
    make_call(lead, alice, contact=contact, direction="inbound", disposition="no-answer")
    page.goto(lead.get_absolute_url())
    task = follow_ups(page).locator(".task")
    expect(task).to_contain_text("Missed call from Bruce Wayne")
    expect(task.get_by_role("link", name="The call")).to_be_visible()
    assert_accessible(page)

    task.get_by_role("button", name="Done: Missed call from Bruce Wayne").click()

    expect(follow_ups(page)).to_contain_text("Nothing to follow up on this lead.")
    assert Task.objects.get().is_complete
