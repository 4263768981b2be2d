"""The rep's home (`/`): today at a glance, and the follow-ups to do now.

Today's numbers (theirs; an admin also the team's), the follow-up inbox (overdue first, then
today), the leads they called last and a search box, in a constant number of queries whatever
the rows. Days are the user's own (their time zone, activated by the middleware).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.tenancy import current_membership
from activities.models import Call
from followups.days import start_of
from followups.inbox import inbox_of
from followups.models import ONE_DAY
from home.numbers import call_numbers, calls_between

RECENT_LEADS = 8
# The latest calls read to find them: a rep who called one lead over and over sees fewer.
RECENT_CALLS = 40
# Where the search box sends its words: the site's search.
SEARCH_URL = "leads:list"


@login_required
def home(request):
    membership = current_membership(request)
    if membership is None:
        raise PermissionDenied("You are not a member of any organization yet.")
    organization, user = membership.organization, request.user
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    todays = calls_between(organization, start_of(today, zone), start_of(today + ONE_DAY, zone))
    context = {
        "today": today,
        "mine": call_numbers(todays.filter(user=user)),
        "team": _team(todays) if roles.is_admin(membership) else None,
        "inbox": inbox_of(user, organization, today=today, zone=zone),
        "recent_calls": _recent_calls(organization, user),
        "search_url": reverse(SEARCH_URL),
        "next": request.get_full_path(),
    }
    return render(request, "home/home.html", context)


def _team(todays):
    """Each rep's numbers today (most calls first; calls without a rep last), and the team's."""
    reps = call_numbers(todays, by_rep=True)
    for rep in reps:
        if rep["user_id"] is None:
            rep["name"] = "No rep"
        else:
            name = f"{rep['user__first_name']} {rep['user__last_name']}".strip()
            rep["name"] = name or rep["user__username"]
    reps.sort(key=lambda rep: (rep["user_id"] is None, -rep["calls"], rep["name"].lower()))
    total = {name: sum(rep[name] for rep in reps) for name in ("calls", "connected", "talk_time")}
    return {"reps": reps, "total": total}


def _recent_calls(organization, user):
    """The last call of each of the leads `user` called most recently."""
    calls = (
        Call.objects.filter(organization=organization, user=user)
        .select_related("lead", "contact")
        .order_by("-activity_at", "-id")[:RECENT_CALLS]
    )
    latest = {}
    for call in calls:
        latest.setdefault(call.lead_id, call)
    return list(latest.values())[:RECENT_LEADS]
