"""What the table-driven security tests share: ids filled into a probe, and an organization's
rows, to compare before and after it."""

from django.forms.models import model_to_dict

from accounts.models import ApiKey, Membership, Organization, User
from activities.models import Call, Outcome, Transcript
from events.models import Delivery, Event, WebhookSubscription
from followups.models import Task
from imports.models import CallImport
from insights.models import OutcomeTally, RepTally, TeamTally
from leads.models import Contact, Lead


def fill(template, ids, escape=str):
    """`template` with `{name}` replaced by the escaped id, in a list's items too; anything but
    a string as it is."""
    if isinstance(template, list):
        return [fill(item, ids, escape) for item in template]
    if not isinstance(template, str):
        return template
    return template.format(**{name: escape(str(value)) for name, value in ids.items()})


def organization_rows(organization):
    """Every row of `organization`'s, as plain values."""
    querysets = [
        Organization.objects.filter(pk=organization.pk),
        Membership.objects.filter(organization=organization),
        User.objects.filter(memberships__organization=organization),
        ApiKey.objects.filter(membership__organization=organization),
        Lead.objects.filter(organization=organization),
        Contact.objects.filter(organization=organization),
        Outcome.objects.filter(organization=organization),
        Call.objects.filter(organization=organization),
        Transcript.objects.filter(organization=organization),
        RepTally.objects.filter(organization=organization),
        TeamTally.objects.filter(organization=organization),
        OutcomeTally.objects.filter(organization=organization),
        Task.objects.filter(organization=organization),
        Event.objects.filter(organization=organization),
        WebhookSubscription.objects.filter(organization=organization),
        Delivery.objects.filter(organization=organization),
        CallImport.objects.filter(organization=organization),
    ]
    return [sorted(map(repr, (model_to_dict(row) for row in qs))) for qs in querysets]
