import copy
import os
import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts import roles
from accounts.models import listed_members
from activities import services
from activities.audio_files import AUDIO_TYPES, FORMATS_NAMED, MAX_AUDIO_SIZE
from activities.call_form_extensions import call_form_extensions
from activities.costs import CostField
from activities.models import Call, Outcome
from activities.templatetags.calls import minutes_seconds
from activities.widgets import RichTextEditor
from core.form_rendering import ModelChoiceField, already_read, read_once
from leads.forms import PhoneField
from leads.phones import format_phone


def listed_outcomes(organization):
    """All of `organization`'s outcomes, deleted ones too (the timeline's filters find the calls
    that keep them), read once for the request's `organization` (`read_once`)."""
    return read_once(
        organization, "outcomes", lambda: Outcome.objects.filter(organization=organization)
    )


def pickable_outcomes(organization):
    """The outcomes a call of `organization` may be given (`Outcome.objects.for_calls`), taken
    from `listed_outcomes`: a page with the filters and the log-a-call form reads them once."""
    return already_read(
        Outcome.objects.for_calls(organization),
        (o for o in listed_outcomes(organization) if o.applies_to_calls_of(organization.id)),
    )


class AudioFileField(forms.FileField):
    """An uploaded recording. `Call.full_clean()` checks that it is audio (`activities.audio_files`)
    when the call is saved, as on every other path; this field only offers audio files."""

    def __init__(self, **kwargs):
        accept = ",".join([*(f".{extension}" for extension in AUDIO_TYPES), "audio/*"])
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        kwargs.setdefault("help_text", f"{FORMATS_NAMED}; up to {filesizeformat(MAX_AUDIO_SIZE)}.")
        super().__init__(**kwargs)


class CurrentAudio:
    """A call's stored audio as ClearableFileInput shows it, linked to the call's own audio URL."""

    def __init__(self, call, kind):
        self.url = call.audio_link(kind)
        self.name = os.path.basename(getattr(call, f"{kind}_file").name)

    def __str__(self):
        return self.name


class DurationField(forms.CharField):
    """Seconds, typed as m:ss, h:mm:ss or a plain number of seconds."""

    pattern = re.compile(r"^(?:(?:(\d+):)?(\d+):([0-5]\d)|(\d+))$")

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return 0
        match = self.pattern.match(value)
        if match is None:
            raise ValidationError("Enter a duration as m:ss (e.g. 2:05) or a number of seconds.")
        hours, minutes, seconds, plain = match.groups()
        if plain is not None:
            return int(plain)
        return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)

    def prepare_value(self, value):
        return minutes_seconds(value) if isinstance(value, int) else value


