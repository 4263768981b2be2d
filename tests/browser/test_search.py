"""Searching in a real browser: the header's box, the results, the jump to the moment said, and
hostile words that stay words."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from search.views import CALLS_PER_PAGE
from tests.browser.accessibility import assert_accessible
from tests.browser.test_stored_xss import FIND_INJECTED, OUR_SCRIPTS
from tests.conftest import make_call, wav
from tests.search.conftest import recording
from tests.security.xss_corpus import XSS_CORPUS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}

CURRENT_TIME = "document.querySelector('audio[data-transcript-audio]').currentTime"
PAUSED = "document.querySelector('audio[data-transcript-audio]').paused"


@pytest.fixture
def call(lead, contact, alice):
    call = make_call(
        lead,
        alice,
        transcripts=recording(
            "Hello, Bruce Wayne speaking.",
            ("close-user", "Hi Bruce, it's Alice from Acme. Is now a good time?"),
            "Sure. We're reviewing the budget for the new fleet.",
            ("close-user", "Then a demo next Tuesday could help with the budget."),
            "Tuesday works. Send me an invite.",
            gap=4.5,
        ),
        contact=contact,
        disposition="answered",
        duration=24,
        activity_at=datetime(2024, 5, 14, 15, 42, tzinfo=UTC),
        note="Reviewing the fleet budget; demo on Tuesday.",
    )
    call.recording_file.save("call.wav", ContentFile(wav(seconds=24)), save=True)
    return call


def test_a_word_found_plays_the_recording_from_where_it_was_said(alice_page, call, screenshots):
    page = alice_page
    page.goto("/leads/")
    page.get_by_label("Search calls, notes and leads").fill("fleet")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Calls")).to_be_visible()
    moment = page.locator(".match__link")
    expect(moment).to_have_count(1)
    expect(moment.locator("mark")).to_have_text("fleet")
    expect(page.locator(".match--note mark")).to_have_text("fleet")
    page.screenshot(path=screenshots / "search.png", full_page=True)

    moment.click()

    page.wait_for_url(f"**/calls/{call.id}/transcript/?t=9.0#recording-2")
    page.wait_for_function(f"() => {CURRENT_TIME} >= 9")
    assert 9 <= page.evaluate(CURRENT_TIME) < 12
    assert page.evaluate(PAUSED) is False
    page.wait_for_function(f"() => {CURRENT_TIME} > 9.5")  # playing, not only sought
    utterance = page.locator("#recording-2")
    expect(utterance.locator(".utterance__text")).to_have_text(
        "Sure. We're reviewing the budget for the new fleet."
    )
    assert page.evaluate("document.querySelector(':target').id") == "recording-2"
    expect(utterance).to_have_css("box-shadow", "rgb(245, 158, 11) 0px 0px 0px 2px")


def test_a_shared_moment_plays_from_its_time(alice_page, call):
    page = alice_page

    page.goto(f"/calls/{call.id}/transcript/?t=13.5#recording-3")

    page.wait_for_function(f"() => {CURRENT_TIME} >= 13.5")
    assert page.evaluate(CURRENT_TIME) < 16.5
    expect(page.locator("#recording-3")).to_have_class("utterance utterance--rep is-speaking")


def test_without_javascript_the_link_still_opens_the_utterance(browser, live_server, client, call):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    client.force_login(call.user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto("/search/?q=invite")
    page.locator(".match__link").click()

    expect(page.locator("#recording-4")).to_be_in_viewport()
    assert page.evaluate(CURRENT_TIME) == 0  # nothing seeks without JavaScript
    context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(
    "path",
    [
        "/search/",
        "/search/?q=budget&order=newest",
        "/search/?q=budget&speaker_side=contact&disposition=answered&activity_at__gte=2024-05-01",
        "/search/?q=zeppelin",
        "/search/?q=-budget",
    ],
    ids=["empty", "results", "filtered", "no-match", "refused"],
)
def test_the_search_page_is_accessible(alice_page, call, width, path):
    page = alice_page
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(path)

    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_a_moment_s_transcript_page_is_accessible(alice_page, call, width):
    page = alice_page
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"/calls/{call.id}/transcript/?t=9.0#recording-2")

    page.wait_for_function(f"() => {CURRENT_TIME} >= 9")
    assert_accessible(page)


@pytest.fixture
def unguarded_page(browser, live_server, client, alice):
    """Alice's tab, ignoring the Content-Security-Policy and recording every dialog: the
    escaping is proven on its own (test_content_security_policy.py proves the second wall)."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    client.force_login(alice)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def test_hostile_words_found_are_shown_as_words(unguarded_page, lead, alice):
    hostile = [*XSS_CORPUS, "<mark>budget</mark>", "</mark><script>window.__xss=99</script>"]
    for payload in hostile:
        make_call(
            lead,
            alice,
            note=f"Budget note {payload}",
            transcripts={
                "recording_transcript": {
                    "utterances": [
                        {"speaker_side": "contact", "speaker_label": payload, "start": 1,
                         "end": 2, "text": f"The budget: {payload}"}
                    ]
                }
            },
        )  # fmt: skip
    page = unguarded_page

    pages, marked = 0, []
    url = "/search/?q=budget+or+mark+or+script+or+img"
    while url:
        page.goto(url, wait_until="load")
        assert page.evaluate(FIND_INJECTED, OUR_SCRIPTS) + page.dialogs == [], url
        marked += page.locator(".match__text mark").all_inner_texts()
        pages += 1
        following = page.locator("a[rel=next]")
        url = following.get_attribute("href") if following.count() else None
        url = url and "/search/" + url

    assert pages == -(-len(hostile) // CALLS_PER_PAGE)  # every call found
    assert {word.lower() for word in marked} == {"budget", "mark", "script", "img"}
