"""The caller (`/api/v1/me/`) and the members of their organization (`/api/v1/user/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization, User
from accounts.tenancy import current_organization
from api.dates import format_close_datetime
from api.representations import Column, Computed, DateTime, Representation
from api.schema import object_response
from api.viewsets import CloseReadOnlyViewSet


def user_name(name, relation):
    """A key with the display name (as `User.display_name`) of the user behind `relation`."""
    first, last, username = (
        f"{relation}__{part}" for part in ("first_name", "last_name", "username")
    )

    def build(row, request):
        if row[username] is None:
            return None
        return f"{row[first]} {row[last]}".strip() or row[username]

    return Computed(name, (first, last, username), build)


def authorship():
    """The keys of who created and last updated an object, and when, as Close's objects have."""
    return (
        Column("created_by", "created_by_id"),
        user_name("created_by_name", "created_by"),
        Column("updated_by", "updated_by_id"),
        user_name("updated_by_name", "updated_by"),
        DateTime("date_created"),
        DateTime("date_updated"),
    )


USER = Representation(
    Column("id"),
    Column("first_name"),
    Column("last_name"),
    Column("email"),
    DateTime("date_created", "date_joined"),
)


class UserViewSet(CloseReadOnlyViewSet):
    queryset = User.objects.all()
    representation = USER
    orderings = {"date_created": "date_joined"}
    default_order = "date_created"

    def get_queryset(self):
        return self.queryset.filter(memberships__organization=current_organization(self.request))


class MeView(APIView):
    """The caller, with their organizations; the one the request acts for comes first."""

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
