"""The task FilterSet of the API's list and bulk update: Close's task filters.

The days (`view`, `date__…`) are counted in the caller's zone (`api.dates.caller_zone`: the
`x-tz-offset` header, else the user's own zone).
"""

import datetime

import django_filters
from django import forms

from activities.filters import CloseDateTimeFilter, IdListFilter, ShallowCopy
from api.dates import caller_zone
from followups.days import parse_day_or_moment, today_in
from followups.models import Task

ALL_TYPES = "all"
BOOLEANS = (("true", "true"), ("false", "false"))


class TaskDateFormField(forms.Field):
    """A date (`2026-12-02`: a day) or a date-time (a moment; naive is UTC)."""

    default_error_messages = {"invalid": "Enter a date (2026-12-02) or a date-time in ISO 8601."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_day_or_moment(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class TaskDateFilter(ShallowCopy, django_filters.Filter):
    """`date__lt` and the like. A day compares with each task's day as the caller sees it; a
    moment with a timed task's moment, and with the start of a date-only task's day."""

    field_class = TaskDateFormField

    def filter(self, qs, value):
        if value is None:
            return qs
        zone = caller_zone(self.parent.request)
        if isinstance(value, datetime.datetime):
            return qs.at_moments(self.lookup_expr, value, zone)
        return qs.on_days(self.lookup_expr, value, zone)


class TaskFilter(django_filters.FilterSet):
    id = IdListFilter(field_name="id", lookup_expr="in")
    id__in = IdListFilter(field_name="id", lookup_expr="in")
    lead_id = IdListFilter(field_name="lead_id", lookup_expr="in")
    assigned_to = IdListFilter(field_name="assigned_to_id", lookup_expr="in")
    _type = django_filters.CharFilter(
        method="types_later",
        help_text="A task type, or `all`. Without `_type` or `_type__in`, only `lead` tasks.",
    )
    _type__in = django_filters.CharFilter(method="types_later", help_text="Comma-separated.")
    is_complete = django_filters.ChoiceFilter(choices=BOOLEANS, method="filter_complete")
    view = django_filters.ChoiceFilter(choices=Task.View.choices, method="filter_view")
    date__lt = TaskDateFilter(lookup_expr="lt")
    date__lte = TaskDateFilter(lookup_expr="lte")
    date__gt = TaskDateFilter(lookup_expr="gt")
    date__gte = TaskDateFilter(lookup_expr="gte")
    date_created__lt = CloseDateTimeFilter(field_name="date_created", lookup_expr="lt")
    date_created__lte = CloseDateTimeFilter(field_name="date_created", lookup_expr="lte")
    date_created__gt = CloseDateTimeFilter(field_name="date_created", lookup_expr="gt")
    date_created__gte = CloseDateTimeFilter(field_name="date_created", lookup_expr="gte")

    class Meta:
        model = Task
        fields = []

    def filter_queryset(self, queryset):
        """Filter; by type as Close does: only `lead` tasks unless types (or `all`) are asked."""
        queryset = super().filter_queryset(queryset)
        asked = {
            name.strip()
            for param in ("_type", "_type__in")
            for name in (self.form.cleaned_data.get(param) or "").split(",")
            if name.strip()
        }
        if not asked:
            return queryset.filter(type=Task.Type.LEAD)
        if ALL_TYPES in asked:
            return queryset
        return queryset.filter(type__in=asked)

    def types_later(self, queryset, name, value):
        return queryset  # both type parameters are read together, in filter_queryset()

    def filter_complete(self, queryset, name, value):
        return queryset.filter(is_complete=value == "true")

    def filter_view(self, queryset, name, value):
        zone = caller_zone(self.request)
        return queryset.in_view(value, today_in(zone), zone)
