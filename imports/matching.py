"""Finding each row's lead and contact, rep and outcome, within the importing organization.

A row finds its lead by the first of these that names exactly one: its lead id, its contact's
id, its contact's email, its contact's phone number, the lead's name (without case). When none
does, the import creates the lead (with the row's contact on it) if it was asked to, or refuses
the row saying what it looked for. The contact is the one the email or phone number found on
that lead, if any. Reps are the organization's members, found by user id, email or name.

The organization's lead names and contact emails and phone numbers are read once per step into
`LeadDirectory` (a few hundred bytes per contact), so that a batch costs two queries whatever
its size; memory grows with the organization's leads and contacts (and the leads an import
creates), not with the file.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from accounts.models import Membership, organization_members
from activities.models import Outcome
from imports.values import CellError, parse_email
from leads.models import Contact, Lead
from leads.phones import digits_only, normalize_phone


def phone_key(phone):
    """The digits of a number as E.164 writes it, so that 6505551234 finds +1 650-555-1234."""
    return digits_only(normalize_phone(phone) or phone)


@dataclass(eq=False)
class NewLead:
    """A lead the import will create, for the rows that name it; `lead` and `contact` once
    it is created (only when the import writes)."""

    name: str
    contact_fields: dict
    lead: Lead = None
    contact: Contact = None
    used: bool = False
    draft: Lead = field(default=None, repr=False)

    def draft_for(self, organization):
        """An unsaved lead to validate the rows' calls with (the dry run writes nothing)."""
        if self.draft is None:
            self.draft = Lead(organization=organization, name=self.name)
        return self.draft

    def validate(self, organization):
        """Check the lead and its contact with their models' rules, as `leads.services` will
        when it creates them (ValidationError)."""
        draft = self.draft_for(organization)
        draft.full_clean(
            exclude=["organization", "created_by", "updated_by"], validate_unique=False
        )
        if self.contact_fields:
            contact = Contact(organization=organization, lead=draft, **self.contact_fields)
            contact.full_clean(exclude=["organization", "lead"], validate_unique=False)


class _Index(dict):
    """{key: {lead: contact id or None}}: which leads a name, an email or a number finds."""

    def add(self, key, lead, contact_id=None):
        if key:
            self.setdefault(key, {}).setdefault(lead, contact_id)


class LeadDirectory:
    def __init__(self, organization):
        self.organization = organization
        self.names, self.emails, self.phones = _Index(), _Index(), _Index()
        leads = Lead.objects.for_organization(organization).values_list("id", "name")
        for lead_id, name in leads.iterator(chunk_size=5000):
            self.names.add(name.casefold(), lead_id)
        contacts = Contact.objects.filter(organization=organization).values_list(
            "id", "lead_id", "email_text", "phone_digits"
        )
        for contact_id, lead_id, emails, phones in contacts.iterator(chunk_size=5000):
            for email in emails.split():
                self.emails.add(email, lead_id, contact_id)
            for phone in phones.split():
                self.phones.add(phone_key(phone), lead_id, contact_id)

    def find(self, *, lead=None, contact=None, email=None, phone=None, name=None):
        """Return (lead, contact id): the lead (an id, or a NewLead) that the first of the row's
        clues finds alone; `lead` and `contact` are ones already found by their ids (a Lead, a
        Contact). Raise CellError when clues find several leads, or none. (None, None) when
        the row gives no clue but ids that were not found."""
        phone = phone_key(phone) if phone else None
        by_email = self.emails.get(email, {})
        by_phone = self.phones.get(phone, {})
        if lead is not None:
            if contact is not None and contact.lead_id == lead.id:
                return lead.id, contact.id
            return lead.id, by_email.get(lead.id) or by_phone.get(lead.id)
        if contact is not None:
            return contact.lead_id, contact.id
        ambiguous = []
        for clue, found in (
            (f"the email {email}", by_email),
            (f"the phone number {phone and '+' + phone}", by_phone),
            (f"the name “{name}”", self.names.get(name.casefold(), {}) if name else {}),
        ):
            if len(found) == 1:
                found_lead = next(iter(found))
                return found_lead, by_email.get(found_lead) or by_phone.get(found_lead)
            if len(found) > 1:
                ambiguous.append(f"{clue} is on {len(found)} leads")
        if ambiguous:
            raise CellError(
                f"The lead is ambiguous: {'; '.join(ambiguous)}. Give the lead's id or a "
                "clue that names one lead."
            )
        return None, None

    def new_lead(self, *, name, contact_name=None, email=None, phone=None):
        """The lead to create for a row that found none, named after its lead name (else its
        contact, as Close names a lead for a contact sent without one); later rows find it.
        ValidationError if the lead or its contact breaks their models' rules."""
        lead_name = name or contact_name or email or phone
        contact_fields = {}
        if contact_name or email or phone:
            contact_fields = {
                "name": contact_name or "",
                "emails": [{"email": email, "type": "office"}] if email else [],
                "phones": [{"phone": phone, "type": "office"}] if phone else [],
            }
        new = NewLead(lead_name, contact_fields)
        new.validate(self.organization)
        if name:
            self.names.add(name.casefold(), new)
        self.emails.add(email, new)
        self.phones.add(phone_key(phone) if phone else None, new)
        return new


class Members:
    """The organization's members, by user id, email, full name and username (without case)."""

    AMBIGUOUS = object()

    def __init__(self, organization):
        self.keys = {}
        # Their membership read with them: `Call.clean`, which checks that a call's rep is a
        # member, asks no more.
        memberships = Membership.objects.filter(organization=organization)
        users = organization_members(organization).prefetch_related(
            Prefetch("memberships", queryset=memberships)
        )
        for user in users:
            keys = {user.pk, user.email.casefold(), user.username.casefold()}
            keys.add(user.get_full_name().casefold())
            for key in keys - {""}:
                known = self.keys.get(key)
                self.keys[key] = user if known in (None, user) else self.AMBIGUOUS

    def find(self, text):
        """The member that `text` names (an id, an email, a name, or "Name (email)")."""
        try:
            key = parse_email(text)
        except CellError:
            key = text.casefold()
        user = self.keys.get(text) or self.keys.get(key)  # an id as it is, else without case
        if user is None:
            raise CellError(f"No member of the organization is “{text}” (by email or name).")
        if user is self.AMBIGUOUS:
            raise CellError(f"Several members are called “{text}”: give the rep's email.")
        return user


class Outcomes:
    """The outcomes a call of the organization may be given, by id and name (without case)."""

    def __init__(self, organization):
        self.keys = {}
        for outcome in Outcome.objects.for_calls(organization):
            self.keys[outcome.pk] = outcome
            self.keys[outcome.name.casefold()] = outcome

    def find(self, text):
        outcome = self.keys.get(text) or self.keys.get(text.casefold())
        if outcome is None:
            raise CellError(f"No outcome is named “{text}”.")
        return outcome
