"""Playwright against pytest-django's live server, driving Debian's Chromium (no download)."""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test's thread, which Django's ORM takes for
# async code; the test's own database calls are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def sign_in(context, client, user, url):
    """Give the browser `context` a session of `user`, as if they had signed in at `url`."""
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])


@pytest.fixture
def alice_page(page, alice, live_server, client):
    """The browser, signed in as Alice."""
    sign_in(page.context, client, alice, live_server.url)
    return page


@pytest.fixture
def screenshots(tmp_path):
    """Where the tests save their screenshots: the README's own with UPDATE_SCREENSHOTS=1
    (`make screenshots`), else a temporary folder, so that a test run leaves the tree as it was."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return tmp_path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# The widths every page is checked at (the `width` fixture): a desktop's and a phone's.
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=WIDTHS.values(), ids=WIDTHS.keys())
def width(request, page):
    """Run the test once at each of the WIDTHS, the page's viewport that wide."""
    page.set_viewport_size({"width": request.param, "height": 900})
    return request.param


from tests.browser.pages import lead_page, sized_page, world  # noqa: E402, F401 (fixtures)
from tests.transcription.conftest import sales_call  # noqa: E402, F401 (fixtures)
from tests.workers import start_worker, worker_env  # noqa: E402, F401
