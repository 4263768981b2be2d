"""Bodies of the call and outcome endpoints: parsing and types only.

The rules (dispositions, outcomes, the note coupling, ranges, https) live in `Call.clean`,
`activities.notes` and `activities.services`; these serializers only turn JSON into the
model field values those take, and the viewsets hand them to the services.
"""

from django.db.models import FilteredRelation, Q
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


def _is_id(value):
    """Whether `value` can be an id to look up (PostgreSQL text cannot hold NUL)."""
    return isinstance(value, str) and "\x00" not in value


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
        self.resolved = self._named_objects(data)
        return super().to_internal_value(data)

    def _named_objects(self, data):
        """The body's lead with its contact and its outcome, found in one query within the
        organization (the contact only if it is the lead's); what is not found is left to its
        field (and its error)."""
        if not isinstance(data, dict):
            return {}
        lead_id, contact_id = data.get("lead_id"), data.get("contact_id")
        outcome_id = data.get("outcome_id")
        if not _is_id(lead_id):
            return {}
        organization = self.context["organization"]
        joined = {}
        if _is_id(contact_id):
            joined["body_contact"] = FilteredRelation(
                "contacts",
                condition=Q(contacts__pk=contact_id, contacts__organization=organization),
            )
        if _is_id(outcome_id):
            joined["body_outcome"] = FilteredRelation(
                "organization__outcomes", condition=Q(organization__outcomes__pk=outcome_id)
            )
        lead = (
            Lead.objects.filter(pk=lead_id, organization=organization)
            .annotate(**joined)
            .select_related(*joined)
            .first()
        )
        if lead is None:
            return {}
        found = {(Lead, lead_id): lead}
        if getattr(lead, "body_contact", None) is not None:
            found[Contact, contact_id] = lead.body_contact
        if getattr(lead, "body_outcome", None) is not None:
            found[Outcome, outcome_id] = lead.body_outcome
        return found

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
