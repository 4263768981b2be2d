"""The rep pages on a phone (390 px wide): the header on one line with its menu folded, the
timeline's filters folded so that the first call shows, and tap targets of at least 24 px."""

import pytest
from playwright.sync_api import expect

from accounts.models import Membership
from tests.browser.conftest import sign_in
from tests.conftest import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, world, client):
    """Alice on a phone, a member of a second organization too (the header's switcher shows)."""
    alice = world.users["alice"]
    Membership.objects.create(user=alice, organization=make_organization(name="Wayne Holdings"))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    sign_in(context, client, alice, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_header_is_one_line_with_the_menu_folded_and_the_search_under_it(phone, world):
    page = phone
    page.goto(world.lead.get_absolute_url())
    menu = page.get_by_text("Menu", exact=True)
    expect(page.get_by_label("Organization")).to_be_hidden()
    brand = page.locator(".brand").bounding_box()
    line = brand["y"] + brand["height"] / 2

    for part in (page.locator(".brand"), page.get_by_role("navigation", name="Main"), menu):
        box = part.bounding_box()
        assert box["y"] <= line <= box["y"] + box["height"], part
    search = page.get_by_role("banner").get_by_role("searchbox").bounding_box()
    assert search["y"] > brand["y"] + brand["height"] and search["width"] > 300

    menu.click()

    expect(page.get_by_label("Organization")).to_be_visible()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_filters_are_folded_and_the_first_call_shows(phone, world, screenshots):
    page = phone
    page.goto(world.lead.get_absolute_url())
    filters = page.get_by_role("form", name="Filter calls")
    expect(filters).to_be_hidden()
    page.screenshot(path=screenshots / "lead-phone.png")

    page.get_by_text("Filter calls", exact=True).click()

    expect(filters).to_be_visible()
    filters.get_by_label("Disposition").select_option("vm-left")
    filters.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("form", name="Filter calls")).to_be_visible()
    expect(page.locator(".filters-toggle summary")).to_have_text("Filter calls 1 set")
    expect(page.locator(".timeline > .call")).to_have_count(1)


def test_the_timelines_first_call_is_right_under_its_heading(phone, world):
    page = phone
    page.goto(world.lead.get_absolute_url())
    heading = page.get_by_role("heading", name="Calls").bounding_box()
    first_call = page.locator(f"#call-{world.call.id}").bounding_box()

    assert first_call["y"] - (heading["y"] + heading["height"]) < 80  # the folded filters' line


@pytest.mark.parametrize(
    "path, targets",
    [
        ("/leads/{lead.id}/", ".call__actions a"),
        ("/calls/{call.id}/transcript/", ".utterance__time"),
    ],
)
def test_tap_targets_are_at_least_24_px(phone, world, path, targets):
    page = phone
    page.goto(path.format(lead=world.lead, call=world.call))
    boxes = [target.bounding_box() for target in page.locator(targets).all()]

    assert boxes
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in boxes), boxes
