import pytest
from playwright.sync_api import expect

from tests.conftest import make_contact, make_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_is_found_by_a_phone_typed_in_another_format_and_says_whose(alice_page, acme):
    wayne = make_lead(acme, name="Wayne Enterprises")
    make_contact(wayne, name="Bruce Wayne", phones=[{"phone": "+16505551234", "type": "mobile"}])
    make_contact(make_lead(acme, name="Stark Industries"), phones=[{"phone": "+16505559876"}])
    alice_page.goto("/leads/")
    search = alice_page.get_by_role("searchbox", name="Search leads")
    search.fill("(650) 555-1234")
    search.press("Enter")
    rows = alice_page.locator("table.leads tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Wayne Enterprises")
    match = rows.first.get_by_role("rowheader")
    expect(match).to_contain_text("matched Bruce Wayne's mobile")
    expect(match.get_by_role("link", name="+1 650-555-1234")).to_have_attribute(
        "href", "tel:+16505551234"
    )
