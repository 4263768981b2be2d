"""Bodies of the call and outcome endpoints: parsing and types only.

The rules (dispositions, outcomes, the note coupling, ranges, https) live in `Call.clean`,
`activities.notes` and `activities.services`; these serializers only turn JSON into the
model field values those take, and the viewsets hand them to the services.
"""

from rest_framework import serializers

from accounts.models import User
from activities.models import Call, Outcome
from api.serializers import (
    CloseDateTimeField,
    CloseSerializer,
    RelatedIdField,
    storable_json,
)
from leads.models import Contact, Lead
from leads.phones import invalid_phone_message, normalize_phone


def _text(**kwargs):
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, trim_whitespace=False, **kwargs
    )


class TranscriptSerializer(serializers.Serializer):
    utterances = serializers.ListField(
        child=serializers.DictField(), required=False, validators=[storable_json]
    )
    summary_text = _text()
    summary_html = _text()


class CallSerializer(CloseSerializer):
    lead_id = RelatedIdField(Lead.objects.all(), source="lead")
    contact_id = RelatedIdField(
        Contact.objects.all(), source="contact", required=False, allow_null=True
    )
    user_id = RelatedIdField(
        User.objects.all(),
        source="user",
        organization_field="memberships__organization",
        required=False,
        allow_null=True,
    )
    outcome_id = RelatedIdField(
        Outcome.objects.all(), source="outcome", required=False, allow_null=True
    )
    direction = serializers.ChoiceField(Call.Direction.choices, required=False)
    status = serializers.ChoiceField(Call.Status.choices, required=False)
    disposition = serializers.ChoiceField(Call.Disposition.choices, required=False, allow_null=True)
    call_method = serializers.ChoiceField(Call.Method.choices, required=False)
    duration = serializers.IntegerField(required=False)
    cost = serializers.DecimalField(
        max_digits=None, decimal_places=None, required=False, allow_null=True
    )
    phone = _text()
    recording_url = _text()
    voicemail_url = _text()
    voicemail_duration = serializers.IntegerField(required=False)
    note = _text()
    note_html = _text()
    activity_at = CloseDateTimeField(required=False)
    date_created = CloseDateTimeField(required=False)
    recording_transcript = TranscriptSerializer(required=False, allow_null=True)
    voicemail_transcript = TranscriptSerializer(required=False, allow_null=True)

    def to_internal_value(self, data):
        self.resolved = self._lead_with_contact(data)
        return super().to_internal_value(data)

    def _lead_with_contact(self, data):
        """The body's lead and contact, found in one query when the contact is the lead's;
        otherwise left to their fields (and their errors)."""
        if not isinstance(data, dict):
            return {}
        lead_id, contact_id = data.get("lead_id"), data.get("contact_id")
        if not all(isinstance(id_, str) and "\x00" not in id_ for id_ in (lead_id, contact_id)):
            return {}
        contact = (
            Contact.objects.select_related("lead")
            .filter(
                pk=contact_id,
                lead_id=lead_id,
                organization=self.context["organization"],
                lead__organization=self.context["organization"],
            )
            .first()
        )
        if contact is None:
            return {}
        return {(Lead, lead_id): contact.lead, (Contact, contact_id): contact}

    def validate_phone(self, value):
        if not value:
            return ""
        region = self.context["organization"].phone_region
        phone = normalize_phone(value, region)
        if phone is None:
            raise serializers.ValidationError(invalid_phone_message(region))
        return phone

    def validate_disposition(self, value):
        return value or ""  # blank: derived from the status

    def validate_recording_url(self, value):
        return value or ""

    def validate_voicemail_url(self, value):
        return value or ""

    def validate(self, attrs):
        # A null note is no note given: the other one, if sent, decides.
        for name in ("note", "note_html"):
            if name in attrs and attrs[name] is None:
                del attrs[name]
        return attrs


class CallUpdateSerializer(CallSerializer):
    date_created = None  # only a create may backfill it


class OutcomeSerializer(CloseSerializer):
    name = serializers.CharField()
    description = _text()
    type = serializers.ChoiceField(Outcome.Type.choices, required=False)  # decides applies_to

    def validate_name(self, name):
        taken = Outcome.objects.live().filter(organization=self.context["organization"], name=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("An outcome with this name already exists.")
        return name
