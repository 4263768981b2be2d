"""Close's lead and contact API: `/api/v1/lead/` and `/api/v1/contact/`."""

import django_filters

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from api.json_schema import array, nullable, object_schema, ref, string
from api.registry import Route
from api.representations import (
    Column,
    DateTime,
    Loaded,
    Representation,
    authorship,
    none_if_blank,
)
from api.viewsets import CloseModelViewSet
from leads import services
from leads.models import Contact, Lead
from leads.phones import format_phone
from leads.serializers import (
    ContactSerializer,
    ContactUpdateSerializer,
    LeadSerializer,
    LeadUpdateSerializer,
)


def _formatted_phones(phones):
    """As `Contact.formatted_phones`: each phone with its readable form."""
    return [{**phone, "phone_formatted": format_phone(phone.get("phone"))} for phone in phones]


CONTACT = Representation(
    Column("id", schema=string(example="cont_4fEmK0ApUd8ybhuCgNJq2S")),
    Column("lead_id"),
    Column("organization_id"),
    Column("name"),
    Column("title"),
    Column("phones", convert=_formatted_phones, schema=array(ref("Phone"))),
    Column("emails", schema=array(ref("Email"))),
    DateTime("date_created"),
    DateTime("date_updated"),
    name="Contact",
    description="A person at a lead.",
)


def _load_contacts(leads, names, request):
    """Fill in the contacts of a page of leads, in one query."""
    by_id = {lead["id"]: lead for lead in leads}
    for lead in leads:
        lead["contacts"] = []
    plan = CONTACT.plan(request)
    contacts = Contact.objects.filter(lead_id__in=by_id).order_by("date_created", "id")
    for contact in plan.build(plan.rows(contacts)):
        by_id[contact["lead_id"]]["contacts"].append(contact)


LEAD = Representation(
    Column("id", schema=string(example="lead_7DkUe1TmvKM0ZxwyRa3cFh")),
    Column("name"),
    Column("display_name", "name"),
    Column("status_label"),
    Column("description"),
    Column("url", convert=none_if_blank, schema=nullable(string())),
    Column("organization_id"),
    Loaded("contacts", _load_contacts, schema=array(ref("Contact"))),
    *authorship(),
    name="Lead",
    description="A company or person sold to, with its contacts.",
)


class LeadFilter(django_filters.FilterSet):
    query = django_filters.CharFilter(method="search")

    class Meta:
        model = Lead
        fields = []

    def search(self, queryset, name, value):
        return queryset.search(value)


class LeadViewSet(CloseModelViewSet):
    """Leads, with their contacts nested; `query` finds them by name, or a contact's name,
    phone or email. Members create and edit them; only an organization admin deletes one (and
    with it its contacts and calls)."""

    queryset = Lead.objects.all()
    representation = LEAD
    filterset_class = LeadFilter
    orderings = {"date_created": "date_created", "date_updated": "date_updated", "name": "name"}

    def get_serializer_class(self):
        return LeadSerializer if self.action == "create" else LeadUpdateSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        contacts = fields.pop("contacts", [])
        return services.lead_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=fields,
            contacts=contacts,
        )

    def perform_update(self, serializer):
        services.lead_update(
            serializer.instance, updated_by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, lead):
        roles.require(roles.can_delete_lead, current_membership(self.request))
        services.lead_delete(lead, deleted_by=self.request.user)


class ContactFilter(django_filters.FilterSet):
    lead_id = django_filters.CharFilter(field_name="lead_id")

    class Meta:
        model = Contact
        fields = []


class ContactViewSet(CloseModelViewSet):
    """Contacts. One created without `lead_id` gets a new lead named after it, as in Close.
    Members create and edit them; only an organization admin deletes one."""

    queryset = Contact.objects.all()
    representation = CONTACT
    filterset_class = ContactFilter
    default_order = "date_created"

    def get_serializer_class(self):
        return ContactSerializer if self.action == "create" else ContactUpdateSerializer

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        return services.contact_create(
            organization=current_organization(self.request),
            created_by=self.request.user,
            fields=fields,
            lead=fields.pop("lead", None),
        )

    def perform_update(self, serializer):
        services.contact_update(
            serializer.instance, updated_by=self.request.user, fields=serializer.validated_data
        )

    def perform_destroy(self, contact):
        roles.require(roles.can_delete_contact, current_membership(self.request))
        services.contact_delete(contact, deleted_by=self.request.user)


ROUTES = [
    Route("lead", LeadViewSet, "lead"),
    Route("contact", ContactViewSet, "contact"),
]

COMPONENTS = {
    "Phone": object_schema(
        {
            "phone": string(description="E.164."),
            "phone_formatted": nullable(string()),
            "type": string(),
        },
        required=(),
    ),
    "Email": object_schema({"email": string(), "type": string()}, required=()),
    "Contact": CONTACT.schema(),
    "Lead": LEAD.schema(),
}