class ContactSelect(forms.Select):
    """Contacts, each option carrying the contact's first phone for call-form.js to prefill."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-phone"] = format_phone(value.instance.first_phone) or ""
        return option


class CallForm(forms.Form):
    """Log or edit a call of a lead; saved through `activities.services`, rules and all.

    An organization admin also picks the rep (`user`); for anyone else the field is absent and
    a new call is theirs (see accounts.roles). A new call's form also has the fields of the
    apps' extensions (activities.call_form_extensions), saved in the call's transaction.
    """

    contact = ModelChoiceField(
        queryset=None, required=False, empty_label="No contact", widget=ContactSelect
    )
    direction = forms.ChoiceField(
        choices=Call.Direction.choices,
        initial=Call.Direction.OUTBOUND,
        widget=forms.RadioSelect,
    )
    disposition = forms.ChoiceField(
        choices=Call.Disposition.choices, initial=Call.Disposition.ANSWERED
    )
    outcome = ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No outcome",
        help_text="For calls that connected.",
        widget=forms.Select(attrs={"data-when-disposition": Call.Disposition.ANSWERED}),
    )
    duration = DurationField(
        required=False,
        initial=0,
        help_text="m:ss or seconds.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    phone = PhoneField(required=False, help_text="The number called or calling.")
    cost = CostField(required=False)
    activity_at = forms.DateTimeField(
        label="When",
        initial=lambda: timezone.now().replace(microsecond=0),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"
        ),
    )
    recording_file = AudioFileField(label="Recording", required=False)
    voicemail_file = AudioFileField(label="Voicemail", required=False)
    note_html = forms.CharField(label="Note", required=False, widget=RichTextEditor)

    def __init__(self, *args, lead, call=None, membership=None, **kwargs):
        self.lead, self.call, self.membership = lead, call, membership
        if call is not None:
            kwargs["initial"] = {**self._initial_from(call), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if roles.can_log_calls_for_others(membership):
            self.fields["user"] = ModelChoiceField(
                label="Rep",
                queryset=listed_members(lead.organization),
                required=False,
                empty_label="No rep",
                help_text="Who made or took the call.",
            )
            self.initial.setdefault("user", membership.user_id)
        # The rep's own time zone (accounts.middleware), which Settings changes.
        self.fields["activity_at"].help_text = f"In {timezone.get_current_timezone_name()}."
        self.fields["phone"].region = lead.organization.phone_region
        self.fields["phone"].stored = call.phone if call is not None else None
        if not lead.organization.show_call_cost:
            del self.fields["cost"]
        self.fields["contact"].queryset = lead.contacts.all()
        if call is not None and call.outcome_id:  # its outcome even if deleted since
            outcomes = Outcome.objects.for_calls(lead.organization)
            outcomes |= Outcome.objects.filter(pk=call.outcome_id)
        else:
            outcomes = pickable_outcomes(lead.organization)
        self.fields["outcome"].queryset = outcomes
        if call is None and (contact := lead.contacts.first()) is not None:
            self.initial.setdefault("contact", contact)
            self.initial.setdefault("phone", contact.first_phone or "")
        self._extensions = []
        if call is None:
            for extension in call_form_extensions():
                fields = extension.fields(lead=lead, membership=membership)
                self.fields.update(fields)
                self._extensions.append((extension, list(fields)))

    @property
    def media(self):
        media = super().media
        for extension, _ in self._extensions:
            media += extension.media
        return media

    @property
    def extensions(self):
        """The extensions' parts of the form, as call_form_fields.html renders them."""
        return [
            {"template": extension.template, "fields": {name: self[name] for name in names}}
            for extension, names in self._extensions
        ]

    @staticmethod
    def _initial_from(call):
        initial = {
            name: getattr(call, name)
            for name in ("contact", "direction", "disposition", "outcome", "duration", "phone")
        }
        initial["user"] = call.user_id
        initial["activity_at"] = call.activity_at.replace(microsecond=0)
        initial["note_html"] = call.note_html
        initial["cost"] = call.cost
        for kind in ("recording", "voicemail"):
            if getattr(call, f"{kind}_file"):
                initial[f"{kind}_file"] = CurrentAudio(call, kind)
        return initial

    def _fields(self):
        """Return the model fields to write: all of them for a new call, else what changed
        (of those that parsed)."""
        extended = {name for _, names in self._extensions for name in names}
        names = self.fields if self.call is None else self.changed_data
        fields = {
            name: self.cleaned_data[name]
            for name in names
            if name in self.cleaned_data and name not in extended
        }
        if self.call is None:
            fields["lead"] = self.lead
        return fields

    # The choices the call's rules read (Call.clean): while one of them is refused, the rules
    # could only be judged against a value the rep did not pick.
    RULE_INPUTS = frozenset({"contact", "direction", "disposition", "outcome", "user"})

    def clean(self):
        """With errors in typed fields (a duration, a cost, a phone), the call's rules too, on
        the fields that parsed: every error shows in one round. (Without, `save()` meets the
        same rules.) The extensions clean their own fields."""
        cleaned_data = super().clean()
        self._extension_data = []
        for extension, names in self._extensions:
            try:
                data = extension.clean({name: cleaned_data.get(name) for name in names})
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
                continue
            self._extension_data.append((extension, data))
        if self._errors and not self.RULE_INPUTS & self._errors.keys():
            user = self.membership.user if self.membership else None
            try:
                if self.call is None:
                    services.call_build(
                        organization=self.lead.organization,
                        created_by=user,
                        fields=self._fields(),
                        logged_by_hand=True,
                        membership=self.membership,
                    )
                else:  # on a copy: the form's call stays as stored
                    services.call_amend(
                        copy.copy(self.call), updated_by=user, fields=self._fields()
                    )
            except ValidationError as error:
                self._add_rule_errors(error, unless=set(self._errors))
        return cleaned_data

    def _add_rule_errors(self, error, unless=()):
        """Show the rules' `error` by the fields they name, but those in `unless`."""
        for field, messages in error.message_dict.items():
            field = field if field in self.fields else NON_FIELD_ERRORS
            if field not in unless:
                self.add_error(field, messages)

    def save(self, user):
        """Write the call through the services; return it, or None with the errors added."""
        try:
            if self.call is None:
                with transaction.atomic():
                    call = services.call_create(
                        organization=self.lead.organization,
                        created_by=user,
                        fields=self._fields(),
                        logged_by_hand=True,
                        membership=self.membership,
                    )
                    for extension, data in self._extension_data:
                        extension.save(call, data, user=user)
                return call
            return services.call_update(self.call, updated_by=user, fields=self._fields())
        except ValidationError as error:
            self._add_rule_errors(error)
            return None


class QuickLogForm(forms.Form):
    """An outbound call to a contact that did not connect, logged in one click: to the contact's
    first number, now, lasting nothing, with the rep as its rep."""

    contact = ModelChoiceField(queryset=None)
    disposition = forms.ChoiceField(
        choices=[(choice.value, choice.label) for choice in Call.QUICK_DISPOSITIONS]
    )

    def __init__(self, *args, lead, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead, self.membership = lead, membership
        self.fields["contact"].queryset = lead.contacts.all()

    def save(self, user):
        contact = self.cleaned_data["contact"]
        return services.call_create(
            organization=self.lead.organization,
            created_by=user,
            membership=self.membership,
            fields={
                "lead": self.lead,
                "contact": contact,
                "phone": contact.first_phone or "",
                "direction": Call.Direction.OUTBOUND,
                "disposition": self.cleaned_data["disposition"],
                "duration": 0,
            },
            logged_by_hand=True,
        )
