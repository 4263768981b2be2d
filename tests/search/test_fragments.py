"""Fragments mark the words found, and nothing a caller said or a rep wrote becomes markup."""

import html
from html.parser import HTMLParser

import pytest

from tests.conftest import make_call
from tests.search.conftest import SEARCH, call_saying, recording
from tests.security.xss_corpus import XSS_CORPUS

pytestmark = pytest.mark.django_db

# Beside the stored-XSS corpus: our own <mark>, and the markers fragments are built with.
HOSTILE = [
    *XSS_CORPUS,
    "<mark>budget</mark> was <mark>",
    "</mark></span><script>window.__xss=53</script>",
    "\x02budget\x03 <b>bold</b> \x02<img src=x onerror=window.__xss=54>\x03",
]


class Markup(HTMLParser):
    """The elements of an HTML fragment, and the text of each <mark>."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.tags, self.marked, self.text, self.inside = [], [], "", False
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.inside = tag == "mark"
        self.marked.append("") if self.inside else None

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        self.text += data
        if self.inside:
            self.marked[-1] += data

    def handle_comment(self, data):
        self.tags.append(("<!--", data))


def assert_inert(fragment, said, word):
    """`fragment` holds only text and <mark>s of `word`; its text is what was `said`."""
    markup = Markup(fragment)
    assert markup.tags == [("mark", [])] * len(markup.marked), fragment
    assert markup.marked and {text.lower() for text in markup.marked} == {word}, fragment
    cleaned = said.replace("\x02", "").replace("\x03", "")
    assert markup.text.strip("… ") in cleaned, fragment


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_what_was_said_comes_out_as_text_in_the_fragments(alice_api, lead, alice, payload):
    said = f"The budget: {payload}"
    make_call(lead, alice, note=said, transcripts=recording(said))

    found = alice_api.get(SEARCH, {"query": "budget"}).json()["data"]

    assert_inert(found[0]["matching_utterances"][0]["fragment"], said, "budget")
    assert_inert(found[0]["note_fragment"], said, "budget")
    assert found[0]["matching_utterances"][0]["text"] == said.replace("\x02", "").replace(
        "\x03", ""
    )


@pytest.mark.parametrize("word", ["mark", "script", "img", "lt", "amp"])
def test_searching_for_markup_words_marks_them_as_text(alice_api, lead, alice, word):
    said = "<mark>x</mark> <script>y</script> <img src=z> &lt; &amp; lt amp"
    call_saying(lead, alice, said)

    found = alice_api.get(SEARCH, {"query": word}).json()["data"]

    assert_inert(found[0]["matching_utterances"][0]["fragment"], said, word)


def test_a_fragment_is_escaped_as_any_text_is_on_both_databases(alice_api, lead, alice):
    make_call(lead, alice, note="""Tom's "fleet" & <b>co</b>""")

    fragment = alice_api.get(SEARCH, {"query": "fleet"}).json()["data"][0]["note_fragment"]

    assert fragment == "Tom&#x27;s &quot;<mark>fleet</mark>&quot; &amp; &lt;b&gt;co&lt;/b&gt;"


def test_the_page_shows_fragments_as_text_and_marks(alice_browser, lead, alice):
    for payload in HOSTILE:
        call_saying(lead, alice, f"The budget: {payload}", note=f"Budget note {payload}")

    page = alice_browser.get("/search/", {"q": "budget"}).content.decode()

    fragments = page.split('<span class="match__text">')[1:]
    assert len(fragments) == 2 * 20  # an utterance and a note for each call on the page
    for fragment in fragments:
        markup = Markup(fragment[: fragment.index("</span>")])
        assert {tag for tag, _ in markup.tags} == {"mark"}
        assert {text.lower() for text in markup.marked} == {"budget"}
    assert "<script" not in page[page.index("<main") : page.index("</main>")]


def test_a_long_note_is_cut_around_the_words_found(alice_api, lead, alice):
    filler = " ".join(f"word{n}" for n in range(200))
    make_call(lead, alice, note=f"{filler} the renewal is in May {filler}")

    fragment = alice_api.get(SEARCH, {"query": "renewal"}).json()["data"][0]["note_fragment"]

    assert "<mark>renewal</mark>" in fragment
    assert len(html.unescape(fragment)) < 400
