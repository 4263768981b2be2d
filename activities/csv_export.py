"""Calls as CSV: the API's call objects, one per row, streamed as the rows are read.

Columns and values come from the API's representation of a call (`activities.api.CALL`), so
the export and the API never disagree. Rows come through a server-side cursor and leave as soon
as they are written: exporting a million calls never holds more than a chunk of them.
"""

import csv
from itertools import islice

from django.http import StreamingHttpResponse

from activities.api import CALL

CHUNK_SIZE = 2000


class _Echo:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def calls_csv_response(calls, request, filename="calls.csv"):
    """Return a streamed CSV download of the queryset `calls`."""
    plan = CALL.plan(request)
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(name for name, _ in plan.getters)
        records = plan.rows(calls.select_related(None)).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(islice(records, CHUNK_SIZE)):
            for call in plan.build(chunk):
                yield writer.writerow(_cell(value) for value in call.values())

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
