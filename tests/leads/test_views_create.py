import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from leads.models import Lead

pytestmark = pytest.mark.django_db


def new_lead_data(**overrides):
    data = {
        "name": "Wayne Enterprises",
        "url": "https://wayne.example",
        "description": "",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Bruce Wayne",
        "contacts-0-title": "CEO",
        "contacts-0-phone": "(650) 555-1234",
        "contacts-0-email": "bruce@wayne.example",
        "contacts-1-name": "",
        "contacts-1-title": "",
        "contacts-1-phone": "",
        "contacts-1-email": "",
    }
    return {**data, **overrides}


def test_the_form_shows_a_lead_and_contact_rows(alice_browser):
    response = alice_browser.get(reverse("leads:create"))
    assertContains(response, '<label for="id_name">Name</label>', html=True)
    assertContains(response, 'name="contacts-0-phone"')
    assertContains(response, 'name="contacts-1-phone"')


def test_it_creates_the_lead_with_its_contacts_in_the_organization(alice_browser, alice, acme):
    response = alice_browser.post(reverse("leads:create"), new_lead_data())
    lead = Lead.objects.get()
    assertRedirects(response, lead.get_absolute_url())
    assert (lead.organization, lead.created_by) == (acme, alice)
    contact = lead.contacts.get()
    assert contact.organization == acme
    assert (contact.name, contact.title) == ("Bruce Wayne", "CEO")
    assert contact.phones == [{"phone": "+16505551234", "type": "office"}]
    assert contact.emails == [{"email": "bruce@wayne.example", "type": "office"}]


def test_a_lead_needs_a_name(alice_browser):
    response = alice_browser.post(reverse("leads:create"), new_lead_data(name=""))
    assertContains(response, "This field is required.")
    assert not Lead.objects.exists()


def test_a_phone_that_cannot_be_a_number_is_refused_and_nothing_is_saved(alice_browser):
    data = new_lead_data(**{"contacts-0-phone": "call me maybe"})
    response = alice_browser.post(reverse("leads:create"), data)
    assertContains(response, "Enter a valid phone number")
    assert not Lead.objects.exists()


def test_a_lead_may_have_no_contact(alice_browser):
    data = new_lead_data(
        **{f"contacts-0-{name}": "" for name in ("name", "title", "phone", "email")}
    )
    alice_browser.post(reverse("leads:create"), data)
    assert Lead.objects.get().contacts.count() == 0
