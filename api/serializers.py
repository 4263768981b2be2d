"""Input in Close's dialect: the fields and the base serializer every write endpoint uses.

Write serializers only parse and type-check a body; the rules live on the models and services.
Keys a serializer does not declare (unknown or read-only ones) are ignored, as Close does.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from api.dates import format_close_datetime, parse_close_datetime


class CloseDateTimeField(serializers.Field):
    """A date-time with an offset (Z, +00:00, +0000), naive (UTC) or a plain date (midnight UTC)."""

    default_error_messages = {"invalid": "Enter a date (2026-11-24) or a date-time in ISO 8601."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_close_datetime(data).astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            self.fail("invalid")

    def to_representation(self, value):
        return format_close_datetime(value)


class RelatedIdField(serializers.RelatedField):
    """An id such as `lead_id`, resolved to the object within the caller's organization.

    The serializer's context carries the `organization`. Another organization's object is as
    unknown as one that never existed.
    """

    default_error_messages = {"does_not_exist": "Object does not exist."}

    def __init__(self, queryset, *, organization_field="organization", **kwargs):
        self.organization_field = organization_field
        super().__init__(queryset=queryset, **kwargs)

    def get_queryset(self):
        return self.queryset.filter(**{self.organization_field: self.context["organization"]})

    def to_internal_value(self, data):
        # PostgreSQL text cannot hold NUL, so such an id cannot exist (and must not reach a query).
        if not isinstance(data, str) or "\x00" in data:
            self.fail("does_not_exist")
        found = getattr(self.parent, "resolved", {}).get((self.queryset.model, data))
        if found is not None:
            return found
        try:
            return self.get_queryset().get(pk=data)
        except ObjectDoesNotExist:
            self.fail("does_not_exist")

    def to_representation(self, value):
        return value.pk


MAX_JSON_DEPTH = 20


def storable_json(value):
    """Refuse JSON that cannot be stored: NUL characters (PostgreSQL's jsonb has none) and
    nesting deeper than MAX_JSON_DEPTH (Python's own JSON encoder recurses)."""
    pending = [(value, 0)]  # a loop, not recursion, for the same reason
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise serializers.ValidationError("The value is nested too deeply.")
        if isinstance(item, str) and "\x00" in item:
            raise serializers.ValidationError("Null characters are not allowed.")
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


class CloseSerializer(serializers.Serializer):
    """Errors about a related id are keyed by the relation, as Close and our models do:
    `{"lead": "Object does not exist."}` for a bad `lead_id`.

    `resolved` ({(model, id): object}) holds objects a subclass found together, in one query,
    within the organization: its RelatedIdFields take them from there instead of one query each.
    """

    resolved = {}

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            relations = {
                name: field.source
                for name, field in self.fields.items()
                if isinstance(field, RelatedIdField)
            }
            detail = {relations.get(key, key): value for key, value in error.detail.items()}
            raise serializers.ValidationError(detail) from None
