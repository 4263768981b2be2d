"""GET /api/v1/user/: the members of the caller's organization."""

from tests.conftest import make_user

URL = "/api/v1/user/"


def test_lists_the_organizations_members(alice_api, acme, alice, bob):
    carol = make_user(acme, first_name="Carol")

    response = alice_api.get(URL)

    assert response.status_code == 200
    data = response.json()["data"]
    assert [user["id"] for user in data] == [alice.id, carol.id]
    assert set(data[0]) == {"id", "first_name", "last_name", "email", "date_created"}


def test_get_answers_one_member(alice_api, alice):
    response = alice_api.get(f"{URL}{alice.id}/")

    assert response.json()["first_name"] == "Alice"


def test_another_organizations_member_is_404(alice_api, bob):
    response = alice_api.get(f"{URL}{bob.id}/")

    assert response.status_code == 404


def test_users_cannot_be_created_through_the_api(alice_api):
    response = alice_api.post(URL, {"first_name": "Mallory"}, content_type="application/json")

    assert response.status_code == 405
    assert "error" in response.json()
