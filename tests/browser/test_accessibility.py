"""axe-core on every page a rep sees, in each of its states, at desktop and phone widths.

PAGES is the table: each row is one page in one state, with who looks at it and how to get
there from `World`, a small organization with what the pages show. A new page joins with one
line, a path (formatted with the world's objects) or a function of (page, world) that leaves
the browser on the page in the state to check:

    Visit("home", "/"),
    Visit("calls, filtered to nothing", "/calls/?disposition=busy"),
    Visit("a task's form", open_the_task_form),

Markup that is not ours (Swagger UI's, the Django admin's) is left out by `exclude`; the
project's own markup around it is checked.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import sign_in
from tests.browser.test_api_key import issue_key_for_alice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Visit:
    """One page in one state: `to` is a path (formatted with the world's attributes, e.g.
    "/calls/{call.id}/") or a function (page, world) that takes the browser there; `user` is
    a key of `World.users`, or None for a visitor who is signed out."""

    name: str
    to: str | Callable
    user: str | None = "alice"
    exclude: tuple = ()


def sign_in_with_a_wrong_password(page, world):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def log_a_call_with_errors(page, world):
    page.goto(f"/leads/{world.lead.id}/calls/new/")
    page.get_by_label("Disposition").select_option("vm-answer")
    page.get_by_label("Duration").fill("soon")
    page.get_by_role("button", name="Log call").click()
    expect(page.get_by_role("alert")).to_be_visible()


def log_a_call(page, world):
    """The lead's page after logging a call: the flash message and the highlighted call."""
    page.goto(world.lead.get_absolute_url())
    page.locator("form[data-call-form]").get_by_label("Disposition").select_option("no-answer")
    page.get_by_role("button", name="Log call").click()
    expect(page.locator(".message")).to_be_visible()


def add_a_lead_with_errors(page, world):
    page.goto("/leads/new/")
    page.get_by_label("Name").first.fill("Wayne Enterprises")
    page.get_by_label("Phone").first.fill("12")
    page.get_by_role("button", name="Add lead").click()
    expect(page.locator(".errorlist")).to_be_visible()


def open_the_shortcuts(page, world):
    page.goto(world.lead.get_absolute_url())
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def open_the_menu(page, world):
    """The header's menu, opened where it folds (a phone); wider, its items show anyway."""
    page.goto(world.lead.get_absolute_url())
    menu = page.get_by_text("Menu", exact=True)
    if menu.is_visible():
        menu.click()
    expect(page.get_by_role("link", name="Settings")).to_be_visible()


def log_a_call_in_one_click(page, world):
    page.goto(world.lead.get_absolute_url())
    page.locator(".contact", has_text="Lucius Fox").get_by_role("button", name="Busy").click()
    expect(page.get_by_role("button", name="Undo the call just logged")).to_be_visible()


def start_the_call_timer(page, world):
    page.goto(world.lead.get_absolute_url())
    page.get_by_role("link", name="+1 650-555-0199", exact=True).click()
    expect(page.get_by_role("timer")).to_be_visible()


def open_the_api_docs(page, world):
    page.goto("/api/docs/")
    expect(page.locator("#operations")).to_be_attached()  # Swagger UI has drawn the page


def issue_an_api_key(page, world):
    issue_key_for_alice(page)


PAGES = [
    Visit("sign-in", "/accounts/login/", user=None),
    Visit("sign-in, wrong password", sign_in_with_a_wrong_password, user=None),
    Visit("page not found", "/leads/lead_nope/"),
    Visit("not allowed", "/calls/{others_call.id}/edit/"),
    Visit("leads", "/leads/"),
    Visit("leads, none yet", "/leads/", user="dave"),
    Visit("leads, no match", "/leads/?q=nothing+like+this"),
    Visit("new lead", "/leads/new/"),
    Visit("new lead, errors", add_a_lead_with_errors),
    Visit("lead", "/leads/{lead.id}/"),
    Visit("lead, as an admin", "/leads/{lead.id}/", user="carol"),
    Visit("lead, no calls", "/leads/{empty_lead.id}/"),
    Visit("lead, filtered to nothing", "/leads/{lead.id}/?disposition=busy"),
    Visit("lead, a call just logged", log_a_call),
    Visit("lead, a call logged in one click", log_a_call_in_one_click),
    Visit("lead, the call timer running", start_the_call_timer),
    Visit("lead, the shortcuts listed", open_the_shortcuts),
    Visit("lead, the menu open", open_the_menu),
    Visit("log a call", "/leads/{lead.id}/calls/new/"),
    Visit("log a call, errors", log_a_call_with_errors),
    Visit("call", "/calls/{call.id}/"),
    Visit("edit a call", "/calls/{call.id}/edit/"),
    Visit("delete a call", "/calls/{call.id}/delete/"),
    Visit("transcript", "/calls/{call.id}/transcript/"),
    Visit("transcript, none", "/calls/{voicemail.id}/transcript/"),
    Visit("settings", "/accounts/settings/"),
    Visit("API key issued", issue_an_api_key, user="carol"),
    Visit("API docs", open_the_api_docs, exclude=("#swagger-ui",)),
    Visit("browsable API", "/api/v1/"),
    Visit("browsable API, a list", "/api/v1/activity/call/"),
    Visit("browsable API, a call", "/api/v1/activity/call/{call.id}/"),
    Visit("browsable API, signed out", "/api/v1/", user=None),
]


@pytest.mark.parametrize("visit", PAGES, ids=[visit.name for visit in PAGES])
def test_the_page_has_no_accessibility_violation(visit, sized_page, world, client, live_server):
    page = sized_page
    if visit.user is not None:
        sign_in(page.context, client, world.users[visit.user], live_server.url)
    if callable(visit.to):
        visit.to(page, world)
    else:
        page.goto(visit.to.format(**vars(world)))
    page.wait_for_load_state("load")
    assert_accessible(page, exclude=visit.exclude)
