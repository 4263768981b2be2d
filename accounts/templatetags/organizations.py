from django import template

from accounts.admin_scoping import uses_the_admin
from accounts.tenancy import current_membership, user_memberships

register = template.Library()


@register.inclusion_tag("accounts/site_menu.html", takes_context=True)
def site_menu(context):
    """The header's menu: the organization the pages act for (a picker when the user has
    several), Settings, the admin for those it has something for, and Sign out."""
    request = context["request"]
    memberships = user_memberships(request)
    return {
        "request": request,
        "user": request.user,
        "current": current_membership(request),
        "memberships": memberships,
        "uses_the_admin": uses_the_admin(request.user, memberships),
        "csrf_token": context.get("csrf_token"),
    }
