"""All calls (`/calls/`) in a browser, at desktop and phone widths (where the filters fold),
checked by axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.views import CALLS_PER_PAGE
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import sign_in
from tests.conftest import make_call, make_lead, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=WIDTHS)
def width(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return request.param


def rows(page):
    return page.locator("ol.timeline > li")


@pytest.fixture
def calls(alice, acme):
    """A page and a bit of Alice's calls on two leads, and a teammate's."""
    now = timezone.now()
    wayne, stark = make_lead(acme, name="Wayne Enterprises"), make_lead(acme, name="Stark Labs")
    made = [
        make_call(
            wayne if n % 2 else stark,
            alice,
            disposition="busy" if n % 5 == 0 else "no-answer",
            duration=0,
            activity_at=now - timedelta(hours=n),
        )
        for n in range(CALLS_PER_PAGE + 5)
    ]
    make_call(wayne, make_user(acme, first_name="Tess"), activity_at=now + timedelta(minutes=1))
    return made


def test_a_rep_pages_through_their_calls_and_filters_them(alice_page, calls, width, screenshots):
    page = alice_page
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
    expect(rows(page)).to_have_count(CALLS_PER_PAGE)
    expect(rows(page).first.get_by_role("link", name="Stark Labs")).to_be_visible()
    expect(page.get_by_text("Your calls.")).to_be_visible()
    if width == "desktop":
        page.screenshot(path=screenshots / "calls.png")
    assert_accessible(page)

    page.get_by_role("link", name="Older →").click()
    expect(rows(page)).to_have_count(5)
    expect(page.get_by_role("link", name="Older →")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="← Newer").click()
    expect(rows(page)).to_have_count(CALLS_PER_PAGE)
    expect(page.get_by_role("link", name="← Newer")).to_have_count(0)

    filters = page.get_by_role("form", name="Filter calls")
    if width == "phone":
        page.get_by_text("Filters", exact=True).click()
    filters.get_by_label("Disposition").select_option("busy")
    filters.get_by_role("button", name="Filter").click()
    expect(rows(page)).to_have_count(11)
    assert_accessible(page)

    filters.get_by_label("Recording").select_option("true")
    filters.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No call matches these filters.")).to_be_visible()
    assert_accessible(page)

    filters.get_by_label("Rep").select_option(label="Anyone")
    filters.get_by_label("Disposition").select_option(label="Any disposition")
    filters.get_by_label("Recording").select_option(label="Any")
    filters.get_by_role("button", name="Filter").click()
    expect(rows(page)).to_have_count(CALLS_PER_PAGE)
    expect(rows(page).first).to_contain_text("by Tess")


def test_the_filters_are_folded_on_a_phone_and_open_once_one_is_set(alice_page, calls, width):
    page = alice_page
    page.goto("/calls/")
    filters = page.get_by_role("form", name="Filter calls")
    summary = page.locator(".filters-toggle summary")
    if width == "phone":
        expect(filters).to_be_hidden()
        expect(summary).to_have_text("Filters")
        assert_accessible(page)
    else:
        expect(filters).to_be_visible()
        expect(summary).to_be_hidden()

    page.goto("/calls/?disposition=busy")

    expect(filters).to_be_visible()
    if width == "phone":
        expect(summary).to_have_text("Filters 1 set")
    assert_accessible(page)


def test_a_member_clears_the_rep_to_see_the_teams_calls(alice_page, calls, width):
    alice_page.goto("/calls/")
    alice_page.get_by_role("link", name="Show the team's calls").click()
    expect(rows(alice_page)).to_have_count(CALLS_PER_PAGE)
    expect(rows(alice_page).first).to_contain_text("by Tess")
    assert_accessible(alice_page)


def test_a_new_organization_says_it_has_no_calls(alice_page, width):
    alice_page.goto("/calls/?user_id=")
    expect(alice_page.get_by_text("No calls yet.")).to_be_visible()
    assert_accessible(alice_page)


def test_only_an_admin_is_offered_the_csv_download(
    page, live_server, client, alice, acme_admin, calls, width
):
    sign_in(page.context, client, alice, live_server.url)
    page.goto("/calls/")
    expect(rows(page)).to_have_count(CALLS_PER_PAGE)
    expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(page.context, client, acme_admin, live_server.url)
    page.goto("/calls/?disposition=busy")
    link = page.get_by_role("link", name="Download CSV")
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("id,_type,organization_id,lead_id,lead_name,")
    assert len(lines) == 1 + 11
