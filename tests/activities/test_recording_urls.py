"""A recording or voicemail URL is https on a public host name: no credentials in it, no IP
address in any spelling, no name of this machine or a private network. Refused alike through
the API (Close's field errors) and the admin (form errors)."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from activities.models import Call
from tests.conftest import admin_form_data, make_call

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/activity/call/"
CREDENTIALS = "Leave the user name and password out of the URL."
IP_ADDRESS = "Use the host's name, not an IP address."
PRIVATE = "This URL points at this machine or a private network; use a public host."

REFUSED = {
    "https://user:secret@recordings.example.com/1.mp3": CREDENTIALS,
    "https://token@recordings.example.com/1.mp3": CREDENTIALS,
    "https://recordings.example.com:443@evil.example/1.mp3": CREDENTIALS,
    "https://127.0.0.1/1.mp3": IP_ADDRESS,
    "https://10.0.0.7/1.mp3": IP_ADDRESS,
    "https://169.254.169.254/latest/meta-data/": IP_ADDRESS,
    "https://93.184.215.14/1.mp3": IP_ADDRESS,
    "https://2130706433/1.mp3": IP_ADDRESS,
    "https://0x7f.0.0.1/1.mp3": IP_ADDRESS,
    "https://0x7f000001/1.mp3": IP_ADDRESS,
    "https://0177.0.0.1/1.mp3": IP_ADDRESS,
    "https://127.1/1.mp3": IP_ADDRESS,
    "https://127.0.0.1./1.mp3": IP_ADDRESS,
    "https://%31%32%37.0.0.1/1.mp3": IP_ADDRESS,
    "https://１２７.０.０.１/1.mp3": IP_ADDRESS,
    "https://[::1]/1.mp3": IP_ADDRESS,
    "https://[::ffff:127.0.0.1]/1.mp3": IP_ADDRESS,
    "https://[fd00::1]:8443/1.mp3": IP_ADDRESS,
    "https://localhost/1.mp3": PRIVATE,
    "https://LOCALHOST./1.mp3": PRIVATE,
    "https://recordings.localhost/1.mp3": PRIVATE,
    "https://localhost.localdomain/1.mp3": PRIVATE,
    "https://ip6-localhost/1.mp3": PRIVATE,
    "https://nas.local/1.mp3": PRIVATE,
    "https://files.internal/1.mp3": PRIVATE,
    "https://router.home.arpa/1.mp3": PRIVATE,
    "http://recordings.example.com/1.mp3": "Enter an https:// URL.",
    "javascript:alert(1)//recordings.example.com": "Enter an https:// URL.",
}
ACCEPTED = [
    "https://recordings.example.com/1.mp3",
    "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3",
    "https://cdn.example.com:8443/calls/1.mp3?token=abc&at=a@b",
    "https://1e100.net/1.mp3",
    "https://xn--bcher-kva.example/1.mp3",
]


@pytest.mark.parametrize("field", ["recording_url", "voicemail_url"])
@pytest.mark.parametrize("url", REFUSED)
def test_the_api_refuses_the_url_with_a_field_error(alice_api, lead, field, url):
    response = alice_api.post(CALLS, {"lead_id": lead.id, field: url}, "application/json")

    assert response.status_code == 400
    assert response.json()["errors"] == []
    assert REFUSED[url] in response.json()["field-errors"][field]
    assert not Call.objects.exists()


@pytest.mark.parametrize("url", ACCEPTED)
def test_the_api_takes_a_public_https_url(alice_api, lead, url):
    response = alice_api.post(CALLS, {"lead_id": lead.id, "recording_url": url}, "application/json")

    assert response.status_code == 200
    assert response.json()["recording_url"] == url


def test_an_update_through_the_api_is_refused_too(alice_api, lead, alice):
    call = make_call(lead, alice, recording_url="https://recordings.example.com/1.mp3")

    response = alice_api.put(
        f"{CALLS}{call.id}/", {"recording_url": "https://2130706433/1.mp3"}, "application/json"
    )

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"recording_url": IP_ADDRESS}
    call.refresh_from_db()
    assert call.recording_url == "https://recordings.example.com/1.mp3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://user:secret@recordings.example.com/1.mp3", CREDENTIALS),
        ("https://127.0.0.1/1.mp3", IP_ADDRESS),
        ("https://localhost/1.mp3", PRIVATE),
    ],
)
def test_the_admin_refuses_the_url_with_a_form_error(acme_admin_client, lead, url, message):
    call = make_call(lead)
    change = reverse("admin:activities_call_change", args=[quote(call.pk)])
    data = admin_form_data(acme_admin_client.get(change), voicemail_url=url)

    response = acme_admin_client.post(change, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["voicemail_url"] == [message]
    call.refresh_from_db()
    assert call.voicemail_url == ""
