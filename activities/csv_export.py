"""Calls as CSV, one row per call with the API's field names, streamed as the rows are read.

Rows come from the database through a server-side cursor (`.iterator()`) and leave as soon as
they are written, so exporting a million calls never holds more than a chunk of them.
"""

import csv

from django.http import StreamingHttpResponse

from api.dates import format_close_datetime

CHUNK_SIZE = 2000


def _name(user):
    return user.display_name if user else None


def _cents(cost):
    return None if cost is None else format(cost.normalize(), "f")


def _link(call, kind, request):
    link = call.audio_link(kind)
    return link and request.build_absolute_uri(link)


# Each column: the API's field name and how to get its value from a call.
COLUMNS = {
    "id": lambda call, request: call.id,
    "organization_id": lambda call, request: call.organization_id,
    "lead_id": lambda call, request: call.lead_id,
    "contact_id": lambda call, request: call.contact_id,
    "user_id": lambda call, request: call.user_id,
    "user_name": lambda call, request: _name(call.user),
    "created_by": lambda call, request: call.created_by_id,
    "created_by_name": lambda call, request: _name(call.created_by),
    "updated_by": lambda call, request: call.updated_by_id,
    "updated_by_name": lambda call, request: _name(call.updated_by),
    "date_created": lambda call, request: format_close_datetime(call.date_created),
    "date_updated": lambda call, request: format_close_datetime(call.date_updated),
    "activity_at": lambda call, request: format_close_datetime(call.activity_at),
    "date_answered": lambda call, request: format_close_datetime(call.date_answered),
    "direction": lambda call, request: call.direction,
    "status": lambda call, request: call.status,
    "disposition": lambda call, request: call.disposition,
    "call_method": lambda call, request: call.call_method,
    "source": lambda call, request: call.source,
    "duration": lambda call, request: call.duration,
    "cost": lambda call, request: _cents(call.cost),
    "phone": lambda call, request: call.phone,
    "remote_phone": lambda call, request: call.phone,
    "remote_phone_formatted": lambda call, request: call.phone_formatted,
    "local_phone": lambda call, request: call.local_phone,
    "recording_url": lambda call, request: _link(call, "recording", request),
    "has_recording": lambda call, request: "true" if call.has_recording else "false",
    "voicemail_url": lambda call, request: _link(call, "voicemail", request),
    "voicemail_duration": lambda call, request: call.voicemail_duration,
    "note": lambda call, request: call.note,
    "note_html": lambda call, request: call.note_html,
    "outcome_id": lambda call, request: call.outcome_id,
}


class _Echo:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value):
        return value


def calls_csv_response(calls, request, filename="calls.csv"):
    """Return a streamed CSV download of the queryset `calls`."""
    calls = calls.select_related(None).select_related("user", "created_by", "updated_by")
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for call in calls.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow([value(call, request) for value in COLUMNS.values()])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
