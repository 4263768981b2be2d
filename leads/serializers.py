"""Bodies of the lead and contact endpoints: parsing and types only; leads.services writes."""

from rest_framework import serializers

from api.serializers import CloseSerializer, RelatedIdField
from leads.models import Lead
from leads.phones import invalid_phone_message, normalize_phone


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField()
    type = serializers.CharField(required=False, default="office")

    def validate_phone(self, value):
        """The number as stored; one without + is read as dialled in the organization's region."""
        region = self.context["organization"].phone_region
        phone = normalize_phone(value, region)
        if phone is None:
            raise serializers.ValidationError(invalid_phone_message(region))
        return phone


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField()
    type = serializers.CharField(required=False, default="office")


class ContactFieldsSerializer(CloseSerializer):
    """A contact's own fields, sent alone or nested in a new lead."""

    name = _text()
    title = _text()
    phones = PhoneSerializer(many=True, required=False)
    emails = EmailSerializer(many=True, required=False)

    def validate_name(self, value):
        return value or ""

    def validate_title(self, value):
        return value or ""


class ContactSerializer(ContactFieldsSerializer):
    """A contact belongs to a lead; one sent without `lead_id` gets a new lead named after it,
    as Close does."""

    lead_id = RelatedIdField(Lead.objects.all(), source="lead", required=False)


class ContactUpdateSerializer(ContactSerializer):
    lead_id = None  # a contact stays on its lead


class LeadSerializer(CloseSerializer):
    name = serializers.CharField()
    description = _text(trim_whitespace=False)
    url = _text()
    status_label = serializers.CharField(required=False)
    contacts = ContactFieldsSerializer(many=True, required=False)

    def validate_description(self, value):
        return value or ""

    def validate_url(self, value):
        return value or ""


class LeadUpdateSerializer(LeadSerializer):
    contacts = None  # contacts change through /contact/
