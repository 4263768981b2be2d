"""What a search can be narrowed to: the call list's filters, and who said the words."""

import django_filters
from django_filters.constants import EMPTY_VALUES

from activities.filters import CallFilter, TimelineFilter
from api import filter_forms

SIDES = {"contact": "The contact", "close-user": "Our rep"}  # Transcript.SPEAKER_SIDES


class SearchFilter(CallFilter):
    """The API's: every filter of `/activity/call/`, and `speaker_side`."""

    speaker_side = django_filters.ChoiceFilter(  # deep-copied: its method needs its own parent
        choices=list(SIDES.items()),
        method="said_by",
        help_text="Only what this side said: the contact, or the rep (`close-user`); "
        "notes are left out.",
    )

    def said_by(self, calls, name, value):
        return calls  # it narrows the index rows, not the calls: see narrow()

    def narrow(self, entries):
        """Return the index rows `entries` of the calls these filters keep, and of the chosen
        side. Call `is_valid()` first; a filter given a value it refuses is left out. The
        filters of the call's time narrow the rows' copy of it; the others, if any is set,
        the calls."""
        of_calls = False
        for name, value in self.form.cleaned_data.items():
            if value in EMPTY_VALUES:
                continue
            if name == "speaker_side":
                entries = entries.filter(speaker_side=value)
            elif self.filters[name].field_name == "activity_at":
                entries = self.filters[name].filter(entries, value)
            else:
                of_calls = True
        if of_calls:
            entries = entries.filter(call__in=self.qs.values("pk"))
        return entries


class SearchPageFilter(TimelineFilter, SearchFilter):
    """The search page's: the lead timeline's pick lists and calendar days, and the side."""

    speaker_side = django_filters.ChoiceFilter(
        choices=[(side, f"Said by {who.lower()}") for side, who in SIDES.items()],
        label="Said by",
        empty_label="Anyone, or a note",
        method="said_by",
    )

    visible = ["speaker_side", "user_id", "disposition", "activity_at__gte", "activity_at__lte"]

    def get_form_class(self):
        """The form class built once (`api.filter_forms`: building its 24 fields cost more
        than the page's queries); the organization's pick lists are given to each form
        (`form`)."""
        return filter_forms.form_class(SearchPageFilter)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                if hasattr(field, "queryset"):  # as TimelineFilter set it for this request
                    field.queryset = self.filters[name].queryset
        return self._form
