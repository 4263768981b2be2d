"""/api/v1/lead/: leads with their contacts nested, search, create, partial update, delete."""

import pytest

from activities.models import Call
from leads.api import LEAD
from leads.models import Contact, Lead
from tests.conftest import make_call, make_contact, make_lead

URL = "/api/v1/lead/"
LEAD_KEYS = set(LEAD.names())


def ids(response):
    return [item["id"] for item in response.json()["data"]]


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def put(client, lead, body):
    return client.put(f"{URL}{lead.id}/", body, content_type="application/json")


def test_list_answers_leads_with_their_contacts(alice_api, acme, lead, contact):
    response = alice_api.get(URL)

    assert response.status_code == 200
    [item] = response.json()["data"]
    assert set(item) == LEAD_KEYS
    assert item["display_name"] == "Wayne Enterprises"
    assert item["organization_id"] == acme.id
    assert item["contacts"] == [
        {
            "id": contact.id,
            "lead_id": lead.id,
            "organization_id": acme.id,
            "name": "Bruce Wayne",
            "title": "",
            "phones": [
                {"phone": "+16505551234", "phone_formatted": "+1 650-555-1234", "type": "office"}
            ],
            "emails": contact.emails,
            "date_created": item["contacts"][0]["date_created"],
            "date_updated": item["contacts"][0]["date_updated"],
        }
    ]


def test_a_lead_without_contacts_has_an_empty_list(alice_api, lead):
    assert alice_api.get(URL).json()["data"][0]["contacts"] == []


def test_leads_are_newest_first(alice_api, acme):
    older, newer = make_lead(acme), make_lead(acme)

    assert ids(alice_api.get(URL)) == [newer.id, older.id]


def test_list_costs_one_query_for_leads_and_one_for_their_contacts(
    alice_api, acme, django_assert_num_queries
):
    for _ in range(3):
        make_contact(make_lead(acme))

    with django_assert_num_queries(4):  # the API key, the leads, their contacts, their tasks
        response = alice_api.get(URL)

    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data) == 3
    assert [len(item["contacts"]) for item in data] == [1, 1, 1]


def test_contacts_are_not_loaded_when_not_asked_for(alice_api, lead, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = alice_api.get(URL, {"_fields": "name"})

    assert response.status_code == 200
    assert response.json()["data"] == [{"id": lead.id, "name": "Wayne Enterprises"}]


@pytest.mark.parametrize("query", ["wayne ent", "Bruce", "650-555-1234", "contact"])
def test_query_finds_leads_by_name_or_contact_name_phone_or_email(alice_api, acme, contact, query):
    make_lead(acme, name="Stark Industries")

    assert ids(alice_api.get(URL, {"query": query})) == [contact.lead_id]


def test_query_does_not_reach_another_organization(alice_api, lead, bob_lead):
    assert ids(alice_api.get(URL, {"query": "Initech"})) == []


def test_get_answers_one_lead(alice_api, lead, contact):
    response = alice_api.get(f"{URL}{lead.id}/")

    assert response.status_code == 200
    assert response.json() == alice_api.get(URL).json()["data"][0]


def test_create_answers_the_lead_with_its_nested_contacts(alice_api, alice):
    body = {
        "name": "Wayne Enterprises",
        "description": "Gotham",
        "url": "https://wayne.example.com",
        "contacts": [
            {
                "name": "Bruce Wayne",
                "title": "CEO",
                "phones": [{"phone": "650 555 1234", "type": "mobile"}],
                "emails": [{"email": "bruce@wayne.example.com"}],
            }
        ],
    }

    response = post(alice_api, body)

    assert response.status_code == 200
    created = response.json()
    assert created["created_by"] == alice.id
    assert created["status_label"] == "Potential"
    assert created["url"] == "https://wayne.example.com"
    [contact] = created["contacts"]
    assert contact["phones"] == [
        {"phone": "+16505551234", "phone_formatted": "+1 650-555-1234", "type": "mobile"}
    ]
    assert contact["emails"] == [{"email": "bruce@wayne.example.com", "type": "office"}]
    assert Contact.objects.get(pk=contact["id"]).lead_id == created["id"]


def test_a_lead_needs_a_name(alice_api):
    response = post(alice_api, {"description": "Nameless"})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"name": "This field is required."}


def test_a_bad_contact_phone_refuses_the_whole_lead(alice_api):
    body = {"name": "Wayne", "contacts": [{"name": "Bruce", "phones": [{"phone": "bat-signal"}]}]}

    response = post(alice_api, body)

    assert response.status_code == 400
    assert set(response.json()["field-errors"]) == {"contacts"}
    assert not Lead.objects.exists()


def test_an_invalid_website_is_a_field_error(alice_api):
    response = post(alice_api, {"name": "Wayne", "url": "not a url"})

    assert set(response.json()["field-errors"]) == {"url"}


def test_put_changes_only_the_sent_keys(alice_api, lead, alice):
    response = put(alice_api, lead, {"status_label": "Qualified"})

    assert response.status_code == 200
    assert response.json()["status_label"] == "Qualified"
    assert response.json()["name"] == "Wayne Enterprises"
    assert response.json()["updated_by"] == alice.id


def test_put_ignores_nested_contacts(alice_api, lead, contact):
    response = put(alice_api, lead, {"contacts": [{"name": "Someone else"}], "name": "WE"})

    assert response.status_code == 200
    assert [c["name"] for c in response.json()["contacts"]] == ["Bruce Wayne"]


def test_delete_removes_the_lead_its_contacts_and_calls(acme_admin_api, lead, contact):
    make_call(lead, contact=contact)

    response = acme_admin_api.delete(f"{URL}{lead.id}/")

    assert response.status_code == 200
    assert response.json() == {}
    assert not Lead.objects.exists()
    assert not Contact.objects.exists()
    assert not Call.objects.exists()


def test_another_organizations_leads_are_never_listed(alice_api, lead, bob_lead):
    assert ids(alice_api.get(URL)) == [lead.id]


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_organizations_lead_is_404(alice_api, bob_lead, method):
    response = getattr(alice_api, method)(
        f"{URL}{bob_lead.id}/", {"name": "Mine"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert Lead.objects.get(pk=bob_lead.pk).name == "Initech"
