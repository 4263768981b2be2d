from django import forms

from insights.periods import DEFAULT_PAGE_PERIOD, MAX_DAYS, PAGE_PERIODS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """The insights page's picker: a period (or custom days) and, for admins, a rep."""

    period = forms.ChoiceField(choices=PAGE_PERIODS.items(), required=False)
    start = forms.DateField(label="From", required=False, widget=DATE_INPUT)
    end = forms.DateField(label="To", required=False, widget=DATE_INPUT)
    rep = forms.ChoiceField(label="Rep", required=False)

    def __init__(self, data=None, *, reps=None):
        """`reps`: [(user id, name)] an admin may pick from; None: no rep to pick (a member)."""
        super().__init__(data)
        if reps is None:
            del self.fields["rep"]
        else:
            self.fields["rep"].choices = [("", "Whole team"), *reps]

    def clean(self):
        cleaned = super().clean()
        cleaned["period"] = cleaned.get("period") or DEFAULT_PAGE_PERIOD
        if cleaned["period"] != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if start is None or end is None:
            raise forms.ValidationError("A custom range needs a first and a last day.")
        if start > end:
            raise forms.ValidationError("The first day comes after the last one.")
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(f"A custom range is at most {MAX_DAYS} days long.")
        return cleaned
