from django import template

from accounts.models import Membership
from accounts.tenancy import current_membership

register = template.Library()


@register.inclusion_tag("accounts/organization_switcher.html", takes_context=True)
def organization_switcher(context):
    """The organization the pages act for, and a picker when the user has several."""
    request = context["request"]
    current = current_membership(request)
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return {
        "current": current,
        "memberships": memberships.order_by("organization__name"),
        "csrf_token": context.get("csrf_token"),
    }
