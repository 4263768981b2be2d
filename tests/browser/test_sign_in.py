import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_signs_in_and_lands_on_the_leads(page, alice):
    page.goto("/leads/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Leads")).to_be_visible()
    assert page.url.endswith("/leads/")
    expect(page.get_by_role("banner").get_by_text("Alice Archer")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Settings")).to_be_visible()


def test_a_wrong_password_keeps_the_rep_out(page, alice):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
