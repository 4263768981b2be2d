"""Leads and contacts are written through leads.services from every face (page, API, admin),
which announce each change with who made it (core/changes.py)."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse

from core.changes import CREATED, DELETED, UPDATED
from leads.models import Contact, Lead
from tests.conftest import admin_form_data

pytestmark = pytest.mark.django_db


def actions(announced):
    return [(change.action, change.model.__name__) for change in announced]


def test_a_lead_added_on_its_page_is_announced_with_its_contact(announced, alice_browser, alice):
    response = alice_browser.post(
        reverse("leads:create"),
        {
            "name": "Umbrella",
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Alice Abernathy",
            "contacts-0-phone": "(650) 555-0000",
        },
    )

    lead = Lead.objects.get(name="Umbrella")
    assert response.status_code == 302
    assert actions(announced) == [(CREATED, "Lead"), (CREATED, "Contact")]
    assert [change.actor for change in announced] == [alice, alice]
    assert announced[1].instance.lead_id == lead.id


def test_a_contact_sent_without_a_lead_announces_the_lead_made_for_it(announced, alice_api):
    response = alice_api.post(
        "/api/v1/contact/", {"name": "Peter Gibbons"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert actions(announced) == [(CREATED, "Lead"), (CREATED, "Contact")]
    assert Contact.objects.get().lead.name == "Peter Gibbons"


def test_a_lead_changed_through_the_api_is_announced_with_what_changed(
    announced, alice_api, alice, lead
):
    response = alice_api.put(
        f"/api/v1/lead/{lead.id}/", {"status_label": "Customer"}, content_type="application/json"
    )

    assert response.status_code == 200
    (change,) = announced
    assert (change.action, change.changed, change.actor) == (UPDATED, {"status_label"}, alice)
    assert change.previous == {"status_label": "Potential"}


def test_a_contact_deleted_through_the_api_is_announced(announced, acme_admin_api, contact):
    response = acme_admin_api.delete(f"/api/v1/contact/{contact.id}/")

    assert response.status_code == 200
    assert [(change.action, change.pk) for change in announced] == [(DELETED, contact.id)]


def test_a_lead_renamed_in_the_admin_is_announced(announced, superuser_client, lead, contact):
    url = reverse("admin:leads_lead_change", args=[quote(lead.pk)])
    data = admin_form_data(superuser_client.get(url), name="Wayne Industries")

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    assert [(change.action, change.changed) for change in announced] == [(UPDATED, {"name"})]
    lead.refresh_from_db()
    assert lead.name == "Wayne Industries"
