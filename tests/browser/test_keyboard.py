"""A keyboard user on the rep pages: skip links to the log-a-call form, Trix's toolbar in the
Tab order, and the shortcuts (`/` search, `l` log a call, `j`/`k` through the calls, `?`)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    return page.locator("*:focus")


def test_two_tabs_and_enter_reach_the_log_a_call_form(lead_page):
    page = lead_page

    page.keyboard.press("Tab")
    expect(focused(page)).to_have_text("Skip to content")
    page.keyboard.press("Tab")
    expect(focused(page)).to_have_text("Skip to the log-a-call form")
    expect(focused(page)).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    expect(page.locator("form#log-call").get_by_label("Contact")).to_be_focused()


def test_the_note_editors_toolbar_is_in_the_tab_order(lead_page):
    page = lead_page
    page.locator("form#log-call trix-editor").focus()

    page.keyboard.press("Shift+Tab")

    expect(page.locator("form#log-call trix-toolbar button:focus")).to_have_count(1)


def test_question_mark_lists_the_shortcuts_and_escape_closes_the_list(lead_page):
    page = lead_page
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(shortcuts).to_be_hidden()

    page.keyboard.press("?")

    expect(shortcuts).to_be_visible()
    expect(shortcuts.locator("dt")).to_have_text(["/", "l", "j", "k", "?"])
    page.keyboard.press("Escape")
    expect(shortcuts).to_be_hidden()


def test_l_takes_the_focus_to_the_log_a_call_form(lead_page):
    page = lead_page

    page.keyboard.press("l")

    expect(page.locator("form#log-call").get_by_label("Contact")).to_be_focused()


def test_j_and_k_move_through_the_calls_of_the_timeline(lead_page, world):
    page = lead_page
    newest, voicemail, oldest = (
        page.locator(f"#call-{call.id}")
        for call in (world.call, world.voicemail, world.others_call)
    )

    page.keyboard.press("j")
    expect(newest).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(oldest).to_be_focused()
    page.keyboard.press("j")
    expect(oldest).to_be_focused()
    page.keyboard.press("k")

    expect(voicemail).to_be_focused()
    expect(voicemail).to_be_in_viewport()


def test_slash_focuses_the_headers_search_box(lead_page):
    page = lead_page

    page.keyboard.press("/")

    expect(page.get_by_role("banner").get_by_role("searchbox")).to_be_focused()


def test_slash_focuses_the_pages_own_search_box(sized_page, world, client, live_server):
    page = sized_page
    sign_in(page.context, client, world.users["alice"], live_server.url)
    page.goto("/leads/?q=wayne")

    page.keyboard.press("/")

    expect(page.get_by_role("main").get_by_role("searchbox")).to_be_focused()
    assert page.url.endswith("/leads/?q=wayne")


def test_a_letter_typed_in_a_field_is_text_not_a_shortcut(lead_page):
    page = lead_page
    duration = page.locator("form#log-call").get_by_label("Duration")
    duration.fill("")

    page.keyboard.type("l?j")

    expect(duration).to_have_value("l?j")
    expect(duration).to_be_focused()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
