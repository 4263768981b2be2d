"""The Content-Security-Policy is set on every response, and every page works under it.

Each page is loaded in Chromium as a signed-in user; the browser must report no CSP violation
(a `securitypolicyviolation` event or a console error about the policy) and no script error.
Besides scripts and styles from our origin, the policy allows only the <style> elements that
Trix and DRF's browsable API insert, by hash (closecalls/middleware.py).
"""

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import make_call

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "img-src": "'self' data:",
    "media-src": "'self' https:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header):
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_strict(header):
    policy = directives(header)
    assert policy.items() >= EXPECTED.items()
    sources = policy["style-src"].split()
    assert sources[0] == "'self'"
    assert all(source.startswith("'sha256-") for source in sources[1:])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("anyone", "/accounts/login/"),
        ("anyone", "/api/v1/activity/call/"),
        ("anyone", "/api/schema/"),
        ("anyone", "/api/docs/"),
        ("anyone", "/no/such/page/"),
        ("anyone", "/admin/login/"),
        ("alice", "/leads/"),
        ("alice", "/api/v1/me/"),
    ],
)
def test_every_kind_of_response_carries_the_policy(client, alice, who, path):
    if who == "alice":
        client.force_login(alice)

    assert_strict(client.get(path)["Content-Security-Policy"])


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def load(page, url):
    """Open `url`; return the CSP violations and script errors the browser reported."""
    problems = []
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    problems += page.evaluate("window.__violations")
    return response, problems


@pytest.fixture
def call(lead, contact, alice, outcome):
    return make_call(
        lead,
        alice,
        contact=contact,
        disposition="answered",
        outcome=outcome,
        note_html="<p>Wants a <strong>demo</strong></p>",
        transcripts={
            "recording_transcript": {
                "summary_html": "<p>Demo on Tuesday.</p>",
                "utterances": [
                    {"speaker_side": "contact", "speaker_label": "Bruce", "start": 0, "end": 1,
                     "text": "Hello"},
                ],
            }
        },
    )  # fmt: skip


PAGES = [
    "/leads/",
    "/leads/new/",
    "/leads/{lead}/",
    "/leads/{lead}/calls/new/",
    "/calls/{call}/",
    "/calls/{call}/edit/",
    "/calls/{call}/transcript/",
    "/calls/{call}/transcript/?t=0.5#recording-0",
    "/calls/{call}/delete/",
    "/search/?q=hello+or+demo",
    "/accounts/settings/",
    "/api/v1/activity/call/",
    "/api/docs/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/activities/call/",
    "/admin/activities/call/add/",
    "/admin/activities/call/{call}/change/",
    "/admin/activities/transcript/",
    "/admin/activities/outcome/add/",
    "/admin/leads/lead/{lead}/change/",
    "/admin/leads/contact/",
    "/admin/accounts/apikey/add/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_rep_page_runs_under_the_policy(page, live_server, client, alice, call, path):
    sign_in(page.context, client, alice, live_server.url)

    response, problems = load(page, path.format(lead=call.lead_id, call=call.id))

    assert response.status == 200
    assert_strict(response.headers["content-security-policy"])
    assert problems == []


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_admin_page_runs_under_the_policy(page, live_server, client, acme_admin, call, path):
    sign_in(page.context, client, acme_admin, live_server.url)

    response, problems = load(page, path.format(lead=call.lead_id, call=call.id))

    assert response.status == 200
    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sign_in_page_runs_under_the_policy(page):
    response, problems = load(page, "/accounts/login/")

    assert_strict(response.headers["content-security-policy"])
    assert problems == []
