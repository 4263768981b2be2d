"""Writing leads and contacts: the one path the API, the rep's pages, the admin and the demo
data take.

Each function runs in one transaction, validates with the models' own rules (`full_clean()`)
and announces each change, with who made it (core/changes.py).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.changes import announce_deleted
from core.writes import create_announced, update_announced
from leads.models import Contact, Lead


@transaction.atomic
def lead_create(*, organization, created_by, fields, contacts=()):
    """Create a lead of `organization` with `fields`, and its `contacts` (each a dict of
    contact fields). A contact refused is an error on `contacts`, naming which one."""
    lead = Lead(organization=organization, created_by=created_by, updated_by=created_by, **fields)
    create_announced(lead, actor=created_by)
    for position, contact_fields in enumerate(contacts, start=1):
        try:
            contact_create(
                organization=organization, lead=lead, created_by=created_by, fields=contact_fields
            )
        except ValidationError as error:
            message = f"Contact {position}: {' '.join(error.messages)}"
            raise ValidationError({"contacts": message}) from None
    return lead


@transaction.atomic
def lead_update(lead, *, updated_by, fields):
    return update_announced(lead, {**fields, "updated_by": updated_by}, actor=updated_by)


@transaction.atomic
def lead_delete(lead, *, deleted_by):
    """Delete `lead` with its contacts and calls (announced as the lead's deletion alone)."""
    announce_deleted(lead, actor=deleted_by)
    lead.delete()


def _lead_named_after(contact, *, organization, created_by):
    """A new lead for a contact sent without one, named after it, as Close does."""
    phones, emails = contact.phones or [{}], contact.emails or [{}]
    name = contact.name or emails[0].get("email") or phones[0].get("phone")
    if not name:
        raise ValidationError({"lead": "This field is required."})
    return lead_create(organization=organization, created_by=created_by, fields={"name": name})


@transaction.atomic
def contact_create(*, organization, created_by, fields, lead=None):
    """Create a contact of `lead` (None: a new lead named after the contact) with `fields`."""
    contact = Contact(organization=organization, **fields)
    if lead is None:
        lead = _lead_named_after(contact, organization=organization, created_by=created_by)
    contact.lead = lead
    return create_announced(contact, actor=created_by)


@transaction.atomic
def contact_update(contact, *, updated_by, fields):
    """Change `contact`; one moved to another lead moves to that lead's organization."""
    if "lead" in fields:
        fields = {**fields, "organization_id": fields["lead"].organization_id}
    return update_announced(contact, fields, actor=updated_by)


@transaction.atomic
def contact_delete(contact, *, deleted_by):
    announce_deleted(contact, actor=deleted_by)
    contact.delete()
