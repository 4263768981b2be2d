"""Close's lead and contact API: `/api/v1/lead/` and `/api/v1/contact/`."""

import django_filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import roles
from accounts.api import authorship
from accounts.tenancy import current_membership
from api import lists
from api.representations import Column, DateTime, Loaded, Representation, none_if_blank
from api.viewsets import CloseModelViewSet
from leads import query
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
    Column("id"),
    Column("lead_id"),
    Column("organization_id"),
    Column("name"),
    Column("title"),
    Column("phones", convert=_formatted_phones),
    Column("emails"),
    DateTime("date_created"),
    DateTime("date_updated"),
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
    Column("id"),
    Column("name"),
    Column("display_name", "name"),
    Column("status_label"),
    Column("description"),
    Column("url", convert=none_if_blank),
    Column("organization_id"),
    Loaded("contacts", _load_contacts),
    *authorship(),
)


QUERY_PARAMETER = OpenApiParameter(
    "query",
    str,
    description=(
        "Close's lead query, the part ETL connectors use; space-separated terms that must all "
        "hold: `date_updated` or `date_created` with `>=`, `>`, `<=` or `<` and a date "
        '(`date_updated>="2026-01-31T09:15"`, `date_created < 2026-02-01`, full ISO 8601 with '
        "an offset; naive is UTC), `sort:date_updated` or `sort:date_created` (also "
        "`sort:updated`, `sort:created`; `-` for descending), `has:calls`, and words or quoted "
        "phrases found in the lead's name or its contacts' names, emails and phones. Any other "
        "term is a 400 that names it."
    ),
)


def lead_query(request):
    """Return the request's `LeadQuery`: its `query`, and the JSON body Airbyte sends on a GET."""
    try:
        asked = query.parse(request.query_params.get("query", ""))
    except query.QueryError as error:
        raise ParseError(str(error)) from None
    if asked.order and request.query_params.get("_order_by", "").strip():
        raise ParseError("Give the order either as _order_by or as sort: in query, not both.")
    body = query.parse_search_body(request.body)
    return asked if body is None else asked.combined(body)


@extend_schema_view(list=extend_schema(parameters=[QUERY_PARAMETER]))
class LeadViewSet(CloseModelViewSet):
    """Leads, with their contacts nested; `query` finds them by name, or a contact's name,
    phone or email, and by when they were created or last changed (leads/query.py). Members
    create and edit them; only an organization admin deletes one (and with it its contacts and
    calls).

    A JSON body sent with the GET, as Airbyte's Close source sends Close's Advanced Filtering,
    is honoured for its `sort` and its `moment_range` on `date_updated`, and otherwise ignored.
    """

    queryset = Lead.objects.all()
    representation = LEAD
    orderings = {"date_created": "date_created", "date_updated": "date_updated", "name": "name"}

    def get_serializer_class(self):
        return LeadSerializer if self.action == "create" else LeadUpdateSerializer

    def perform_destroy(self, lead):
        roles.require(roles.can_delete_lead, current_membership(self.request))
        lead.delete()

    def list(self, request):
        asked = lead_query(request)
        return Response(
            lists.page(
                asked.filter(self.get_queryset()),
                request,
                self.representation,
                orderings=self.orderings,
                default_order=asked.order or self.default_order,
            )
        )


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

    def perform_destroy(self, contact):
        roles.require(roles.can_delete_contact, current_membership(self.request))
        contact.delete()


NO_CUSTOM_FIELDS = {
    "type": "object",
    "properties": {
        "has_more": {"type": "boolean", "enum": [False]},
        "data": {"type": "array", "maxItems": 0, "items": {"type": "object"}},
    },
    "required": ["has_more", "data"],
}


class CustomFieldListView(APIView):
    """Close's custom fields of leads, contacts and activities: closecalls has none yet.

    Airbyte's Close source (0.5) reads `custom_field/lead/` for every lead it syncs and stops
    on a 404, so the lists exist, empty.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "object_type", str, OpenApiParameter.PATH, enum=["lead", "contact", "activity"]
            )
        ],
        operation_id="custom_field_list",
        responses=OpenApiResponse(NO_CUSTOM_FIELDS, description="No custom fields."),
    )
    def get(self, request, object_type):
        return Response({"has_more": False, "data": []})
