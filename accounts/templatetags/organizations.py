from django import template

from accounts import roles
from accounts.models import Membership
from accounts.tenancy import current_membership

register = template.Library()


@register.inclusion_tag("accounts/site_menu.html", takes_context=True)
def site_menu(context):
    """The header's menu: the organization the pages act for (a picker when the user has
    several), Settings, the admin for those it has something for, and Sign out."""
    request = context["request"]
    user = request.user
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )
    # As accounts.admin_scoping: a superuser, or a staff user who administers an organization.
    uses_the_admin = (
        user.is_active
        and user.is_staff
        and (user.is_superuser or any(roles.is_admin(m) for m in memberships))
    )
    return {
        "request": request,
        "user": user,
        "current": current_membership(request),
        "memberships": memberships,
        "uses_the_admin": uses_the_admin,
        "csrf_token": context.get("csrf_token"),
    }
