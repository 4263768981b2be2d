"""/api/v1/contact/: contacts of the organization's leads."""

import pytest

from leads.models import Contact, Lead
from tests.conftest import make_contact, make_lead

URL = "/api/v1/contact/"


def ids(response):
    return [item["id"] for item in response.json()["data"]]


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def put(client, contact, body):
    return client.put(f"{URL}{contact.id}/", body, content_type="application/json")


def test_list_answers_contacts_with_formatted_phones(alice_api, contact):
    response = alice_api.get(URL)

    assert response.status_code == 200
    [item] = response.json()["data"]
    assert item["name"] == "Bruce Wayne"
    assert item["lead_id"] == contact.lead_id
    assert item["phones"][0]["phone_formatted"] == "+1 650-555-1234"


def test_lead_id_filter(alice_api, acme, contact):
    make_contact(make_lead(acme))

    assert ids(alice_api.get(URL, {"lead_id": contact.lead_id})) == [contact.id]


def test_get_answers_one_contact(alice_api, contact):
    response = alice_api.get(f"{URL}{contact.id}/")

    assert response.json()["id"] == contact.id


def test_create_adds_a_contact_to_a_lead(alice_api, lead):
    body = {
        "lead_id": lead.id,
        "name": "Alfred",
        "phones": [{"phone": "+44 20 7183 8750", "type": "office"}],
    }

    response = post(alice_api, body)

    assert response.status_code == 200
    assert response.json()["lead_id"] == lead.id
    assert response.json()["phones"][0]["phone"] == "+442071838750"
    assert Contact.objects.get(pk=response.json()["id"]).lead == lead


def test_a_contact_without_a_lead_gets_a_new_lead_named_after_it(alice_api, acme):
    response = post(alice_api, {"name": "Selina Kyle"})

    assert response.status_code == 200
    lead = Lead.objects.get(pk=response.json()["lead_id"])
    assert (lead.name, lead.organization) == ("Selina Kyle", acme)


def test_a_nameless_contact_without_a_lead_is_named_by_its_email(alice_api):
    response = post(alice_api, {"emails": [{"email": "cat@example.com"}]})

    assert Lead.objects.get(pk=response.json()["lead_id"]).name == "cat@example.com"


def test_an_empty_contact_without_a_lead_is_refused(alice_api):
    response = post(alice_api, {})

    assert response.status_code == 400
    assert response.json()["field-errors"] == {"lead": "This field is required."}
    assert not Lead.objects.exists()


def test_an_invalid_email_is_a_field_error(alice_api, lead):
    response = post(alice_api, {"lead_id": lead.id, "emails": [{"email": "nope"}]})

    assert set(response.json()["field-errors"]) == {"emails"}


def test_put_changes_only_the_sent_keys(alice_api, contact):
    response = put(alice_api, contact, {"title": "CEO"})

    assert response.json()["title"] == "CEO"
    assert response.json()["name"] == "Bruce Wayne"
    assert response.json()["phones"] == alice_api.get(URL).json()["data"][0]["phones"]


def test_new_phones_are_searchable(alice_api, contact):
    put(alice_api, contact, {"phones": [{"phone": "+12125550100"}]})

    found = alice_api.get("/api/v1/lead/", {"query": "212 555 0100"}).json()["data"]
    assert [lead["id"] for lead in found] == [contact.lead_id]


def test_put_cannot_move_a_contact_to_another_lead(alice_api, acme, contact):
    response = put(alice_api, contact, {"lead_id": make_lead(acme).id})

    assert response.json()["lead_id"] == contact.lead_id


def test_delete_removes_the_contact_only(acme_admin_api, contact):
    response = acme_admin_api.delete(f"{URL}{contact.id}/")

    assert response.json() == {}
    assert not Contact.objects.exists()
    assert Lead.objects.filter(pk=contact.lead_id).exists()


def test_another_organizations_contacts_are_never_listed(alice_api, contact, bob_contact):
    assert ids(alice_api.get(URL)) == [contact.id]
    assert ids(alice_api.get(URL, {"lead_id": bob_contact.lead_id})) == []


def test_a_contact_cannot_be_added_to_another_organizations_lead(alice_api, bob_lead):
    response = post(alice_api, {"lead_id": bob_lead.id, "name": "Mole"})

    assert response.json()["field-errors"] == {"lead": "Object does not exist."}
    assert not bob_lead.contacts.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_organizations_contact_is_404(alice_api, bob_contact, method):
    response = getattr(alice_api, method)(
        f"{URL}{bob_contact.id}/", {"name": "Mine"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert Contact.objects.get(pk=bob_contact.pk).name == "Peter Gibbons"


def test_phones_are_read_in_the_organizations_region_and_grouped_as_their_country_does(
    alice_api, acme, lead
):
    acme.phone_region = "FR"
    acme.save()
    body = {"lead_id": lead.id, "phones": [{"phone": "01 23 45 67 89"}, {"phone": "+441134960659"}]}

    response = post(alice_api, body)

    assert response.status_code == 200
    assert response.json()["phones"] == [
        {"phone": "+33123456789", "phone_formatted": "+33 1 23 45 67 89", "type": "office"},
        {"phone": "+441134960659", "phone_formatted": "+44 113 496 0659", "type": "office"},
    ]


def test_an_invalid_phone_is_a_field_error_naming_the_region(alice_api, acme, lead):
    acme.phone_region = "GB"
    acme.save()

    response = post(alice_api, {"lead_id": lead.id, "phones": [{"phone": "12345"}]})

    assert response.status_code == 400
    assert "as dialled in GB" in str(response.json()["field-errors"]["phones"])
    assert not Contact.objects.exists()
