"""Paths with or without the trailing slash, and JSON for every miss under /api/."""

import pytest
from django.test import RequestFactory

from activities.models import Call
from closecalls.errors import server_error

CALLS = "/api/v1/activity/call"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/activity/call",
        "/api/v1/activity",
        "/api/v1/outcome",
        "/api/v1/lead",
        "/api/v1/contact",
        "/api/v1/user",
        "/api/v1/me",
    ],
)
def test_every_list_answers_without_the_trailing_slash(alice_api, path):
    assert alice_api.get(path).status_code == 200


def test_a_post_without_the_trailing_slash_is_not_redirected(alice_api, lead):
    response = alice_api.post(CALLS, {"lead_id": lead.id}, content_type="application/json")

    assert response.status_code == 200
    assert Call.objects.filter(pk=response.json()["id"]).exists()


def test_a_put_and_a_delete_without_the_trailing_slash_are_not_redirected(alice_api, call):
    url = f"{CALLS}/{call.id}"

    assert alice_api.put(url, {"duration": 3}, content_type="application/json").status_code == 200
    assert alice_api.get(url).json()["duration"] == 3
    assert alice_api.delete(url).status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/activity/call/x/y/", "/api/v2/", "/api/"]
)
def test_an_unknown_path_under_api_is_a_json_404(alice_api, path):
    response = alice_api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"error"}


@pytest.mark.parametrize("path", ["/api/v1//activity/call/", "/api/v1/activity//call//"])
def test_doubled_slashes_in_an_api_path_resolve_as_single_ones(alice_api, call, path):
    response = alice_api.get(path)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]] == [call.id]


@pytest.mark.parametrize("object_type", ["lead", "contact", "activity"])
def test_custom_field_lists_are_empty(alice_api, object_type):
    response = alice_api.get(f"/api/v1//custom_field/{object_type}/")  # as Airbyte 0.5 asks

    assert response.status_code == 200
    assert response.json() == {"has_more": False, "data": []}


def test_custom_field_lists_need_an_api_key(client, db):
    assert client.get("/api/v1/custom_field/lead/").status_code == 401


def test_an_unknown_path_elsewhere_is_a_page(alice_browser):
    response = alice_browser.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_not_allowed_is_a_json_405(alice_api, call):
    response = alice_api.post(f"{CALLS}/{call.id}/", {}, content_type="application/json")

    assert response.status_code == 405
    assert set(response.json()) == {"error"}


def test_the_activity_list_is_read_only(alice_api, lead):
    response = alice_api.post(
        "/api/v1/activity/", {"lead_id": lead.id}, content_type="application/json"
    )

    assert response.status_code == 405


def test_the_api_root_links_every_list_and_single_path_with_their_slash(alice_api):
    response = alice_api.get("/api/v1/")

    assert response.json()["activity/call"] == "http://testserver/api/v1/activity/call/"
    assert response.json()["me"] == "http://testserver/api/v1/me/"
    assert set(response.json()) == {
        "activity/call",
        "activity/call/search",
        "activity",
        "report/activity",
        "report/activity/metrics",
        "outcome",
        "lead",
        "contact",
        "user",
        "me",
        "task",
        "event",
        "webhook",
    }


def test_a_server_error_under_api_is_json():
    response = server_error(RequestFactory().get("/api/v1/activity/call/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


def test_a_server_error_elsewhere_is_a_page():
    response = server_error(RequestFactory().get("/leads/"))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_request_under_api_is_json(alice_api):
    response = alice_api.get("/api/v1/lead/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert response.json() == {"error": "Bad request."}
