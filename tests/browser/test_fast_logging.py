"""Fast logging on a lead's page: a call that did not connect in one click, undone within ten
seconds; pressing a contact's number readies the form with a timer for the call's duration."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from activities.models import Call
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def card(page, name):
    return page.locator(".contact", has_text=name)


def dial(page, name, number):
    """Press the number of the contact called `name`. The test browser has no phone app: there
    a tel: link stays a pending navigation that swallows the clicks after it, so the number goes
    to no one here (the page's own handling of the press runs as it does for a rep)."""
    link = card(page, name).get_by_role("link", name=number, exact=True)
    expect(link).to_have_attribute("href", "tel:" + number.replace(" ", "").replace("-", ""))
    link.evaluate(
        "link => link.addEventListener('click', (event) => event.preventDefault(), {once: true})"
    )
    link.click()


def stop_the_clock(page):
    """The page's clock moves only with `page.clock.run_for()`."""
    page.clock.install()
    page.clock.pause_at(datetime.now() + timedelta(minutes=1))


def test_no_answer_is_logged_in_one_click_and_undone(lead_page, world):
    page = lead_page
    before = Call.objects.count()

    card(page, "Lucius Fox").get_by_role("button", name="No answer").click()

    call = Call.objects.latest("date_created")
    expect(page.locator(".messages")).to_contain_text("Logged: No answer, Lucius Fox.")
    expect(page.locator(f"#call-{call.id}")).to_have_class("call call--no-answer is-highlighted")
    assert (call.phone, call.duration, call.user) == ("+16505550199", 0, world.users["alice"])

    page.get_by_role("button", name="Undo the call just logged").click()

    expect(page.locator(".messages")).to_contain_text("Undone: the call was removed.")
    expect(page.locator(f"#call-{call.id}")).to_have_count(0)
    assert Call.objects.count() == before


def test_the_undo_button_leaves_when_its_ten_seconds_are_up(lead_page):
    page = lead_page
    page.clock.install()
    card(page, "Bruce Wayne").get_by_role("button", name="Busy").click()
    undo = page.get_by_role("button", name="Undo the call just logged")
    expect(undo).to_be_visible()

    page.clock.run_for(9_000)
    expect(undo).to_be_visible()
    page.clock.run_for(1_500)

    expect(undo).to_have_count(0)
    expect(page.locator(".messages")).to_contain_text("Logged: Busy, Bruce Wayne.")


def test_pressing_a_number_readies_the_form_and_its_timer_fills_the_duration(lead_page, world):
    page = lead_page
    stop_the_clock(page)
    form = page.locator("form#log-call")

    dial(page, "Lucius Fox", "+1 650-555-0199")

    expect(form.get_by_label("Contact")).to_have_value(
        world.lead.contacts.get(name="Lucius Fox").id
    )
    expect(form.get_by_label("Phone")).to_have_value("+1 650-555-0199")
    expect(form.get_by_label("Outbound")).to_be_checked()
    stop = form.get_by_role("button", name="Stop and fill the duration")
    expect(stop).to_be_focused()
    page.clock.run_for(125_000)
    expect(form.get_by_role("timer")).to_have_text("2:05")

    stop.click()

    expect(form.get_by_label("Duration")).to_have_value("2:05")
    expect(form.get_by_role("status")).to_have_text("Duration set to 2:05.")
    expect(form.get_by_label("Disposition")).to_be_focused()
    expect(stop).to_be_hidden()
    form.get_by_role("button", name="Log call").click()
    page.wait_for_url("**highlight=*")
    call = Call.objects.latest("date_created")
    assert (call.contact.name, call.phone, call.duration) == ("Lucius Fox", "+16505550199", 125)


def test_logging_the_call_while_the_timer_runs_takes_its_time(lead_page):
    page = lead_page
    stop_the_clock(page)
    dial(page, "Bruce Wayne", "+1 650-555-1234")
    page.clock.run_for(42_000)

    page.locator("form#log-call").get_by_role("button", name="Log call").click()

    page.wait_for_url("**highlight=*")
    assert Call.objects.latest("date_created").duration == 42


@pytest.fixture
def page_without_javascript(browser, live_server, world, client):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    sign_in(context, client, world.users["alice"], live_server.url)
    yield context.new_page()
    context.close()


def test_without_javascript_a_link_opens_the_form_for_the_number(page_without_javascript, world):
    page = page_without_javascript
    page.goto(world.lead.get_absolute_url())
    number = card(page, "Lucius Fox").get_by_role("link", name="+1 650-555-0199", exact=True)
    expect(number).to_have_attribute("href", "tel:+16505550199")

    card(page, "Lucius Fox").get_by_role("link", name="Log a call to +1 650-555-0199").click()

    form = page.locator("form[data-call-form]")
    expect(form.get_by_label("Contact")).to_have_value(
        world.lead.contacts.get(name="Lucius Fox").id
    )
    expect(form.get_by_label("Phone")).to_have_value("+1 650-555-0199")


def test_without_javascript_one_click_logging_and_undo_work(page_without_javascript, world):
    page = page_without_javascript
    page.goto(world.lead.get_absolute_url())
    before = Call.objects.count()

    card(page, "Bruce Wayne").get_by_role("button", name="Voicemail left").click()
    expect(page.locator(".messages")).to_contain_text("Logged: Voicemail left, Bruce Wayne.")
    assert Call.objects.count() == before + 1
    page.get_by_role("button", name="Undo the call just logged").click()

    expect(page.locator(".messages")).to_contain_text("Undone")
    assert Call.objects.count() == before
