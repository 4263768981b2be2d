from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.ids import PublicIdField
from accounts.models import Organization
from core.models import Authored
from leads.phones import digits_only, format_phone


class LeadQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)

    def touch(self, when=None):
        """Mark these leads changed now (or at `when`), as a change to a contact of theirs does."""
        return self.update(date_updated=when or timezone.now())

    def search(self, query):
        """Leads whose name, or a contact's name, email or phone digits, contain `query`."""
        query = (query or "").strip()
        if not query:
            return self
        # A union of ids, each side able to use its trigram index (migration leads 0003),
        # rather than an OR that tests every lead of the organization.
        matching = (
            Lead.objects.filter(name__icontains=query)
            .order_by()
            .values("pk")
            .union(Contact.objects.filter(_contact_matches(query)).order_by().values("lead_id"))
        )
        return self.filter(pk__in=matching)


def _contact_matches(query):
    condition = models.Q(name__icontains=query) | models.Q(email_text__icontains=query.lower())
    digits = digits_only(query)
    if len(digits) >= 3:
        condition |= models.Q(phone_digits__contains=digits)
    return condition


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

    @property
    def formatted_phones(self):
        return [{**p, "phone_formatted": format_phone(p.get("phone"))} for p in self.phones]
