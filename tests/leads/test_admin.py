import datetime

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from leads.models import Contact, Lead
from leads.phones import invalid_phone_message
from tests.conftest import admin_form_data, make_call, make_contact, make_lead

LEADS = reverse("admin:leads_lead_changelist")
ADD_LEAD = reverse("admin:leads_lead_add")
CONTACTS = reverse("admin:leads_contact_changelist")
ADD_CONTACT = reverse("admin:leads_contact_add")
AUTOCOMPLETE = reverse("admin:autocomplete")
OLD = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)


def lead_url(lead):
    return reverse("admin:leads_lead_change", args=[quote(lead.pk)])


def contact_url(contact):
    return reverse("admin:leads_contact_change", args=[quote(contact.pk)])


@pytest.fixture(params=["superuser_client", "acme_admin_client"])
def admin_client(request):
    """Run the test for a superuser and for Acme's organization admin."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def globex_lead(globex):
    lead = make_lead(globex, name="Initech")
    make_contact(lead, name="Peter Gibbons")
    return lead


def results(response):
    return list(response.context["cl"].result_list)


def test_lead_changelist_shows_leads_with_their_contact_count(admin_client, lead, contact):
    make_contact(lead)
    response = admin_client.get(LEADS)
    assert results(response) == [lead]
    assertContains(response, '<td class="field-contact_count">2</td>', html=True)


@pytest.mark.parametrize("term", ["wayne ent", "Bruce", "650-555-1234"])
def test_lead_search_matches_names_and_contacts_phones(admin_client, lead, contact, acme, term):
    make_lead(acme, name="Stark Industries")
    assert results(admin_client.get(LEADS, {"q": term})) == [lead]


@pytest.mark.parametrize(
    "params",
    [
        {"status_label__exact": "Qualified"},
        {"date_created__gte": "2020-01-01 00:00:00+00:00"},
        {"last_activity_at__isnull": "False"},
    ],
    ids=["status", "created", "last-activity"],
)
def test_each_lead_filter_narrows_the_list(admin_client, acme, params):
    wanted = make_lead(acme, status_label="Qualified")
    make_call(wanted)
    make_lead(acme, date_created=OLD)
    assert results(admin_client.get(LEADS, params)) == [wanted]


def test_superuser_filters_leads_by_organization(superuser_client, lead, globex_lead, acme):
    assert results(superuser_client.get(LEADS, {"organization__id__exact": acme.pk})) == [lead]


def test_adding_a_lead_with_contacts(admin_client, acme, acme_admin):
    response = admin_client.get(ADD_LEAD)
    assert response.status_code == 200
    data = admin_form_data(
        response,
        organization=acme.pk,
        name="Umbrella",
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "Alice Abernathy",
            "contacts-0-phones-TOTAL": "1",
            "contacts-0-phones-0-phone": "(650) 555-0000",
            "contacts-0-phones-0-type": "",
            "contacts-0-emails-TOTAL": "1",
            "contacts-0-emails-0-email": "alice@umbrella.example",
            "contacts-0-emails-0-type": "work",
        },
    )
    assertRedirects(admin_client.post(ADD_LEAD, data), LEADS)
    lead = Lead.objects.get()
    assert lead.organization == acme
    contact = lead.contacts.get()
    assert contact.organization == acme
    assert contact.phones == [{"phone": "+16505550000", "type": "office"}]
    assert contact.emails == [{"email": "alice@umbrella.example", "type": "work"}]
    assert contact.phone_digits == "16505550000"


def test_a_contacts_bad_phone_or_email_is_refused(admin_client, lead, contact):
    data = admin_form_data(
        admin_client.get(lead_url(lead)),
        **{"contacts-0-phones-0-phone": "call me", "contacts-0-emails-0-email": "nope"},
    )
    response = admin_client.post(lead_url(lead), data)
    errors = response.context["inline_admin_formsets"][0].formset.errors[0]
    assert errors["phones"] == ["Phone 1: " + invalid_phone_message("US")]
    assert errors["emails"] == ["Email 1: enter a valid email address."]
    contact.refresh_from_db()
    assert contact.phones == [{"phone": "+16505551234", "type": "office"}]


def test_changing_a_lead(admin_client, lead, contact):
    data = admin_form_data(admin_client.get(lead_url(lead)), name="Wayne Corp")
    assertRedirects(admin_client.post(lead_url(lead), data), LEADS)
    lead.refresh_from_db()
    assert lead.name == "Wayne Corp"
    assert lead.contacts.get() == contact


def test_lead_page_lists_its_latest_calls_linking_to_each(admin_client, lead, alice):
    call = make_call(lead, alice, disposition="answered")
    response = admin_client.get(lead_url(lead))
    call_url = reverse("admin:activities_call_change", args=[quote(call.pk)])
    assertContains(response, f'href="{call_url}"')
    assertContains(response, "Alice Archer")
    assertContains(response, f"?lead__id__exact={lead.pk}")


def test_contact_changelist_and_search(admin_client, contact, acme):
    make_contact(make_lead(acme, name="Stark"), name="Tony", phones=[], emails=[])
    assert results(admin_client.get(CONTACTS)) != []
    for term in ("Bruce", "Wayne Ent", "+1 650 555 1234", contact.emails[0]["email"].upper()):
        assert results(admin_client.get(CONTACTS, {"q": term})) == [contact]


def test_contact_date_filter(admin_client, contact, lead):
    make_contact(lead, date_created=OLD)
    params = {"date_created__gte": "2020-01-01 00:00:00+00:00"}
    assert results(admin_client.get(CONTACTS, params)) == [contact]


def test_adding_a_contact_takes_the_leads_organization(admin_client, lead, acme):
    data = admin_form_data(
        admin_client.get(ADD_CONTACT),
        lead=lead.pk,
        name="Alfred",
        **{"phones-TOTAL": "1", "phones-0-phone": "+442071234567", "phones-0-type": "home"},
    )
    assertRedirects(admin_client.post(ADD_CONTACT, data), CONTACTS)
    contact = Contact.objects.get()
    assert contact.organization == acme
    assert contact.phones == [{"phone": "+442071234567", "type": "home"}]


def test_changing_a_contact(admin_client, contact):
    data = admin_form_data(admin_client.get(contact_url(contact)), title="CEO")
    assertRedirects(admin_client.post(contact_url(contact), data), CONTACTS)
    contact.refresh_from_db()
    assert contact.title == "CEO"


def test_organization_admin_sees_only_their_leads_and_contacts(
    acme_admin_client, lead, contact, globex_lead
):
    assert results(acme_admin_client.get(LEADS)) == [lead]
    assert results(acme_admin_client.get(CONTACTS)) == [contact]
    assertRedirects(acme_admin_client.get(lead_url(globex_lead)), reverse("admin:index"))
    globex_contact = globex_lead.contacts.get()
    assertRedirects(acme_admin_client.get(contact_url(globex_contact)), reverse("admin:index"))


def test_organization_admin_cannot_move_a_contact_to_another_organizations_lead(
    acme_admin_client, contact, globex_lead
):
    data = admin_form_data(acme_admin_client.get(contact_url(contact)), lead=globex_lead.pk)
    response = acme_admin_client.post(contact_url(contact), data)
    assert "Select a valid choice" in response.context["adminform"].form.errors["lead"][0]
    contact.refresh_from_db()
    assert contact.lead_id != globex_lead.pk


def test_organization_admin_cannot_add_a_lead_to_another_organization(acme_admin_client, globex):
    data = admin_form_data(acme_admin_client.get(ADD_LEAD), organization=globex.pk, name="X")
    response = acme_admin_client.post(ADD_LEAD, data)
    assert "organization" in response.context["adminform"].form.errors
    assertNotContains(response, "Globex")
    assert not Lead.objects.exists()


def test_lead_autocomplete_offers_only_the_organizations_leads(
    acme_admin_client, lead, globex_lead
):
    response = acme_admin_client.get(
        AUTOCOMPLETE,
        {"app_label": "leads", "model_name": "contact", "field_name": "lead", "term": ""},
    )
    assert [result["id"] for result in response.json()["results"]] == [lead.pk]


def test_deleting_a_lead_deletes_its_contacts_and_calls(admin_client, lead, contact):
    make_call(lead, contact=contact)
    delete_url = reverse("admin:leads_lead_delete", args=[quote(lead.pk)])
    assertContains(admin_client.get(delete_url), "Bruce Wayne")
    assertRedirects(admin_client.post(delete_url, {"post": "yes"}), LEADS)
    assert not Lead.objects.exists()
    assert not Contact.objects.exists()
