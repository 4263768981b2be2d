"""The caller (`/api/v1/me/`) and the members of their organization (`/api/v1/user/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization, User
from accounts.tenancy import current_organization
from api.dates import format_close_datetime
from api.json_schema import array, date_time, object_schema, string
from api.registry import Route
from api.representations import Column, DateTime, Representation
from api.schema import object_response
from api.viewsets import CloseReadOnlyViewSet

USER = Representation(
    Column("id", schema=string(example="user_1xSBrqPJ3UqXhd47f6UqGw")),
    Column("first_name"),
    Column("last_name"),
    Column("email"),
    DateTime("date_created", "date_joined"),
    name="User",
    description="A member of the organization.",
)


class UserViewSet(CloseReadOnlyViewSet):
    """The members of your organization."""

    queryset = User.objects.all()
    representation = USER
    orderings = {"date_created": "date_joined"}
    default_order = "date_created"

    def get_queryset(self):
        return self.queryset.filter(memberships__organization=current_organization(self.request))


class MeView(APIView):
    """You, with your organizations; the one this request acts for comes first."""

    @extend_schema(responses=object_response("Me"))
    def get(self, request):
        plan = USER.plan(request)
        me = plan.build([plan.rows(User.objects.filter(pk=request.user.pk)).get()])[0]
        current = current_organization(request)
        organizations = Organization.objects.filter(memberships__user=request.user).values(
            "id", "name", "date_created"
        )
        me["organizations"] = [
            {**organization, "date_created": format_close_datetime(organization["date_created"])}
            for organization in sorted(organizations, key=lambda o: o["id"] != current.id)
        ]
        return Response(me)


ROUTES = [
    Route("me", MeView, "me"),
    Route("user", UserViewSet, "user"),
]

_ORGANIZATION = object_schema(
    {"id": string(), "name": string(), "date_created": date_time()},
    required=("id", "name", "date_created"),
)
COMPONENTS = {
    "User": USER.schema(),
    "Me": object_schema(
        {
            **USER.properties(),
            "organizations": array(
                _ORGANIZATION,
                description="The organization the request acts for comes first.",
            ),
        },
        required=(*USER.names(), "organizations"),
    ),
}
