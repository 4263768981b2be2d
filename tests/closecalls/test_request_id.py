"""Every response names its request in `X-Request-Id`, as Close's do: the id its events carry."""

import pytest

pytestmark = pytest.mark.django_db


def test_each_request_gets_its_own_id(alice_api):
    first = alice_api.get("/api/v1/me/")
    second = alice_api.get("/api/v1/me/")

    assert first["X-Request-Id"].startswith("req_")
    assert second["X-Request-Id"].startswith("req_")
    assert first["X-Request-Id"] != second["X-Request-Id"]


@pytest.mark.parametrize("path", ["/api/v1/activity/call/acti_nosuchcall/", "/no/such/page/"])
def test_an_error_answer_names_its_request_too(alice_api, path):
    response = alice_api.get(path)

    assert response.status_code == 404
    assert response["X-Request-Id"].startswith("req_")
