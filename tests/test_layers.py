"""The layers of docs/architecture.md, enforced: each package imports only from those below it.

Apps below reach the ones above through the declared extension points instead (settings'
API_MODULES, API_ORGANIZATION, LEAD_SECTIONS, CALL_PANELS, CHANGE_RECEIVERS), never by
importing them.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A package may import its own modules and those of lower ranks; api/ and core/
# import none of the project's packages. The rooms above activities and jobs (transcription,
# followups, and next search, insights, events, imports) are at 5; they reach each other through
# declared extension points too. Above them, the rep's home, which shows what each room has for
# today, and the demo data, which seeds every app.
RANKS = {
    "api": 0,
    "core": 0,
    "accounts": 1,
    "leads": 2,
    "activities": 3,
    "jobs": 4,
    "transcription": 5,
    "insights": 5,
    "events": 5,
    "followups": 5,
    "home": 6,
    "search": 5,
    "imports": 5,
    "demo": 6,
    "closecalls": 7,
}
OUTSIDE_THE_APP = {"tests", "bench"}  # they use every layer, as a client would


def packages():
    return sorted(path.parent.name for path in ROOT.glob("*/__init__.py"))


def imports(package):
    """Yield (module path, imported package) for each import of a project package in `package`."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in RANKS and top != package:
                    yield path.relative_to(ROOT), top


def test_every_package_has_a_layer():
    assert set(packages()) - OUTSIDE_THE_APP == set(RANKS)


@pytest.mark.parametrize("package", sorted(RANKS))
def test_a_package_imports_only_from_lower_layers(package):
    upward = [
        f"{path} imports {imported}"
        for path, imported in imports(package)
        if RANKS[package] == 0 or RANKS[imported] >= RANKS[package]
    ]
    assert upward == []
