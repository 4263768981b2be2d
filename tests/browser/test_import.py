"""An admin imports a HubSpot export in the browser, a real worker running the steps: upload,
columns, dry run, import with its progress, report and error CSV, revert. Without JavaScript
the page reloads itself until a step is done."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from activities.models import Call
from imports.models import CallImport
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import sign_in
from tests.conftest import make_contact, make_lead, make_user
from tests.imports.conftest import csv_text, fixture_file, import_file, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BAD_ROW = b"51000006,Lost,someday,,OUTBOUND,1000,Connected,COMPLETED,,,,,,Wayne Enterprises,\n"


@pytest.fixture
def hubspot_file(tmp_path, acme):
    """The HubSpot export of the tests, with a row whose date is not one, and its people."""
    make_user(acme, email="jamie@acme.example", first_name="Jamie", last_name="Rivera")
    make_user(acme, email="priya@acme.example", first_name="Priya", last_name="Shah")
    lead = make_lead(acme, name="Wayne Enterprises")
    phone = [{"phone": "+16505551234", "type": "office"}]
    make_contact(lead, name="Bruce Wayne", emails=[{"email": "bruce@wayne.example"}], phones=phone)
    make_contact(lead, name="Lucius Fox", emails=[{"email": "lucius@wayne.example"}])
    path = tmp_path / "hubspot-calls.csv"
    path.write_bytes(fixture_file("hubspot-calls.csv") + BAD_ROW)
    return path


@pytest.fixture
def admin_page(page, live_server, client, acme_admin):
    sign_in(page.context, client, acme_admin, live_server.url)
    return page


def test_an_admin_imports_previews_commits_and_reverts(
    admin_page, start_worker, hubspot_file, screenshots
):
    page = admin_page
    start_worker()
    page.goto("/leads/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("CSV file").set_input_files(hubspot_file)
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("heading", name="What is in each column")).to_be_visible()
    expect(page.get_by_label("Call duration")).to_have_value("duration_ms")
    page.get_by_label("Time zone of the file's dates").select_option("America/New_York")
    page.get_by_role("button", name="Check every row (dry run)").click()

    expect(page.get_by_role("heading", name="Dry run: every row checked")).to_be_visible(
        timeout=60_000
    )
    preview = page.locator(".import-counts")
    expect(preview.get_by_role("row", name="Calls to create")).to_contain_text("5")
    expect(preview.get_by_role("row", name="Rows rejected")).to_contain_text("1")
    expect(page.locator(".import-errors")).to_contain_text("“someday” is not a date")
    assert not Call.objects.exists()
    assert_accessible(page)
    page.screenshot(path=screenshots / "import.png", full_page=True)

    page.get_by_role("button", name="Import 5 calls").click()
    expect(page.get_by_role("heading", name="Report")).to_be_visible(timeout=60_000)
    expect(page.locator(".import-counts").get_by_role("row", name="Calls created")).to_contain_text(
        "5"
    )
    assert Call.objects.filter(import_id=CallImport.objects.get().pk).count() == 5
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the rejected rows (CSV)").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert rows[0][-1] == "error"
    assert rows[1][0] == "51000006"

    page.get_by_role("button", name="Revert this import").click()
    expect(page.get_by_text("Reverted: 5 calls and 0 leads")).to_be_visible(timeout=60_000)
    assert not Call.objects.exists()


def test_the_progress_bar_follows_the_dry_run(admin_page, acme, start_worker):
    make_lead(acme, name="Wayne Enterprises")
    rows = "".join(f"c-{n},2025-01-02 10:00,Wayne Enterprises\n" for n in range(10_000))
    page = admin_page
    page.goto("/imports/")
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "dialer.csv",
                "mimeType": "text/csv",
                "buffer": f"Id,Date,Company\n{rows}".encode(),
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Check every row (dry run)").click()
    expect(page.locator("progress#import-progress-bar")).to_have_attribute("value", "0")

    start_worker(IMPORT_BATCH_ROWS="100")

    expect(page.locator(".import-progress label")).to_contain_text(
        re.compile(r"[1-9][0-9,]* rows checked, [0-9]+% of the file"), timeout=60_000
    )
    expect(page.get_by_role("heading", name="Dry run: every row checked")).to_be_visible(
        timeout=60_000
    )
    assert CallImport.objects.get().preview["created"] == 10_000


@pytest.fixture
def page_without_javascript(browser, live_server, client, acme_admin):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    sign_in(context, client, acme_admin, live_server.url)
    yield context.new_page()
    context.close()


def test_without_javascript_the_page_reloads_itself_until_the_dry_run_is_done(
    page_without_javascript, start_worker, hubspot_file
):
    page = page_without_javascript
    start_worker()
    page.goto("/imports/")
    page.get_by_label("CSV file").set_input_files(hubspot_file)
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Check every row (dry run)").click()

    expect(page.get_by_role("heading", name="Dry run: every row checked")).to_be_visible(
        timeout=60_000
    )


@pytest.fixture
def imports_at_every_step(acme, acme_admin):
    """One import of Acme waiting for its columns, one previewed with a rejected row, one
    imported with a rejected row: each page of an import's steps."""
    make_lead(acme, name="Wayne Enterprises")
    content = csv_text("Id,Date,Company", "a,2025-01-02 10:00,Wayne Enterprises", "b,x,Initech")
    return {
        "columns": upload(acme, acme_admin, content, "new.csv"),
        "dry run": import_file(acme, acme_admin, content, name="previewed.csv", write=False),
        "report": import_file(acme, acme_admin, content, name="imported.csv"),
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_the_import_pages_are_accessible_at_desktop_and_phone_widths(
    admin_page, imports_at_every_step, width
):
    page = admin_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/imports/")
    expect(page.get_by_role("link", name="imported.csv")).to_be_visible()
    assert_accessible(page)
    headings = {
        "columns": "What is in each column",
        "dry run": "Dry run: every row checked",
        "report": "Report",
    }
    for step, call_import in imports_at_every_step.items():
        page.goto(call_import.get_absolute_url())
        expect(page.get_by_role("heading", name=headings[step])).to_be_visible()
        assert_accessible(page)
