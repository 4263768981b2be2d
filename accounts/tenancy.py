"""Which organization a request acts for: the API key's, or the one a signed-in user picked."""

from django.core.exceptions import PermissionDenied

from accounts.models import ApiKey, Membership

SESSION_KEY = "organization_id"


def current_membership(request):
    """Return the caller's Membership for this request, or None if they have none."""
    cached = getattr(request, "_membership", False)
    if cached is not False:
        return cached
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiKey):
        membership = auth.membership
    elif request.user.is_authenticated:
        memberships = user_memberships(request)
        chosen = request.session.get(SESSION_KEY)
        membership = next((m for m in memberships if m.organization_id == chosen), None) or (
            memberships[0] if memberships else None
        )
    else:
        membership = None
    request._membership = membership
    return membership


def user_memberships(request):
    """Return the signed-in user's memberships, by organization name, read once per request:
    the one the pages act for is picked from them, and the header's picker lists them."""
    cached = getattr(request, "_memberships", None)
    if cached is None:
        memberships = request.user.memberships.select_related("organization")  # .user is set
        cached = request._memberships = list(memberships.order_by("organization__name"))
    return cached


def current_organization(request):
    membership = current_membership(request)
    return membership.organization if membership else None


def required_organization(request):
    """Return the organization the request acts for; a page for a user of none is refused
    (the 403 page says why)."""
    organization = current_organization(request)
    if organization is None:
        raise PermissionDenied("You are not a member of any organization yet.")
    return organization


def choose_organization(request, organization_id):
    """Remember the organization a user picked; return False if they are not a member."""
    if not Membership.objects.filter(user=request.user, organization_id=organization_id).exists():
        return False
    request.session[SESSION_KEY] = organization_id
    request._membership = False
    request._memberships = None
    return True
