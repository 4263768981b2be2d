"""The call FilterSets: the API's lists, and the rep's timeline filters built on the same."""

import copy
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from accounts.models import User, listed_members
from activities.forms import listed_outcomes
from activities.models import Call, Outcome
from api import filter_forms
from api.dates import CloseDateTimeFormField
from api.page_queries import BindableFilter, BindableListFilter
from core.form_rendering import KeepsReadRows, ListedChoices


class ShallowCopy:
    """django-filter deep-copies every filter for every request; ours keep no state a request
    changes (each FilterSet sets `model` and `parent` again), so a shallow copy does."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class CloseDateTimeFilter(ShallowCopy, BindableFilter, django_filters.Filter):
    field_class = CloseDateTimeFormField


class ChoiceFilter(ShallowCopy, BindableFilter, django_filters.ChoiceFilter):
    pass


class MultipleChoiceFilter(ShallowCopy, BindableListFilter, django_filters.MultipleChoiceFilter):
    pass


class IdListFilter(
    ShallowCopy, BindableListFilter, django_filters.BaseInFilter, django_filters.CharFilter
):
    """One id or several, comma-separated: `lead_id=lead_a,lead_b`."""

    def bound_value(self, value):
        ids = [item.strip() for item in value or () if item.strip()]
        return ids or None

    def filter(self, qs, value):
        return super().filter(qs, self.bound_value(value))


class CallFilter(django_filters.FilterSet):
    lead_id = IdListFilter(field_name="lead_id", lookup_expr="in")
    lead_id__in = IdListFilter(field_name="lead_id", lookup_expr="in")
    contact_id = IdListFilter(field_name="contact_id", lookup_expr="in")
    contact_id__in = IdListFilter(field_name="contact_id", lookup_expr="in")
    user_id = IdListFilter(field_name="user_id", lookup_expr="in")
    user_id__in = IdListFilter(field_name="user_id", lookup_expr="in")
    id__in = IdListFilter(field_name="id", lookup_expr="in")
    outcome_id = IdListFilter(field_name="outcome_id", lookup_expr="in")
    disposition = MultipleChoiceFilter(choices=Call.Disposition.choices)
    direction = ChoiceFilter(choices=Call.Direction.choices)
    call_method = MultipleChoiceFilter(choices=Call.Method.choices)
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

    def get_form_class(self):
        """The form class built once (`api.filter_forms`): this FilterSet's fields never
        depend on the request.

        Subclasses may give fields per-request querysets, so theirs is built each time.
        """
        if type(self) is not CallFilter:
            return super().get_form_class()
        return filter_forms.form_class(CallFilter)


class DayFilter(django_filters.DateFilter):
    """A calendar day in the current time zone; "lte" takes in the whole day."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        if self.lookup_expr == "lte":
            end = timezone.make_aware(datetime.combine(value + timedelta(days=1), time.min))
            return qs.filter(**{f"{self.field_name}__lt": end})
        start = timezone.make_aware(datetime.combine(value, time.min))
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": start})


class LocalTimeFilter(django_filters.ChoiceFilter):
    """A part of `activity_at` as the clock read in the current time zone, by Django's datetime
    lookups (`iso_week_day`, `hour`): the local weekday and hour that insights place a call in,
    on PostgreSQL (AT TIME ZONE) and SQLite alike, whatever the zone's offset or its DST."""

    def __init__(self, *, lookup_expr, label, choices, empty_label):
        super().__init__(
            field_name="activity_at",
            lookup_expr=lookup_expr,
            label=label,
            choices=choices,
            empty_label=empty_label,
        )


WEEKDAY_CHOICES = [
    (n, name)
    for n, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), start=1
    )
]
HOUR_CHOICES = [(hour, f"{hour:02}:00–{hour:02}:59") for hour in range(24)]


class PresenceFilter(django_filters.BooleanFilter):
    """Whether a call has something (`has_recording=true`, `=false`; empty: either), by the
    CallQuerySet method named `method_name`."""

    def __init__(self, *, label, having, method_name):
        choices = [("", "Any"), ("true", having), ("false", "Without")]
        super().__init__(label=label, widget=forms.Select(choices=choices))
        self.method_name = method_name

    def filter(self, qs, value):
        if value is None:
            return qs
        return getattr(qs, self.method_name)(present=value)


class ListedFilterChoices(django_filters.fields.ModelChoiceIterator, ListedChoices):
    """django-filter's choices (with its "none" choice), read by one plain query."""


class ModelChoiceFilterField(KeepsReadRows, django_filters.fields.ModelChoiceField):
    iterator = ListedFilterChoices


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ModelChoiceFilterField


class TimelineFilter(CallFilter):
    """The API's call filters as the pages show them (a lead's timeline, all calls): pick
    lists (`user_id=none`: calls without a rep), calendar days, the local weekday (ISO, 1 is
    Monday) and hour, and whether a call has a recording or a transcript."""

    disposition = django_filters.ChoiceFilter(
        choices=Call.Disposition.choices, empty_label="Any disposition"
    )
    direction = django_filters.ChoiceFilter(
        choices=Call.Direction.choices, empty_label="Either direction"
    )
    outcome_id = ModelChoiceFilter(
        field_name="outcome", label="Outcome", queryset=Outcome.objects.none(), empty_label="Any"
    )
    user_id = ModelChoiceFilter(
        field_name="user",
        label="Rep",
        queryset=User.objects.none(),
        empty_label="Anyone",
        null_label="No rep",
        null_value="none",
    )
    activity_at__gte = DayFilter(
        field_name="activity_at",
        lookup_expr="gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    activity_at__lte = DayFilter(
        field_name="activity_at",
        lookup_expr="lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    weekday = LocalTimeFilter(
        lookup_expr="iso_week_day", label="Weekday", choices=WEEKDAY_CHOICES, empty_label="Any day"
    )
    hour = LocalTimeFilter(
        lookup_expr="hour", label="Hour", choices=HOUR_CHOICES, empty_label="Any hour"
    )

    has_recording = PresenceFilter(
        label="Recording", having="With a recording", method_name="with_recording"
    )
    has_transcript = PresenceFilter(
        label="Transcript", having="With a transcript", method_name="with_transcript"
    )

    visible = [
        "disposition", "direction", "outcome_id", "user_id", "activity_at__gte", "activity_at__lte",
        "weekday", "hour", "has_recording", "has_transcript",
    ]  # fmt: skip

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["outcome_id"].queryset = listed_outcomes(organization)
        self.filters["user_id"].queryset = listed_members(organization)

    @property
    def visible_fields(self):
        return [self.form[name] for name in self.visible]

    @property
    def narrows(self):
        """Whether any filter has a value (a hidden one too): if not, `qs` is every call given."""
        return self.is_bound and any(v for name in self.filters for v in self.data.getlist(name))

    @property
    def active_count(self):
        """How many of the visible filters are set."""
        return sum(1 for name in self.visible if self.is_bound and self.data.get(name))

    @property
    def is_filtering(self):
        return self.active_count > 0
