from rest_framework.permissions import BasePermission

from accounts.tenancy import current_membership


class IsOrganizationMember(BasePermission):
    """Allow callers that act for an organization: an API key, or a signed-in member."""

    message = "You are not a member of any organization."

    def has_permission(self, request, view):
        return request.user.is_authenticated and current_membership(request) is not None
