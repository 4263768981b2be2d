"""The call FilterSet, shared by the API's lists and the rep's timeline filters."""

import django_filters

from activities.models import Call
from api.dates import CloseDateTimeField


class CloseDateTimeFilter(django_filters.Filter):
    field_class = CloseDateTimeField


class IdListFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """One id or several, comma-separated: `lead_id=lead_a,lead_b`."""

    def filter(self, qs, value):
        if value:
            value = [item.strip() for item in value if item.strip()]
        return super().filter(qs, value)


class CallFilter(django_filters.FilterSet):
    lead_id = IdListFilter(field_name="lead_id", lookup_expr="in")
    lead_id__in = IdListFilter(field_name="lead_id", lookup_expr="in")
    contact_id = IdListFilter(field_name="contact_id", lookup_expr="in")
    contact_id__in = IdListFilter(field_name="contact_id", lookup_expr="in")
    user_id = IdListFilter(field_name="user_id", lookup_expr="in")
    user_id__in = IdListFilter(field_name="user_id", lookup_expr="in")
    id__in = IdListFilter(field_name="id", lookup_expr="in")
    outcome_id = IdListFilter(field_name="outcome_id", lookup_expr="in")
    disposition = django_filters.MultipleChoiceFilter(choices=Call.Disposition.choices)
    direction = django_filters.ChoiceFilter(choices=Call.Direction.choices)
    call_method = django_filters.MultipleChoiceFilter(choices=Call.Method.choices)
    date_created__gt = CloseDateTimeFilter(field_name="date_created", lookup_expr="gt")
    date_created__gte = CloseDateTimeFilter(field_name="date_created", lookup_expr="gte")
    date_created__lt = CloseDateTimeFilter(field_name="date_created", lookup_expr="lt")
    date_created__lte = CloseDateTimeFilter(field_name="date_created", lookup_expr="lte")
    activity_at__gt = CloseDateTimeFilter(field_name="activity_at", lookup_expr="gt")
    activity_at__gte = CloseDateTimeFilter(field_name="activity_at", lookup_expr="gte")
    activity_at__lt = CloseDateTimeFilter(field_name="activity_at", lookup_expr="lt")
    activity_at__lte = CloseDateTimeFilter(field_name="activity_at", lookup_expr="lte")

    class Meta:
        model = Call
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in ("disposition", "call_method"):
                values = [v for item in data.getlist(name) for v in item.split(",") if v]
                if values:
                    data.setlist(name, values)
        super().__init__(data, *args, **kwargs)
