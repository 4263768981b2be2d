"""The page that shows a new API key, once: the key is labelled, selects itself when focused and
has a Copy button, all under the Content-Security-Policy (no inline handler)."""

import pytest
from playwright.sync_api import expect

from accounts.models import ApiKey
from tests.browser.conftest import sign_in
from tests.browser.test_content_security_policy import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def problems_of(page):
    """Collect the page's CSP violations and script errors as they are reported."""
    problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    return problems


def issue_key_for_alice(page):
    """Issue a key for Alice in the admin, as an organization admin would."""
    page.goto("/admin/accounts/apikey/add/")
    page.locator(".field-membership .select2-selection").click()
    page.locator(".select2-search__field").fill("alice")
    page.locator(".select2-results__option", has_text="alice").click()
    page.get_by_label("Name").fill("Zapier")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="API key created")).to_be_visible()
    # The page's script is ready once it has shown the Copy button.
    expect(page.get_by_role("button", name="Copy")).to_be_visible()


@pytest.fixture
def admin_page(page, live_server, client, acme_admin, alice):
    sign_in(page.context, client, acme_admin, live_server.url)
    return page


def test_the_copy_button_copies_the_new_key(admin_page, live_server):
    page = admin_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    problems = problems_of(page)
    issue_key_for_alice(page)
    key_field = page.get_by_role("textbox", name="API key")

    page.get_by_role("button", name="Copy").click()

    expect(page.get_by_role("status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == key_field.input_value()
    assert ApiKey.objects.authenticate(copied) == ApiKey.objects.get(name="Zapier")
    assert problems + page.evaluate("window.__violations") == []


def test_focusing_the_key_selects_all_of_it_without_breaking_the_policy(admin_page):
    page = admin_page
    problems = problems_of(page)
    issue_key_for_alice(page)
    key_field = page.locator("#api-key")

    key_field.focus()

    key = key_field.input_value()
    selected = key_field.evaluate("field => [field.selectionStart, field.selectionEnd]")
    assert selected == [0, len(key)]
    assert problems + page.evaluate("window.__violations") == []
