import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_in_paris(browser, live_server, client, alice):
    context = browser.new_context(base_url=live_server.url, timezone_id="Europe/Paris")
    sign_in(context, client, alice, live_server.url)
    yield context.new_page()
    context.close()


def test_the_browsers_time_zone_is_suggested(page_in_paris, alice):
    page = page_in_paris
    page.goto("/accounts/settings/")
    expect(page.get_by_label("Time zone")).to_have_value("UTC")
    expect(page.locator("[data-browser-zone-hint]")).to_contain_text("Europe/Paris")
    page.get_by_role("button", name="Use it").click()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Europe/Paris")
    alice.refresh_from_db()
    assert alice.time_zone == "Europe/Paris"
