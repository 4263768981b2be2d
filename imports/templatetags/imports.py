from django import template

from accounts import roles
from accounts.tenancy import current_membership

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import_calls(context):
    """Whether the signed-in user may import calls in the organization they act for."""
    return roles.can_import_calls(current_membership(context["request"]))
