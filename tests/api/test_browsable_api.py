"""DRF's browsable API works for a signed-in member."""

import pytest

from tests.api.test_list_protocol import LISTS
from tests.conftest import make_call, make_lead

HTML = "text/html"
PAGES = ["/api/v1/", *LISTS, "/api/v1/me/"]


@pytest.fixture
def everything(lead, contact, outcome, alice):
    return make_call(lead, alice, contact=contact)


@pytest.mark.parametrize("path", PAGES)
def test_every_list_renders_as_a_page(alice_browser, everything, path):
    response = alice_browser.get(path, HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(HTML)
    assert b"Django REST framework" in response.content


def test_a_call_renders_as_a_page_with_its_json(alice_browser, everything):
    response = alice_browser.get(f"/api/v1/activity/call/{everything.id}/", HTTP_ACCEPT=HTML)

    assert response.status_code == 200
    assert everything.id.encode() in response.content
    assert b"&quot;_type&quot;: &quot;Call&quot;" in response.content


def test_a_signed_in_member_can_log_a_call(alice_browser, lead):
    response = alice_browser.post(
        "/api/v1/activity/call/", {"lead_id": lead.id}, content_type="application/json"
    )

    assert response.status_code == 200


def test_a_page_of_another_organizations_call_is_404(alice_browser, globex):
    bob_call = make_call(make_lead(globex))

    response = alice_browser.get(f"/api/v1/activity/call/{bob_call.id}/", HTTP_ACCEPT=HTML)

    assert response.status_code == 404


A_BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_a_signed_out_browser_is_sent_to_sign_in_not_to_a_basic_auth_prompt(client):
    response = client.get("/api/v1/activity/call/", HTTP_ACCEPT=A_BROWSER)

    assert response.status_code == 401
    assert "WWW-Authenticate" not in response
    assert response["Content-Type"].startswith(HTML)
    assert b'<a href="/accounts/login/?next=/api/v1/activity/call/">Sign in</a>' in (
        response.content
    )


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
def test_a_signed_out_api_client_still_gets_the_basic_challenge(client, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.get("/api/v1/activity/call/", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
    assert set(response.json()) == {"error"}


def test_a_page_says_what_the_endpoint_is_for_without_notes_on_the_code(alice_browser):
    response = alice_browser.get("/api/v1/activity/call/", HTTP_ACCEPT=HTML)

    assert b"Your organization&#x27;s calls, newest first" in response.content
    assert b"activities.services" not in response.content


@pytest.mark.parametrize("path", [*PAGES, "/api/v1/custom_field/lead/"])
def test_every_endpoint_describes_itself_in_one_paragraph_for_its_users(alice_browser, path):
    description = alice_browser.options(path).json()["description"]

    assert description
    assert "\n" not in description
    assert not any(note in description for note in (".py", "services", "roles", "Airbyte"))


def test_a_page_is_in_english_with_a_viewport_and_one_main_landmark(alice_browser):
    page = alice_browser.get("/api/v1/", HTTP_ACCEPT=HTML).content.decode()

    assert '<html lang="en">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count('role="main"') == 1
