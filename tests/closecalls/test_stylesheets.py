"""Our stylesheets parse: a block left open swallows every rule after it, silently."""

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "static" / "css"


@pytest.mark.parametrize("stylesheet", sorted(STATIC.glob("*.css")), ids=lambda path: path.name)
def test_every_block_a_stylesheet_opens_is_closed_before_the_next_starts(stylesheet):
    depth = 0
    for number, line in enumerate(stylesheet.read_text().splitlines(), 1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{stylesheet.name}:{number} closes a block it never opened"
        if line and not line[0].isspace() and not line.startswith(("}", "@")):
            assert depth in (0, 1), f"{stylesheet.name}:{number} starts a rule inside another"
    assert depth == 0, f"{stylesheet.name} ends with {depth} block(s) open"
