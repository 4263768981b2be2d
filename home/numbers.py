"""Today's numbers on the home: what the calls of a day add up to, as insights/definitions.py
defines them: a call counts on the day of its `activity_at`; connected means disposition
`answered`; talk time is the sum of `duration` (seconds) over connected calls.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from activities.models import Call
from insights import definitions

CONNECTED = Q(disposition=definitions.CONNECTED)
METRICS = {
    "calls": Count("id"),
    "connected": Count("id", filter=CONNECTED),
    "talk_time": Coalesce(Sum("duration", filter=CONNECTED), 0),
}


def call_numbers(calls, *, by_rep=False):
    """Return the METRICS of the `calls` queryset: {name: value}, or with `by_rep` a list of
    them for each rep ("user_id" and the rep's name parts added), in one query."""
    calls = calls.order_by()
    if not by_rep:
        return calls.aggregate(**METRICS)
    names = ("user_id", "user__first_name", "user__last_name", "user__username")
    return list(calls.values(*names).annotate(**METRICS))


def calls_between(organization, start, end):
    """The calls of `organization` that happened from `start` to just before `end`."""
    return Call.objects.filter(
        organization=organization, activity_at__gte=start, activity_at__lt=end
    )
