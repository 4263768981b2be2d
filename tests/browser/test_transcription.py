"""A rep uploads a stereo recording and, without doing anything else, sees its transcript."""

import time

import pytest
from playwright.sync_api import expect

from activities.models import Call

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_uploaded_stereo_recording_shows_its_transcript_on_the_timeline_by_itself(
    alice_page,
    start_worker,
    lead,
    contact,
    sales_call,
    screenshots,  # noqa: F811
):
    start_worker()
    page = alice_page
    page.goto(lead.get_absolute_url())
    form = page.locator("form[data-call-form]")
    form.get_by_label("Disposition").select_option("answered")
    form.get_by_label("Duration").fill("0:37")
    form.get_by_label("Recording").set_input_files(str(sales_call.wav))
    uploaded = time.monotonic()
    page.get_by_role("button", name="Log call").click()
    page.wait_for_url("**highlight=*")

    row = page.locator(f"#call-{Call.objects.get().id}")
    expect(row.locator(".transcription__state")).to_contain_text("Recording transcript")
    preview = row.locator(".transcription__preview")
    expect(preview).to_be_visible(timeout=180_000)  # the page asks for news by itself
    print(f"transcript on screen {time.monotonic() - uploaded:.1f} s after the upload")

    expect(row.locator(".transcription__state")).to_contain_text("Done")
    expect(preview.locator("li").first).to_contain_text("Alice Archer")
    expect(preview.locator(".transcription__line--contact").first).to_contain_text("Bruce Wayne")
    assert page.url.endswith(f"#call-{Call.objects.get().id}")  # no reload, no click
    row.screenshot(path=screenshots / "transcription.png")
