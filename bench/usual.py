"""The usual way: a plain DRF ModelViewSet, ModelSerializer and page-number pagination.

What most Django projects write first, serving the product's call fields from the same data
under the same settings (`bench.usual_settings` only swaps the URLconf). PageNumberPagination
counts the matching rows for every page. A reference for the benchmark, not part of the product.
"""

from rest_framework import pagination, routers, serializers, viewsets

from accounts.tenancy import current_organization
from activities.filters import CallFilter
from activities.models import Call


class CallSerializer(serializers.ModelSerializer):
    _type = serializers.SerializerMethodField()
    organization_id = serializers.CharField(read_only=True)
    lead_id = serializers.CharField(read_only=True)
    contact_id = serializers.CharField(read_only=True)
    user_id = serializers.CharField(read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by_id", read_only=True)
    created_by_name = serializers.CharField(
        source="created_by.display_name", read_only=True, default=None
    )
    updated_by = serializers.CharField(source="updated_by_id", read_only=True)
    updated_by_name = serializers.CharField(
        source="updated_by.display_name", read_only=True, default=None
    )
    remote_phone = serializers.CharField(source="phone", read_only=True)
    remote_phone_formatted = serializers.CharField(source="phone_formatted", read_only=True)
    has_recording = serializers.BooleanField(read_only=True)
    outcome_id = serializers.CharField(read_only=True)
    users = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id", "_type", "organization_id", "lead_id", "contact_id", "user_id", "user_name",
            "created_by", "created_by_name", "updated_by", "updated_by_name", "date_created",
            "date_updated", "activity_at", "date_answered", "direction", "status", "disposition",
            "call_method", "source", "duration", "cost", "phone", "remote_phone",
            "remote_phone_formatted", "local_phone", "recording_url", "has_recording",
            "voicemail_url", "voicemail_duration", "note", "note_html", "outcome_id", "users",
        ]  # fmt: skip

    def get__type(self, call):
        return "Call"

    def get_users(self, call):
        return []


class CallPagination(pagination.PageNumberPagination):
    page_size = 100
    page_size_query_param = "_limit"
    max_page_size = 1000


class CallViewSet(viewsets.ModelViewSet):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    pagination_class = CallPagination

    def get_queryset(self):
        return Call.objects.filter(organization=current_organization(self.request)).select_related(
            "user", "created_by", "updated_by"
        )


router = routers.SimpleRouter()
router.register("api/v1/activity/call", CallViewSet, basename="call")
urlpatterns = router.urls
