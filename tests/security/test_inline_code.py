"""No template of ours holds code the Content-Security-Policy would block.

`script-src 'self'` blocks inline scripts, event-handler attributes (`onfocus=`) and
`javascript:` URLs, and `style-src` (our origin and a few hashes) blocks `style=` attributes:
each would silently do nothing in the browser. Behaviour goes in static/js/, looks in
static/css/. The browser tests load each page under the policy; this finds the pages they
cannot reach, such as the one showing a new API key after a POST.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

BLOCKED = {
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
FOLDERS = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
TEMPLATES = sorted(path for folder in FOLDERS for path in folder.rglob("*.html"))


def test_the_scan_finds_the_templates():
    names = {path.name for path in TEMPLATES}
    assert {"base.html", "issued.html", "call_rows.html"} <= names


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=[str(path.relative_to(settings.BASE_DIR)) for path in TEMPLATES]
)
def test_a_template_has_no_code_the_policy_blocks(template):
    text = template.read_text()

    found = {name for name, pattern in BLOCKED.items() if pattern.search(text)}

    assert found == set()
