"""Rich-text notes, the one place that turns note_html into plaintext and plaintext into note_html.

Calls' notes and transcripts' summaries both go through `couple_note`, whichever face (API,
rep's form, admin) the text came from.
"""

from html import escape
from html.parser import HTMLParser

import nh3
from django.utils.safestring import mark_safe

RICH_TEXT_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "a", "ul", "ol", "li",
    "blockquote", "h1", "h2", "h3", "code", "pre", "hr",
}  # fmt: skip
BLOCK_TAGS = {"p", "li", "blockquote", "h1", "h2", "h3", "pre", "ul", "ol", "div", "hr", "br"}

_cleaner = nh3.Cleaner(
    tags=RICH_TEXT_TAGS,
    attributes={"a": {"href", "title"}},
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    clean_content_tags={"script", "style"},
    strip_comments=True,
)


def sanitize_html(html):
    """Return `html` cut down to the rich-text subset, wrapped in <body>…</body> as Close does."""
    return "<body>" + _cleaner.clean(html or "").strip() + "</body>"


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = [""]

    def _break(self):
        if self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        self.lines[-1] += data


def derive_plaintext(html):
    """Return readable plaintext for sanitized `html`: blocks and list items on their own lines."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return "\n".join(" ".join(line.split()) for line in extractor.lines if line.strip())


def plaintext_to_html(text):
    """Return `text` as note_html: HTML-escaped, newlines as <br />, wrapped in <body>."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<body>" + "<br />".join(escape(line, quote=False) for line in lines) + "</body>"


def couple_note(*, text=None, html=None):
    """Return (text, html) for a note given either form; html wins when both are given.

    Returns None when neither was given, so that an update leaves the note alone.
    """
    if html is not None:
        clean = sanitize_html(html)
        return derive_plaintext(clean), clean
    if text is not None:
        return text, plaintext_to_html(text)
    return None


def render_note(html):
    """Return stored, sanitized note_html without its <body> wrapper, safe to put in a page."""
    html = html or ""
    if html.startswith("<body>") and html.endswith("</body>"):
        html = html[len("<body>") : -len("</body>")]
    return mark_safe(html)  # sanitized by sanitize_html on every write
