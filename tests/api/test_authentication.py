"""Who may call the API: an API key as the Basic username, or a signed-in member."""

import base64

import pytest
from django.test import Client

from accounts.models import ApiKey
from tests.conftest import api_client, basic_auth, make_user

URL = "/api/v1/activity/call/"


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error"}


def test_an_api_key_as_the_basic_username_is_accepted(alice_api):
    assert alice_api.get(URL).status_code == 200


def test_no_credentials_is_401_with_a_basic_challenge(client, db):
    response = client.get(URL)

    assert_unauthorized(response)
    assert response["WWW-Authenticate"].startswith("Basic")


def test_an_unknown_key_is_401(db):
    assert_unauthorized(api_client("api_not-a-real-key").get(URL))


def test_a_revoked_key_is_401(alice, alice_key):
    ApiKey.objects.get(membership__user=alice).revoke()

    assert_unauthorized(api_client(alice_key).get(URL))


def test_a_key_of_a_deactivated_user_is_401(alice, alice_key):
    alice.is_active = False
    alice.save()

    assert_unauthorized(api_client(alice_key).get(URL))


@pytest.mark.parametrize(
    "header",
    [
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"\xff\xfe:").decode(),
        "Basic " + base64.b64encode(b":password-only").decode(),
        "Basic a b c",
    ],
)
def test_a_malformed_basic_header_is_401(db, header):
    assert_unauthorized(Client(HTTP_AUTHORIZATION=header).get(URL))


def test_an_unknown_scheme_is_401(db):
    assert_unauthorized(Client(HTTP_AUTHORIZATION="Bearer abc").get(URL))


def test_writes_need_credentials_too(client, lead):
    response = client.post(URL, {"lead_id": lead.id}, content_type="application/json")

    assert_unauthorized(response)


def test_a_key_with_a_password_still_authenticates_by_its_username(alice_key):
    header = "Basic " + base64.b64encode(f"{alice_key}:whatever".encode()).decode()

    assert Client(HTTP_AUTHORIZATION=header).get(URL).status_code == 200


def test_a_signed_in_member_can_use_the_api(alice_browser, call):
    response = alice_browser.get(URL)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [call.id]


def test_a_signed_in_user_without_an_organization_is_403(client, db):
    client.force_login(make_user())

    response = client.get(URL)

    assert response.status_code == 403
    assert set(response.json()) == {"error"}


def test_the_key_decides_the_organization_not_the_session(client, alice, bob_key, bob):
    """A browser signed in as Alice that sends Bob's key acts as Bob."""
    client.force_login(alice)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=basic_auth(bob_key))

    assert response.json()["id"] == bob.id
