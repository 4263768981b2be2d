"""The event log's filters, as Close's `/event/` takes them."""

import django_filters

from activities.filters import ChoiceFilter, CloseDateTimeFilter
from events import objects
from events.models import Event


def _object_types():
    return [(object_type, object_type) for object_type in objects.object_types()]


class EventFilter(django_filters.FilterSet):
    object_type = ChoiceFilter(choices=_object_types)
    object_id = django_filters.CharFilter()
    action = ChoiceFilter(choices=Event.Action.choices)
    lead_id = django_filters.CharFilter()
    user_id = django_filters.CharFilter()
    request_id = django_filters.CharFilter()
    date_updated__gt = CloseDateTimeFilter(field_name="date_updated", lookup_expr="gt")
    date_updated__gte = CloseDateTimeFilter(field_name="date_updated", lookup_expr="gte")
    date_updated__lt = CloseDateTimeFilter(field_name="date_updated", lookup_expr="lt")
    date_updated__lte = CloseDateTimeFilter(field_name="date_updated", lookup_expr="lte")

    # The filters a cursor is tied to: all but the dates (api/cursors.py).
    BOUND = ("object_type", "object_id", "action", "lead_id", "user_id", "request_id")

    class Meta:
        model = Event
        fields = []
