"""Routes of the Close-compatible API, mounted at /api/v1/.

Every path works with and without its trailing slash, so no request is ever redirected.
"""

from django.urls import re_path
from rest_framework.routers import APIRootView, DefaultRouter

from accounts.api import MeView, UserViewSet
from activities.api import ActivityViewSet, CallViewSet, OutcomeViewSet
from leads.api import ContactViewSet, CustomFieldListView, LeadViewSet


class ApiRootView(APIRootView):
    """closecalls' Close-compatible API. Every path also works without its trailing slash."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # reverse() leaves an optional slash out; link to the canonical paths, which have it.
        response.data = {name: url + "/" for name, url in response.data.items()}
        return response


class OptionalSlashRouter(DefaultRouter):
    """Routes matching with or without the trailing slash (DRF's own argument is a boolean)."""

    APIRootView = ApiRootView
    include_format_suffixes = False

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


app_name = "api"

router = OptionalSlashRouter()
router.register("activity/call", CallViewSet, basename="call")
router.register("activity", ActivityViewSet, basename="activity")
router.register("outcome", OutcomeViewSet, basename="outcome")
router.register("lead", LeadViewSet, basename="lead")
router.register("contact", ContactViewSet, basename="contact")
router.register("user", UserViewSet, basename="user")

urlpatterns = [
    re_path(r"^me/?$", MeView.as_view(), name="me"),
    re_path(
        r"^custom_field/(?P<object_type>lead|contact|activity)/?$",
        CustomFieldListView.as_view(),
        name="custom_fields",
    ),
    *router.urls,
]
