"""The rep's home in a browser, at desktop and phone widths: the day run from one page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from activities.models import Call
from followups.models import Task
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import WIDTHS, sign_in
from tests.conftest import make_call, make_contact, make_lead, make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def inbox(page):
    return page.get_by_role("region", name="Follow-ups")


def test_the_inbox_shows_overdue_follow_ups_first_and_each_is_done_in_one_click(
    alice_page, width, alice, lead
):
    page, today = alice_page, datetime.date.today()
    make_task(lead, alice, text="Send the contract", date=today)
    make_task(lead, alice, text="Chase the invoice", date=today - 2 * ONE_DAY)
    make_task(lead, alice, text="Not yet", date=today + ONE_DAY)
    page.goto("/")

    expect(inbox(page).locator(".task__title")).to_have_text(
        ["Chase the invoice", "Send the contract"]
    )
    expect(inbox(page).get_by_role("heading", level=3)).to_have_text(["Overdue 1", "Today 1"])
    assert_accessible(page)

    page.get_by_role("button", name="Done: Chase the invoice").click()

    expect(page.get_by_role("status")).to_contain_text("Done: Chase the invoice.")
    expect(inbox(page).locator(".task__title")).to_have_text(["Send the contract"])
    assert Task.objects.get(text="Chase the invoice").is_complete
    assert_accessible(page)


def test_a_follow_up_is_snoozed_to_a_quick_date_or_a_day_picked(alice_page, width, alice, lead):
    page, today = alice_page, datetime.date.today()
    make_task(lead, alice, text="Send the contract", date=today)
    make_task(lead, alice, text="Chase the invoice", date=today)
    page.goto("/")

    page.get_by_role("button", name="Snooze Send the contract to Tomorrow").click()
    expect(page.get_by_role("status")).to_contain_text("Snoozed to")
    page.get_by_text("Pick a day for Chase the invoice").click()
    page.get_by_label("Snooze to").fill((today + 10 * ONE_DAY).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Snooze", exact=True).click()

    expect(inbox(page)).to_contain_text("Nothing to follow up today.")
    assert dict(Task.objects.values_list("text", "date")) == {
        "Send the contract": today + ONE_DAY,
        "Chase the invoice": today + 10 * ONE_DAY,
    }
    assert_accessible(page)


def test_a_follow_up_opens_its_lead(alice_page, width, alice, lead):
    page = alice_page
    make_task(lead, alice, text="Send the contract", date=datetime.date.today())
    page.goto("/")

    page.get_by_role("link", name="Open lead Wayne Enterprises").click()

    expect(page).to_have_url(re.compile(re.escape(lead.get_absolute_url()) + "$"))
    expect(page.get_by_role("region", name="Follow-ups")).to_contain_text("Send the contract")


def test_a_new_reps_home_says_what_to_do_first(alice_page, width):
    page = alice_page
    page.goto("/")

    expect(inbox(page)).to_contain_text("Nothing to follow up today.")
    expect(page.get_by_role("region", name="Recently called")).to_contain_text("No calls yet")
    expect(page.locator(".numbers dd")).to_have_text(["0", "0", "0:00"])
    assert_accessible(page)


def test_the_search_box_finds_a_lead(alice_page, width, acme, lead):
    page = alice_page
    make_lead(acme, name="Stark Industries")
    page.goto("/")

    page.get_by_role("searchbox", name="Search", exact=True).fill("Wayne")
    page.get_by_role("searchbox", name="Search", exact=True).press("Enter")

    expect(page).to_have_url(re.compile(r"/leads/\?q=Wayne$"))
    expect(page.get_by_role("link", name="Wayne Enterprises")).to_be_visible()
    expect(page.get_by_role("link", name="Stark Industries")).to_have_count(0)


def test_an_admin_sees_the_teams_day(
    page, width, live_server, client, acme, acme_admin, alice, lead, screenshots
):
    acme_admin.first_name, acme_admin.last_name = "Carol", "Chen"
    acme_admin.save()
    sign_in(page.context, client, acme_admin, live_server.url)
    now = datetime.datetime.now(datetime.UTC)
    # Today's calls, a few minutes apart, however early in the (UTC) day the test runs.
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)

    def minutes_ago(minutes):
        return max(now - datetime.timedelta(minutes=minutes), midnight + (9 - minutes) * SECOND)

    contact = make_contact(lead, name="Bruce Wayne")
    make_call(
        lead, alice, disposition=Call.Disposition.ANSWERED, duration=95, activity_at=minutes_ago(0)
    )
    make_call(
        lead,
        acme_admin,
        contact=contact,
        disposition=Call.Disposition.NO_ANSWER,
        duration=0,
        activity_at=minutes_ago(5),
    )
    make_call(
        make_lead(acme, name="Stark Industries"),
        acme_admin,
        disposition=Call.Disposition.ANSWERED,
        duration=300,
        activity_at=minutes_ago(9),
    )
    make_call(lead, None, direction="inbound", disposition="no-answer", activity_at=minutes_ago(0))
    today = datetime.date.today()
    make_task(lead, acme_admin, text="Send the pricing sheet", date=today - 2 * ONE_DAY)
    make_task(lead, acme_admin, contact=contact, type="outgoing_call", date=today)
    page.goto("/")

    team = page.get_by_role("table", name="Each rep's calls today")
    expect(team.locator("tbody th")).to_have_text(["Carol Chen", "Alice Archer", "No rep"])
    expect(team.locator("tfoot td")).to_have_text(["4", "2", "6:35"])
    expect(page.get_by_role("region", name="Recently called").get_by_role("link")).to_have_text(
        ["Wayne Enterprises", "Stark Industries"]
    )
    assert_accessible(page)
    if width == WIDTHS["desktop"]:
        page.screenshot(path=screenshots / "home.png", full_page=True)
