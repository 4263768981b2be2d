"""The follow-up forms of the pages: on the log-a-call form, on a lead's page, and snoozing.

Quick dates are counted from today in the signed-in user's zone (the time zone middleware
activates it): tomorrow, in three days, next week (its Monday), or a day picked.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

from accounts.models import listed_members
from activities.call_form_extensions import CallFormExtension
from core.form_rendering import ModelChoiceField
from followups import services
from followups.days import quick_dates
from followups.models import Task

QUICK_LABELS = {"tomorrow": "Tomorrow", "in_3_days": "In 3 days", "next_week": "Next week"}


def day_label(day):
    """A day as the pages write it: "Mon 30 Nov"."""
    return dateformat.format(day, "D j M")


def quick_choices():
    """Return ([(name, label with its day)], {name: day}) for today's quick dates."""
    days = quick_dates(timezone.localdate())
    return [(name, f"{QUICK_LABELS[name]} ({day_label(day)})") for name, day in days.items()], days


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **attrs):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def not_in_the_past(day):
    if day is not None and day < timezone.localdate():
        raise ValidationError("Pick today or a later day.")


class FollowUp(CallFormExtension):
    """ "Follow up" on the log-a-call form: a call back to the same contact, on a quick date or a
    day picked, saved with the call (settings.CALL_FORM_EXTENSIONS)."""

    template = "followups/call_form_follow_up.html"
    media = forms.Media(css={"all": ["css/followups.css"]})

    def fields(self, *, lead, membership):
        choices, self.days = quick_choices()
        return {
            "follow_up": forms.ChoiceField(
                label="Follow up",
                choices=[("", "No follow-up"), *choices],
                required=False,
                initial="",
                widget=forms.RadioSelect,
            ),
            "follow_up_date": forms.DateField(
                label="Or on",
                required=False,
                validators=[not_in_the_past],
                widget=DayInput(),
            ),
            "follow_up_text": forms.CharField(
                label="What to do",
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={"placeholder": "Send the pricing, ask for the manager…"}
                ),
            ),
        }

    def clean(self, data):
        quick, day, text = data["follow_up"], data["follow_up_date"], data["follow_up_text"]
        if quick and day:
            raise ValidationError({"follow_up_date": "Pick a quick date or a day, not both."})
        if text and not (quick or day):
            raise ValidationError({"follow_up": "Pick when to follow up."})
        return {"date": self.days[quick] if quick else day, "text": text}

    def save(self, call, data, *, user):
        if data["date"] is None:
            return
        services.task_create(
            organization=call.organization,
            created_by=user,
            fields={
                "type": Task.Type.OUTGOING_CALL,
                "lead": call.lead,
                "contact": call.contact,
                "assigned_to": call.user or user,
                "text": data["text"],
                "date": data["date"],
            },
        )


class TaskForm(forms.Form):
    """A to-do added on a lead's page, for anyone in the organization (the user by default)."""

    text = forms.CharField(label="What", max_length=500)
    date = forms.DateField(label="When", validators=[not_in_the_past], widget=DayInput())
    contact = ModelChoiceField(queryset=None, required=False, empty_label="No contact")
    assigned_to = ModelChoiceField(label="For", queryset=None, required=False, empty_label="Nobody")

    def __init__(self, *args, lead, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead = lead
        self.fields["contact"].queryset = lead.contacts.all()
        self.fields["assigned_to"].queryset = listed_members(lead.organization)
        self.initial.setdefault("assigned_to", user.pk)
        self.initial.setdefault("date", quick_dates(timezone.localdate())["tomorrow"])

    def save(self, user):
        """Create the task through the services; return it, or None with the errors added."""
        try:
            return services.task_create(
                organization=self.lead.organization,
                created_by=user,
                fields={"type": Task.Type.LEAD, "lead": self.lead, **self.cleaned_data},
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return None


class SnoozeForm(forms.Form):
    """Snooze a task: to a quick date (`until`) or a day picked (`date`)."""

    until = forms.ChoiceField(choices=(), required=False)
    date = forms.DateField(required=False, validators=[not_in_the_past], widget=DayInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices, self.days = quick_choices()
        self.fields["until"].choices = choices

    def clean(self):
        cleaned_data = super().clean()
        until, day = cleaned_data.get("until"), cleaned_data.get("date")
        if not (until or day or self.errors):
            raise ValidationError("Pick a day to snooze the follow-up to.")
        cleaned_data["day"] = self.days[until] if until else day
        return cleaned_data
