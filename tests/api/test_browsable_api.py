"""DRF's browsable API works for a signed-in member."""

import pytest

from tests.conftest import make_call, make_lead

HTML = "text/html"


@pytest.fixture
def everything(lead, contact, outcome, alice):
    return make_call(lead, alice, contact=contact)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/api/v1/activity/call/",
        "/api/v1/activity/",
        "/api/v1/outcome/",
        "/api/v1/lead/",
        "/api/v1/contact/",
        "/api/v1/user/",
        "/api/v1/me/",
    ],
)
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
