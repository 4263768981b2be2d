import re

import pytest
from playwright.sync_api import expect

from activities.models import Call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    "<p>Hi<script>window.pwned = 'script'; alert('script')</script></p>"
    "<img src=x onerror=\"window.pwned = 'img'; alert('img')\">"
    "<a href=\"javascript:window.pwned='link';alert('link')\">click me</a>"
    "<svg onload=\"window.pwned = 'svg'\"></svg>"
)


@pytest.fixture
def dialogs(alice_page):
    seen = []

    def dismiss(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    alice_page.on("dialog", dismiss)
    return seen


def note_editor(page):
    return page.locator("trix-editor")


def log_call(page):
    page.get_by_role("button", name="Log call").click()
    page.wait_for_url("**highlight=*")


def test_a_call_with_a_bold_word_and_a_link_lands_on_the_timeline(alice_page, lead, contact):
    page = alice_page
    page.goto(lead.get_absolute_url())
    form = page.locator("form[data-call-form]")
    expect(form.get_by_label("Phone")).to_have_value("+1 650-555-1234")
    form.get_by_label("Disposition").select_option("answered")
    form.get_by_label("Duration").fill("1:30")

    bold = page.locator("trix-toolbar [data-trix-attribute=bold]")
    note_editor(page).click()
    page.keyboard.type("Wants a ")
    bold.click()
    page.keyboard.type("demo")
    expect(bold).to_have_class(re.compile("trix-active"))
    bold.click()
    expect(bold).not_to_have_class(re.compile("trix-active"))
    page.keyboard.type(" of the docs")
    for _ in range(4):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator("trix-toolbar [data-trix-action=link]").click()
    page.locator("trix-toolbar input[name=href]").fill("https://acme.example/docs")
    page.locator("trix-toolbar input[data-trix-method=setAttribute]").click()
    log_call(page)

    call = Call.objects.get()
    row = page.locator(f"#call-{call.id}")
    expect(row).to_have_class("call call--answered is-highlighted")
    expect(row.locator(".call__note strong")).to_have_text("demo")
    expect(row.locator(".call__note a")).to_have_attribute("href", "https://acme.example/docs")
    expect(row).to_contain_text("1:30")
    assert call.note == "Wants a demo of the docs"
    assert "<strong>demo</strong>" in call.note_html
    assert (call.call_method, call.contact, call.phone) == ("regular", contact, "+16505551234")


def test_the_outcome_is_only_offered_for_a_connected_call(alice_page, lead, outcome):
    page = alice_page
    page.goto(lead.get_absolute_url())
    form = page.locator("form[data-call-form]")
    outcome_select = form.get_by_label("Outcome")
    expect(outcome_select).to_be_visible()
    form.get_by_label("Disposition").select_option("no-answer")
    expect(outcome_select).to_be_hidden()
    form.get_by_label("Disposition").select_option("answered")
    outcome_select.select_option(label="Demo booked")
    log_call(page)
    assert Call.objects.get().outcome == outcome


def test_a_pasted_hostile_note_is_inert(alice_page, lead, dialogs):
    page = alice_page
    page.goto(lead.get_absolute_url())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate(
        """html => navigator.clipboard.write([new ClipboardItem({
            "text/html": new Blob([html], {type: "text/html"}),
            "text/plain": new Blob(["hostile"], {type: "text/plain"}),
        })])""",
        HOSTILE,
    )
    note_editor(page).click()
    page.keyboard.press("Control+V")
    expect(note_editor(page)).to_contain_text("click me")
    log_call(page)
    assert_inert(page, dialogs)


def test_a_hostile_note_sent_around_the_editor_is_inert(alice_page, lead, dialogs):
    page = alice_page
    page.goto(lead.get_absolute_url())
    # What a client that skips the editor could send: the server's sanitizer is the defence.
    page.evaluate("html => { document.getElementById('log_note_html').value = html; }", HOSTILE)
    page.locator("trix-editor").evaluate("editor => editor.remove()")
    log_call(page)
    assert_inert(page, dialogs)
    assert Call.objects.get().note == "Hi\nclick me"


def assert_inert(page, dialogs):
    note = page.locator(".call__note").first
    expect(note).to_contain_text("click me")
    assert note.locator("script, img, svg, [onerror], [onload]").count() == 0
    assert note.locator("a[href^='javascript']").count() == 0
    note.get_by_text("click me").click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.pwned") is None
    assert dialogs == []


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_note_is_a_plain_textarea(page_without_javascript, alice, lead):
    page = page_without_javascript
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(lead.get_absolute_url())
    form = page.locator("form[data-call-form]")
    expect(form.locator("trix-editor")).to_be_hidden()
    form.get_by_role("textbox", name="Note").fill("Called twice.\nWill try <b>Friday</b>.")
    log_call(page)
    expect(page.locator(".call__note")).to_contain_text("Will try <b>Friday</b>.")
    assert Call.objects.get().note == "Called twice.\nWill try <b>Friday</b>."
