"""/api/v1/outcome/: list, get, create (201), partial update and soft delete.

Members read outcomes; the writes here are an organization admin's (tests/security/test_roles.py
has who may do what).
"""

import pytest

from accounts.models import Membership
from activities.api import OUTCOME
from activities.models import Outcome
from tests.conftest import api_client, issue_key, make_call, make_outcome, make_user

URL = "/api/v1/outcome/"
OUTCOME_KEYS = set(OUTCOME.names())


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def put(client, outcome, body):
    return client.put(f"{URL}{outcome.id}/", body, content_type="application/json")


def test_list_answers_closes_outcome_objects(alice_api, outcome):
    response = alice_api.get(URL)

    assert response.status_code == 200
    assert response.json()["has_more"] is False
    [item] = response.json()["data"]
    assert set(item) == OUTCOME_KEYS
    assert item["name"] == "Demo booked"
    assert item["applies_to"] == ["calls", "meetings"]


def test_outcomes_are_listed_by_name(alice_api, acme):
    names = ["Not interested", "Demo booked", "Callback"]
    for name in names:
        make_outcome(acme, name=name)

    response = alice_api.get(URL)

    assert [item["name"] for item in response.json()["data"]] == sorted(names)


def test_get_answers_one_outcome(alice_api, outcome):
    response = alice_api.get(f"{URL}{outcome.id}/")

    assert response.status_code == 200
    assert response.json()["id"] == outcome.id


def test_create_answers_201_with_the_outcome(acme_admin_api, acme, acme_admin):
    response = post(
        acme_admin_api, {"name": "Demo booked", "description": "A demo is in the diary"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["type"] == "custom"
    assert body["applies_to"] == ["calls", "meetings"]
    assert body["organization_id"] == acme.id
    assert body["created_by"] == acme_admin.id
    assert Outcome.objects.get(pk=body["id"]).description == "A demo is in the diary"


def test_a_vm_dropped_outcome_applies_to_calls_only(acme_admin_api):
    body = post(acme_admin_api, {"name": "Voicemail dropped", "type": "vm-dropped"}).json()

    assert body["applies_to"] == ["calls"]


def test_a_name_is_required(acme_admin_api):
    response = post(acme_admin_api, {"description": "Nameless"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"name": "This field is required."}


def test_a_duplicate_name_is_a_field_error(acme_admin_api, outcome):
    response = post(acme_admin_api, {"name": outcome.name})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"name": "An outcome with this name already exists."}


def test_another_organization_may_use_the_same_name(globex, outcome):
    globex_admin = make_user(globex, role=Membership.Role.ADMIN)

    response = post(api_client(issue_key(globex_admin, globex)), {"name": outcome.name})

    assert response.status_code == 201


def test_the_name_of_a_deleted_outcome_can_be_reused(acme_admin_api, outcome):
    acme_admin_api.delete(f"{URL}{outcome.id}/")

    assert post(acme_admin_api, {"name": outcome.name}).status_code == 201


def test_an_unknown_type_is_a_field_error(acme_admin_api):
    response = post(acme_admin_api, {"name": "Odd", "type": "meeting-only"})

    assert set(response.json()["field-errors"]) == {"type"}


def test_put_changes_only_the_sent_keys(acme_admin_api, outcome):
    response = put(acme_admin_api, outcome, {"description": "Booked a demo"})

    assert response.status_code == 200
    assert response.json()["name"] == "Demo booked"
    assert response.json()["description"] == "Booked a demo"


def test_renaming_onto_another_outcomes_name_is_refused(acme_admin_api, acme, outcome):
    other = make_outcome(acme, name="Callback")

    response = put(acme_admin_api, other, {"name": outcome.name})

    assert response.json()["field-errors"] == {"name": "An outcome with this name already exists."}


def test_keeping_its_own_name_is_fine(acme_admin_api, outcome):
    assert put(acme_admin_api, outcome, {"name": outcome.name}).status_code == 200


def test_delete_hides_the_outcome(acme_admin_api, outcome):
    response = acme_admin_api.delete(f"{URL}{outcome.id}/")

    assert response.status_code == 200
    assert response.json() == {}
    assert acme_admin_api.get(f"{URL}{outcome.id}/").status_code == 404
    assert acme_admin_api.get(URL).json()["data"] == []


def test_delete_keeps_the_outcome_on_its_calls(acme_admin_api, lead, outcome):
    call = make_call(lead, duration=30, outcome=outcome)

    acme_admin_api.delete(f"{URL}{outcome.id}/")

    shown = acme_admin_api.get(f"/api/v1/activity/call/{call.id}/").json()
    assert shown["outcome_id"] == outcome.id
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_another_organizations_outcomes_are_never_listed(alice_api, outcome, bob_outcome):
    assert [item["id"] for item in alice_api.get(URL).json()["data"]] == [outcome.id]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_organizations_outcome_is_404(alice_api, bob_outcome, method):
    response = getattr(alice_api, method)(
        f"{URL}{bob_outcome.id}/", {"name": "Mine"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert Outcome.objects.get(pk=bob_outcome.pk).name == "Globex demo"
    assert Outcome.objects.get(pk=bob_outcome.pk).date_deleted is None
