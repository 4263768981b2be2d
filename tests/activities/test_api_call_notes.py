"""note and note_html through the API: one overwrites the other, note_html wins, HTML is inert."""

import pytest

from tests.conftest import make_call

URL = "/api/v1/activity/call/"
HOSTILE = [
    '<p>Hi<script>alert("x")</script></p>',
    '<p onclick="steal()">Hi</p><img src=x onerror="steal()">',
    '<a href="javascript:steal()">Hi</a>',
    "<p><strong>Hi <em>there",
    '<iframe src="https://evil.example.com"></iframe><p style="x">Hi</p>',
]


def create(client, lead, **note):
    return client.post(URL, {"lead_id": lead.id, **note}, content_type="application/json").json()


def update(client, call, **note):
    return client.put(f"{URL}{call.id}/", note, content_type="application/json").json()


@pytest.fixture
def noted_call(lead, alice):
    return make_call(lead, alice, note_html="<p>Original</p>")


def test_create_without_a_note_stores_an_empty_one(alice_api, lead):
    body = create(alice_api, lead)

    assert (body["note"], body["note_html"]) == ("", "<body></body>")


def test_create_with_a_plain_note_derives_escaped_html(alice_api, lead):
    body = create(alice_api, lead, note="Call back <Friday>\nAsk for Bruce")

    assert body["note"] == "Call back <Friday>\nAsk for Bruce"
    assert body["note_html"] == "<body>Call back &lt;Friday&gt;<br />Ask for Bruce</body>"


def test_create_with_note_html_derives_readable_plaintext(alice_api, lead):
    body = create(alice_api, lead, note_html="<p>Agenda</p><ul><li>Pricing</li><li>Demo</li></ul>")

    assert body["note_html"] == "<body><p>Agenda</p><ul><li>Pricing</li><li>Demo</li></ul></body>"
    assert body["note"] == "Agenda\nPricing\nDemo"


def test_create_with_both_takes_note_html(alice_api, lead):
    body = create(alice_api, lead, note="ignored", note_html="<p>Kept</p>")

    assert (body["note"], body["note_html"]) == ("Kept", "<body><p>Kept</p></body>")


def test_update_without_a_note_leaves_it_alone(alice_api, noted_call):
    body = update(alice_api, noted_call, duration=5)

    assert (body["note"], body["note_html"]) == ("Original", "<body><p>Original</p></body>")


def test_update_with_a_plain_note_overwrites_the_html(alice_api, noted_call):
    body = update(alice_api, noted_call, note="New & plain")

    assert (body["note"], body["note_html"]) == ("New & plain", "<body>New &amp; plain</body>")


def test_update_with_note_html_overwrites_the_plaintext(alice_api, noted_call):
    body = update(alice_api, noted_call, note_html="<p>New <b>rich</b></p>")

    assert (body["note"], body["note_html"]) == ("New rich", "<body><p>New <b>rich</b></p></body>")


def test_update_with_both_takes_note_html(alice_api, noted_call):
    body = update(alice_api, noted_call, note="ignored", note_html="<p>Kept</p>")

    assert (body["note"], body["note_html"]) == ("Kept", "<body><p>Kept</p></body>")


def test_a_null_note_counts_as_not_sent(alice_api, noted_call):
    body = update(alice_api, noted_call, note="Plain wins", note_html=None)

    assert body["note"] == "Plain wins"


def test_an_empty_note_clears_it(alice_api, noted_call):
    body = update(alice_api, noted_call, note="")

    assert (body["note"], body["note_html"]) == ("", "<body></body>")


def assert_inert(note_html):
    lowered = note_html.lower()
    for danger in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img", "style="):
        assert danger not in lowered
    assert note_html.startswith("<body>") and note_html.endswith("</body>")


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_made_inert_on_create(alice_api, lead, html):
    body = create(alice_api, lead, note_html=html)

    assert_inert(body["note_html"])
    assert "Hi" in body["note"]


@pytest.mark.parametrize("html", HOSTILE)
def test_hostile_html_is_made_inert_on_update(alice_api, noted_call, html):
    body = update(alice_api, noted_call, note_html=html)

    assert_inert(body["note_html"])
    assert "Hi" in body["note"]


def test_unclosed_tags_are_closed(alice_api, lead):
    body = create(alice_api, lead, note_html="<p><strong>Hi <em>there")

    assert body["note_html"] == "<body><p><strong>Hi <em>there</em></strong></p></body>"


def test_links_get_safe_rel_attributes(alice_api, lead):
    body = create(alice_api, lead, note_html='<a href="https://acme.example.com">Site</a>')

    assert 'rel="noopener noreferrer nofollow"' in body["note_html"]
    assert 'href="https://acme.example.com"' in body["note_html"]


def test_a_plain_note_that_looks_like_html_stays_text(alice_api, lead):
    body = create(alice_api, lead, note="<script>alert(1)</script>")

    assert body["note"] == "<script>alert(1)</script>"
    assert body["note_html"] == "<body>&lt;script&gt;alert(1)&lt;/script&gt;</body>"
