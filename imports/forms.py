from django import forms

from accounts.forms import time_zone_choices
from imports import columns
from imports.files import column_label
from imports.models import CallImport


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 (with or without a BOM), comma- or semicolon-separated, with a header "
        "row: an export of calls from Close, HubSpot, Salesforce or a dialer.",
    )


class ColumnsForm(forms.Form):
    """Which call field each column of the file feeds, and how to read the file's values."""

    source = forms.CharField(
        label="The calls come from",
        max_length=CallImport._meta.get_field("source").max_length,
        help_text="The system whose ids the id column holds. Importing from the same source "
        "again updates the calls instead of adding them.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone of the file's dates",
        choices=time_zone_choices,
        help_text="For dates written without an offset (2024-03-05 14:30).",
    )
    day_first = forms.BooleanField(
        label="Dates are written day first (5/3/2024 is 5 March)", required=False
    )
    create_leads = forms.BooleanField(
        label="Create the leads that are not found",
        required=False,
        help_text="Named after the lead (company) column, else the contact; the row's contact "
        "is added to it. Otherwise a row whose lead is not found is rejected.",
    )

    def __init__(self, *args, call_import, samples=(), **kwargs):
        initial = {
            "source": call_import.source,
            "time_zone": call_import.time_zone,
            "day_first": call_import.day_first,
            "create_leads": call_import.create_leads,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.call_import = call_import
        choices = [(columns.IGNORED, "Not imported"), *((f.name, f.label) for f in columns.FIELDS)]
        self.column_fields = []
        for index, field in enumerate(call_import.columns):
            name = f"column_{index}"
            label = column_label(call_import.header, index)
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, initial=field, required=False
            )
            self.column_fields.append(
                (self[name], [row[index] for row in samples if index < len(row)])
            )

    @property
    def not_imported(self):
        """The labels of the columns the guess (or the last choice) leaves out."""
        return [
            column_label(self.call_import.header, index)
            for index, field in enumerate(self.call_import.columns)
            if field == columns.IGNORED
        ]

    @property
    def chosen(self):
        return [self.cleaned_data[f"column_{i}"] for i in range(len(self.call_import.columns))]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for problem in columns.mapping_problems(self.chosen):
                self.add_error(None, problem)
        return cleaned
