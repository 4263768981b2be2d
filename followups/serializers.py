"""Bodies of the task endpoints: parsing and types only; followups.services writes.

Keys a serializer does not declare are ignored, as Close does; `due_date`, deprecated in Close,
is declared only to say so.
"""

import datetime

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from accounts.models import User
from api.json_schema import nullable, string
from api.serializers import CloseSerializer, RelatedIdField
from followups.days import parse_day_or_moment
from followups.models import Task
from leads.models import Contact, Lead


class TaskDateField(serializers.Field):
    """Close's task `date`: a date (due that day), a date-time (due at that moment; naive is
    UTC) or null (dateless). Read as the model's {"date": ..., "due_at": ...}."""

    default_error_messages = {"invalid": "Enter a date (2026-12-02) or a date-time in ISO 8601."}

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, source="*", **kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, {"date": None, "due_at": None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            value = parse_day_or_moment(data)
        except (ValueError, OverflowError):
            self.fail("invalid")
        if isinstance(value, datetime.datetime):
            return {"date": None, "due_at": value}
        return {"date": value, "due_at": None}


class TaskDateFieldSchema(OpenApiSerializerFieldExtension):
    target_class = TaskDateField

    def map_serializer_field(self, auto_schema, direction):
        return nullable(
            string(
                description="A date (`2026-12-02`: due that day) or a date-time in ISO 8601 (due "
                "at that moment; naive is UTC); null: dateless."
            )
        )


def _assignee(**kwargs):
    return RelatedIdField(
        User.objects.all(),
        organization_field="memberships__organization",
        required=False,
        allow_null=True,
        help_text="A member's id; null: nobody.",
        **kwargs,
    )


def _deprecated_due_date():
    return serializers.JSONField(
        required=False, write_only=True, help_text="Deprecated in Close: accepted and ignored."
    )


class TaskSerializer(CloseSerializer):
    _type = serializers.ChoiceField(
        [Task.Type.LEAD, Task.Type.OUTGOING_CALL],
        source="type",
        required=False,
        error_messages={
            "invalid_choice": "Only lead and outgoing_call tasks can be created: missed_call and "
            "voicemail tasks come from calls."
        },
    )
    lead_id = RelatedIdField(Lead.objects.all(), source="lead")
    contact_id = RelatedIdField(
        Contact.objects.all(), source="contact", required=False, allow_null=True
    )
    assigned_to = _assignee()
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    date = TaskDateField(help_text="Default: today, in the caller's zone.")
    is_complete = serializers.BooleanField(required=False)
    due_date = _deprecated_due_date()

    def validate(self, attrs):
        attrs.pop("due_date", None)
        return attrs


class TaskUpdateSerializer(CloseSerializer):
    """What a PUT may change; `text` only on the tasks people make."""

    assigned_to = _assignee()
    date = TaskDateField()
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    is_complete = serializers.BooleanField(required=False)
    due_date = _deprecated_due_date()

    def validate_text(self, text):
        if self.instance is not None and self.instance.type not in Task.MADE_BY_PEOPLE:
            raise serializers.ValidationError(
                "Only the text of lead and outgoing_call tasks can be changed."
            )
        return text

    def validate(self, attrs):
        attrs.pop("due_date", None)
        return attrs


class TaskBulkUpdateSerializer(TaskUpdateSerializer):
    """What a bulk update may change, as in Close: the assignee, the date, completion."""

    text = None
