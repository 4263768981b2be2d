"""GET /api/v1/me/: the caller and their organizations."""

from accounts.models import Membership
from tests.conftest import make_organization


def test_me_answers_the_caller(alice_api, alice, acme):
    response = alice_api.get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == alice.id
    assert (body["first_name"], body["last_name"]) == ("Alice", "Archer")
    assert body["email"] == alice.email
    assert [org["id"] for org in body["organizations"]] == [acme.id]
    assert body["organizations"][0]["name"] == "Acme"


def test_the_organization_the_key_acts_for_comes_first(api_client_for, alice, acme):
    zenith = make_organization(name="Aardvark Ltd")
    Membership.objects.create(user=alice, organization=zenith)

    body = api_client_for(alice, zenith).get("/api/v1/me/").json()

    assert [org["name"] for org in body["organizations"]] == ["Aardvark Ltd", "Acme"]


def test_me_works_without_the_trailing_slash(alice_api, alice):
    assert alice_api.get("/api/v1/me").json()["id"] == alice.id


def test_me_needs_credentials(client, alice):
    assert client.get("/api/v1/me/").status_code == 401
