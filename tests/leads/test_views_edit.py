"""Editing a lead and its contacts on the rep's pages, through leads.services."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts import roles
from core.changes import CREATED, DELETED, UPDATED
from leads.models import Contact, Lead
from leads.phones import invalid_phone_message
from tests.conftest import make_call, make_contact

pytestmark = pytest.mark.django_db


def edit_url(lead):
    return reverse("leads:edit", args=[lead.id])


def contact_url(contact, page="edit"):
    return reverse(f"leads:contact_{page}", args=[contact.lead_id, contact.id])


def new_contact_url(lead):
    return reverse("leads:contact_create", args=[lead.id])


def rows(prefix, items, total, initial):
    """The POST data of a formset of phone or email rows, `initial` of them shown filled in."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    key = prefix.removesuffix("s")
    for n in range(total):
        value, kind = items[n] if n < len(items) else ("", "office")
        data[f"{prefix}-{n}-{key}"] = value
        data[f"{prefix}-{n}-type"] = kind
    return data


def contact_data(name="Jane Doe", title="CFO", phones=(), emails=(), contact=None):
    """What the contact's page posts: `contact`'s phones and emails are its initial rows, and
    blank rows follow them (two for phones, one for emails)."""
    shown_phones = len(contact.phones) if contact else 0
    shown_emails = len(contact.emails) if contact else 0
    return {
        "name": name,
        "title": title,
        **rows("phones", list(phones), max(len(phones), shown_phones + 2), shown_phones),
        **rows("emails", list(emails), max(len(emails), shown_emails + 1), shown_emails),
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


class TestLead:
    def test_the_form_shows_the_lead_as_it_is(self, alice_browser, lead):
        lead.url, lead.description = "https://wayne.example", "Gotham's biggest"
        lead.save()
        response = alice_browser.get(edit_url(lead))
        assertContains(response, 'value="Wayne Enterprises"')
        assertContains(response, 'value="https://wayne.example"')
        assertContains(response, "Gotham&#x27;s biggest</textarea>")

    def test_saving_changes_the_lead_and_announces_it_by_its_editor(
        self, announced, alice_browser, alice, lead
    ):
        response = alice_browser.post(
            edit_url(lead),
            {"name": "Wayne Corp", "url": "wayne.example", "description": "Renamed"},
            follow=True,
        )
        assertRedirects(response, lead.get_absolute_url())
        assertContains(response, "Wayne Corp was saved.")
        lead.refresh_from_db()
        assert (lead.name, lead.url, lead.description) == (
            "Wayne Corp",
            "https://wayne.example",
            "Renamed",
        )
        assert lead.updated_by == alice
        [change] = announced
        assert (change.action, change.actor) == (UPDATED, alice)
        assert change.changed >= {"name", "url", "description"}

    @pytest.mark.parametrize(
        ("field", "value", "error"),
        [
            ("name", "", "This field is required."),
            ("url", "not a url", "Enter a valid URL."),
            ("name", "x" * 256, "Ensure this value has at most 255 characters (it has 256)."),
        ],
    )
    def test_a_bad_field_is_shown_beside_it_and_nothing_is_saved(
        self, alice_browser, lead, field, value, error
    ):
        data = {"name": "Wayne Corp", "url": "", "description": "", field: value}
        response = alice_browser.post(edit_url(lead), data)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [error]
        assertContains(response, "Please correct the errors below.")
        assert Lead.objects.get().name == "Wayne Enterprises"

    def test_the_lead_page_links_to_its_edit_page(self, alice_browser, lead):
        response = alice_browser.get(lead.get_absolute_url())
        assertContains(response, f'href="{edit_url(lead)}"')
        assertContains(response, f'href="{new_contact_url(lead)}"')

    def test_only_an_admin_is_offered_to_delete_it(self, alice, acme_admin, lead):
        delete = reverse("leads:delete", args=[lead.id])
        assertNotContains(client_of(alice).get(edit_url(lead)), delete)
        assertContains(client_of(acme_admin).get(edit_url(lead)), delete)

    def test_an_admin_deletes_it_with_its_contacts_and_calls(
        self, announced, acme_admin_client, acme_admin, alice, lead, contact
    ):
        make_call(lead, alice, contact=contact)
        delete = reverse("leads:delete", args=[lead.id])
        assertContains(acme_admin_client.get(delete), "Its 1 contact and 1 call go with it")
        announced.clear()
        response = acme_admin_client.post(delete)
        assertRedirects(response, reverse("leads:list"))
        assert not Lead.objects.exists()
        assert [(c.action, c.model.__name__, c.actor) for c in announced] == [
            (DELETED, "Lead", acme_admin)
        ]

    def test_a_member_is_refused_the_deletion(self, alice_browser, lead):
        response = alice_browser.post(reverse("leads:delete", args=[lead.id]))
        assertContains(response, roles.can_delete_lead.refusal, status_code=403)
        assert Lead.objects.exists()


class TestContact:
    def test_a_contact_is_added_with_its_phones_and_emails(
        self, announced, alice_browser, alice, lead
    ):
        data = contact_data(
            phones=[("(650) 555-1234", "office"), ("650 555 9876", "mobile")],
            emails=[("jane@wayne.example", "office")],
        )
        response = alice_browser.post(new_contact_url(lead), data)
        assertRedirects(response, lead.get_absolute_url())
        contact = Contact.objects.get()
        assert (contact.lead, contact.organization) == (lead, lead.organization)
        assert (contact.name, contact.title) == ("Jane Doe", "CFO")
        assert contact.phones == [
            {"phone": "+16505551234", "type": "office"},
            {"phone": "+16505559876", "type": "mobile"},
        ]
        assert contact.emails == [{"email": "jane@wayne.example", "type": "office"}]
        assert [(c.action, c.model.__name__, c.actor) for c in announced] == [
            (CREATED, "Contact", alice)
        ]

    def test_a_number_without_a_plus_is_read_in_the_organizations_region(
        self, alice_browser, acme, lead
    ):
        acme.phone_region = "GB"
        acme.save()
        alice_browser.post(
            new_contact_url(lead), contact_data(phones=[("0113 496 0659", "office")])
        )
        assert Contact.objects.get().phones == [{"phone": "+441134960659", "type": "office"}]

    def test_the_form_shows_the_numbers_formatted(self, alice_browser, lead):
        contact = make_contact(lead, phones=[{"phone": "+441134960659", "type": "mobile"}])
        response = alice_browser.get(contact_url(contact))
        assertContains(response, 'value="+44 113 496 0659"')
        assertContains(response, '<option value="mobile" selected>Mobile</option>', html=True)

    def test_clearing_a_row_removes_that_number_and_a_type_the_api_sent_is_kept(
        self, alice_browser, lead
    ):
        contact = make_contact(
            lead,
            phones=[
                {"phone": "+16505551234", "type": "office"},
                {"phone": "+16505559876", "type": "pager"},
            ],
            emails=[{"email": "old@wayne.example", "type": "office"}],
        )
        form = alice_browser.get(contact_url(contact)).context["editor"]
        assert [choice for choice, _ in form.phones[1].fields["type"].choices][-1] == "pager"
        data = contact_data(
            name=contact.name,
            phones=[("", "office"), ("+1 650-555-9876", "pager")],
            emails=[("", "office")],
            contact=contact,
        )
        response = alice_browser.post(contact_url(contact), data)
        assertRedirects(response, lead.get_absolute_url())
        contact.refresh_from_db()
        assert contact.phones == [{"phone": "+16505559876", "type": "pager"}]
        assert contact.emails == []

    @pytest.mark.parametrize(
        ("data", "where", "field", "error"),
        [
            (contact_data(phones=[("call me", "office")]), "phones", "phone",
             invalid_phone_message("US")),
            (contact_data(emails=[("jane at wayne", "office")]), "emails", "email",
             "Enter a valid email address."),
            (contact_data(phones=[("+16505551234", "walkie-talkie")]), "phones", "type", None),
            (contact_data(name="x" * 256), None, "name",
             "Ensure this value has at most 255 characters (it has 256)."),
        ],
    )  # fmt: skip
    def test_a_bad_field_is_shown_beside_it_and_nothing_is_saved(
        self, alice_browser, lead, data, where, field, error
    ):
        response = alice_browser.post(new_contact_url(lead), data)
        assert response.status_code == 200
        editor = response.context["editor"]
        errors = editor.form.errors if where is None else getattr(editor, where)[0].errors
        assert field in errors
        if error:
            assert errors[field] == [error]
        assertContains(response, "Please correct the errors below.")
        assert not Contact.objects.exists()

    def test_saving_announces_the_change_by_its_editor(
        self, announced, alice_browser, alice, contact
    ):
        alice_browser.post(
            contact_url(contact),
            contact_data(
                name="Bruce Wayne",
                title="Chairman",
                phones=[("+1 650-555-1234", "office")],
                emails=[(contact.emails[0]["email"], "office")],
                contact=contact,
            ),
        )
        contact.refresh_from_db()
        assert contact.title == "Chairman"
        [change] = announced
        assert (change.action, change.actor, change.changed) == (UPDATED, alice, {"title"})

    def test_only_an_admin_is_offered_to_delete_one(self, alice, acme_admin, contact):
        delete = contact_url(contact, "delete")
        assertNotContains(client_of(alice).get(contact_url(contact)), delete)
        assertContains(client_of(acme_admin).get(contact_url(contact)), delete)

    def test_an_admin_deletes_one_and_its_calls_stay_on_the_lead(
        self, acme_admin_client, alice, lead, contact
    ):
        call = make_call(lead, alice, contact=contact)
        response = acme_admin_client.post(contact_url(contact, "delete"))
        assertRedirects(response, lead.get_absolute_url())
        assert not Contact.objects.exists()
        call.refresh_from_db()
        assert (call.lead, call.contact) == (lead, None)

    def test_a_member_is_refused_the_deletion(self, alice_browser, contact):
        response = alice_browser.post(contact_url(contact, "delete"))
        assertContains(response, roles.can_delete_contact.refusal, status_code=403)
        assert Contact.objects.exists()

    def test_a_contact_of_another_lead_is_not_found_under_this_one(self, alice_browser, acme, lead):
        other = make_contact(Lead.objects.create(organization=acme, name="Stark"))
        url = reverse("leads:contact_edit", args=[lead.id, other.id])
        assert alice_browser.get(url).status_code == 404

    def test_the_lead_page_links_each_contact_to_its_edit_page(self, alice_browser, lead, contact):
        response = alice_browser.get(lead.get_absolute_url())
        assertContains(response, f'href="{contact_url(contact)}"')


def test_a_stored_number_that_is_no_valid_number_does_not_block_an_edit(alice_browser, lead):
    """Numbers from before they were checked (an import, the old API) are kept as they are."""
    contact = make_contact(lead, phones=[{"phone": "+447700900123", "type": "mobile"}], emails=[])
    data = contact_data(name="Renamed", phones=[("+44 7700 900123", "mobile")], contact=contact)

    response = alice_browser.post(contact_url(contact), data)

    assertRedirects(response, lead.get_absolute_url())
    contact.refresh_from_db()
    assert (contact.name, contact.phones) == (
        "Renamed",
        [{"phone": "+447700900123", "type": "mobile"}],
    )


def test_a_changed_number_must_be_a_valid_one(alice_browser, lead):
    contact = make_contact(lead, phones=[{"phone": "+447700900123", "type": "mobile"}], emails=[])
    data = contact_data(phones=[("+44 7700 900124", "mobile")], contact=contact)

    response = alice_browser.post(contact_url(contact), data)

    assert response.context["editor"].phones[0].errors["phone"] == [invalid_phone_message("US")]
