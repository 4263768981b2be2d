from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.ids import PublicIdField
from accounts.models import Organization
from core.models import Authored
from leads.phones import digits_only, format_phone, search_digits


class LeadQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)

    def touch(self, when=None):
        """Mark these leads changed now (or at `when`), as a change to a contact of theirs does."""
        return self.update(date_updated=when or timezone.now())

    def search(self, query, region="US"):
        """Leads whose name, or a contact's name, email or phone digits, contain `query` (a
        number typed as dialled in `region` is found by its national digits)."""
        query = (query or "").strip()
        if not query:
            return self
        # A union of ids, each side able to use its trigram index (migration leads 0003),
        # rather than an OR that tests every lead of the organization.
        contacts = Contact.objects.filter(_contact_matches(query, region))
        matching = (
            Lead.objects.filter(name__icontains=query)
            .order_by()
            .values("pk")
            .union(contacts.order_by().values("lead_id"))
        )
        return self.filter(pk__in=matching)


MIN_SEARCH_DIGITS = 3


def _contact_matches(query, region):
    condition = models.Q(name__icontains=query) | models.Q(email_text__icontains=query.lower())
    digits = search_digits(query, region)
    if len(digits) >= MIN_SEARCH_DIGITS:
        condition |= models.Q(phone_digits__contains=digits)
    return condition


class PhoneMatch:
    """Which contact's phone a search for phone digits found: "Jane Doe's mobile"."""

    def __init__(self, contact, phone):
        self.contact, self.phone = contact, phone

    def __str__(self):
        kind = phone_kind(self.phone.get("type"))
        return f"{self.contact.name or 'a contact'}'s {kind}"

    @property
    def formatted(self):
        return format_phone(self.phone.get("phone"))


def phone_kind(type_):
    """A phone's type as a sentence names it: "mobile", "office phone", "phone"."""
    if not type_:
        return "phone"
    return type_ if type_ in ("mobile", "fax") else f"{type_} phone"


def phone_matches(leads, query, region="US"):
    """Return {lead id: PhoneMatch} for those of `leads` a search for `query` found by a
    contact's phone, in one query; {} when `query` has too few digits to be a phone search."""
    digits = search_digits(query, region)
    if len(digits) < MIN_SEARCH_DIGITS or not leads:
        return {}
    contacts = Contact.objects.filter(
        lead__in=[lead.pk for lead in leads], phone_digits__contains=digits
    )
    found = {}
    for contact in contacts:
        phone = contact.phone_matching(digits)
        if phone is not None and contact.lead_id not in found:
            found[contact.lead_id] = PhoneMatch(contact, phone)
    return found


class Lead(Authored):
    id = PublicIdField(prefix="lead")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="leads")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, max_length=500, help_text="The company's website.")
    status_label = models.CharField(max_length=64, default="Potential")
    last_activity_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the lead's latest call happened; kept by the call services.",
    )
    calls_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many calls the lead has; kept by the call services.",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-date_created"]
        # The leads list's order (latest call first, never-called leads last) has its index,
        # lead_org_activity, created on PostgreSQL only by migration 0002: SQLite can't index
        # NULLS LAST, and an index in the model's state would break its table rebuilds.
        indexes = [
            models.Index(fields=["organization", "-date_created"], name="lead_org_created"),
            # ETL connectors read leads changed since their last sync, oldest first.
            models.Index(fields=["organization", "date_updated", "id"], name="lead_org_updated"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("leads:detail", args=[self.id])

    @property
    def display_name(self):
        return self.name


class Contact(models.Model):
    id = PublicIdField(prefix="cont")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    phones = models.JSONField(
        default=list, blank=True, help_text='[{"phone": "+16505551234", "type": "office"}]'
    )
    emails = models.JSONField(
        default=list, blank=True, help_text='[{"email": "jo@example.com", "type": "office"}]'
    )
    phone_digits = models.TextField(
        blank=True, editable=False, help_text="Digits of every phone, for search."
    )
    email_text = models.TextField(blank=True, editable=False, help_text="Every email, for search.")
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date_created", "id"]
        indexes = [models.Index(fields=["organization", "lead"], name="contact_org_lead")]

    def __str__(self):
        return self.name or self.first_phone or "(no name)"

    @transaction.atomic(savepoint=False)
    def save(self, *args, **kwargs):
        """Save the contact; its lead changes with it (its `date_updated` moves)."""
        self.phone_digits = " ".join(digits_only(p.get("phone")) for p in self.phones)
        self.email_text = " ".join((e.get("email") or "").lower() for e in self.emails)
        if kwargs.get("update_fields") is not None:
            derived = {"phone_digits", "email_text", "date_updated"}
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        super().save(*args, **kwargs)
        Lead.objects.filter(pk=self.lead_id).touch(self.date_updated)

    @transaction.atomic(savepoint=False)
    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        Lead.objects.filter(pk=self.lead_id).touch()
        return deleted

    @property
    def first_phone(self):
        return self.phones[0]["phone"] if self.phones else None

    def phone_matching(self, digits):
        """Return the first of the contact's phones whose digits contain `digits`, or None."""
        return next((p for p in self.phones if digits in digits_only(p.get("phone"))), None)

    @property
    def formatted_phones(self):
        return [{**p, "phone_formatted": format_phone(p.get("phone"))} for p in self.phones]
