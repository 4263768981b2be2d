"""Close's lead and contact API: `/api/v1/lead/` and `/api/v1/contact/`."""

from django.conf import settings
from django.utils.module_loading import import_string
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
from accounts.tenancy import current_membership, current_organization
from api import lists
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
from leads import query, services
from leads.filters import ContactFilter
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


def extra_lead_keys():
    """The keys the apps above leads add to the lead object: `settings.LEAD_API_KEYS`, each the
    dotted path of an `api.representations.Key` (a `Loaded` key reads a page of leads in one
    query)."""
    return [import_string(path) for path in settings.LEAD_API_KEYS]


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
    *extra_lead_keys(),
    name="Lead",
    description="A company or person sold to, with its contacts.",
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
    """Your organization's leads, each with its contacts. `query` finds leads by name, by a
    contact's name, phone or email, and by when they were created or last changed. Members
    create and change leads; only an organization admin deletes one, and with it its contacts
    and calls.

    The query language is Close's, in the part leads/query.py reads.

    A JSON body sent with the GET, as Airbyte's Close source sends Close's Advanced Filtering,
    is honoured for its `sort` and its `moment_range` on `date_updated`, and otherwise ignored.
    """

    queryset = Lead.objects.all()
    representation = LEAD
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


ROUTES = [
    Route("lead", LeadViewSet, "lead"),
    Route("contact", ContactViewSet, "contact"),
    Route(
        r"custom_field/(?P<object_type>lead|contact|activity)", CustomFieldListView, "custom_fields"
    ),
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
