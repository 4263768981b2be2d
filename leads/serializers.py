"""Bodies of the lead and contact endpoints."""

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import serializers

from api.serializers import CloseSerializer, RelatedIdField
from leads.models import Contact, Lead
from leads.phones import normalize_phone


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField()
    type = serializers.CharField(required=False, default="office")

    def validate_phone(self, value):
        phone = normalize_phone(value)
        if phone is None:
            raise serializers.ValidationError(
                "Enter a phone number in E.164 format, e.g. +16505551234."
            )
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


def _save_contact(contact, fields):
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact


class ContactSerializer(ContactFieldsSerializer):
    """A contact belongs to a lead; one sent without `lead_id` gets a new lead named after it,
    as Close does."""

    lead_id = RelatedIdField(Lead.objects.all(), source="lead", required=False)

    @transaction.atomic
    def create(self, validated_data):
        organization = self.context["organization"]
        lead = validated_data.pop("lead", None) or self._new_lead(validated_data)
        return _save_contact(Contact(organization=organization, lead=lead), validated_data)

    def update(self, contact, validated_data):
        return _save_contact(contact, validated_data)

    def _new_lead(self, fields):
        phones, emails = fields.get("phones") or [{}], fields.get("emails") or [{}]
        name = fields.get("name") or emails[0].get("email") or phones[0].get("phone")
        if not name:
            raise serializers.ValidationError({"lead": "This field is required."})
        user = self.context["request"].user
        lead = Lead(
            organization=self.context["organization"], name=name, created_by=user, updated_by=user
        )
        lead.full_clean()
        lead.save()
        return lead


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

    @transaction.atomic
    def create(self, validated_data):
        contacts = validated_data.pop("contacts", [])
        user = self.context["request"].user
        lead = Lead(
            organization=self.context["organization"],
            created_by=user,
            updated_by=user,
            **validated_data,
        )
        lead.full_clean()
        lead.save()
        for position, fields in enumerate(contacts, start=1):
            contact = Contact(organization=lead.organization, lead=lead)
            try:
                _save_contact(contact, fields)
            except ValidationError as error:
                message = f"Contact {position}: {' '.join(error.messages)}"
                raise serializers.ValidationError({"contacts": message}) from None
        return lead

    def update(self, lead, validated_data):
        for name, value in validated_data.items():
            setattr(lead, name, value)
        lead.updated_by = self.context["request"].user
        lead.full_clean()
        lead.save()
        return lead


class LeadUpdateSerializer(LeadSerializer):
    contacts = None  # contacts change through /contact/
