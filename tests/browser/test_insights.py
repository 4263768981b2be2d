"""/insights/ in Chromium: the charts drawn under the strict Content-Security-Policy, the page
accessible at desktop and phone widths, and each table downloaded as CSV."""

import datetime
import random
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import sign_in
from tests.browser.test_content_security_policy import load
from tests.conftest import make_call, make_lead, make_outcome, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def month(acme, alice):
    """A month of a three-rep team's calls, every disposition and a few outcomes."""
    rng = random.Random(14)
    reps = [alice, make_user(acme, first_name="Jamie", last_name="Chen"),
            make_user(acme, first_name="Priya", last_name="Patel")]  # fmt: skip
    outcomes = [make_outcome(acme, name=name) for name in ("Demo booked", "Call back", "No")]
    leads = [make_lead(acme, name=f"Prospect {n}") for n in range(5)]
    now = timezone.now()
    dispositions = ["answered"] * 4 + [
        "no-answer", "vm-left", "busy", "error", "blocked", "vm-answer", "abandoned"
    ]  # fmt: skip
    for _ in range(120):
        disposition = rng.choice(dispositions)
        make_call(
            rng.choice(leads),
            rng.choice(reps),
            direction="inbound" if disposition == "vm-answer" else "outbound",
            call_method="predictive" if disposition == "abandoned" else "regular",
            disposition=disposition,
            duration=rng.randrange(20, 900) if disposition == "answered" else 0,
            outcome=rng.choice([*outcomes, None]) if disposition == "answered" else None,
            activity_at=now - datetime.timedelta(hours=rng.randrange(1, 24 * 28)),
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_draws_its_charts_under_the_policy_and_passes_axe(
    page, live_server, client, acme_admin, month, width, screenshots
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page.context, client, acme_admin, live_server.url)

    response, problems = load(page, "/insights/?period=last-30-days")

    assert response.status == 200
    assert problems == []
    for chart in ("#day-chart", "#hour-chart"):
        assert page.locator(chart).bounding_box()["height"] > 150
    assert page.locator("#day-chart rect[fill^='url(#pattern-']").count() > 30
    assert_accessible(page)
    page.screenshot(path=screenshots / f"insights-{width}.png", full_page=width == 1280)
    for summary in page.locator("details.numbers summary").all():
        summary.click()
    assert_accessible(page)  # the charts' numbers, shown


def test_a_member_reads_their_row_on_a_phone_and_downloads_it(
    page, live_server, client, alice, month
):
    sign_in(page.context, client, alice, live_server.url)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/insights/?period=last-7-days")
    assert_accessible(page)  # a member's page: their row, the team's totals, no rep picker

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").first.click()

    assert download.value.suggested_filename.startswith("insights-reps-")
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Rep,Calls out,Calls in,Connected,Connect rate (0-1)")
    assert [line.split(",")[0] for line in lines[1:]] == ["Alice Archer", "Team total"]
