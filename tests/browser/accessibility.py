"""axe-core in the browser: a page as a user sees it, checked against WCAG 2.2 A and AA.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core-4.14.1, MPL-2.0 with
its licence beside it); it is injected through the DevTools protocol, which the page's own
Content-Security-Policy does not apply to, so the page is checked exactly as it is served.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_RUN = """([tags, exclude]) => axe.run(
    {include: [document], exclude: exclude.map((selector) => [selector])},
    {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]},
).then((results) => results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    where: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
})))"""


def axe_violations(page, *, exclude=()):
    """Return axe-core's violations on `page` as it is now, leaving out the `exclude` selectors."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate(_RUN, [RULE_TAGS, list(exclude)])


def assert_accessible(page, *, exclude=()):
    """Fail with a readable list of axe-core's violations on `page`, if it has any."""
    violations = axe_violations(page, exclude=exclude)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(
        f"- {v['rule']} ({v['impact']}): {v['help']} at {', '.join(v['where'])}" for v in violations
    )
