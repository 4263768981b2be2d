"""Calls as CSV: the API's call objects, one per row, streamed as the rows are read.

Columns and values come from the API's representation of a call (`activities.api.CALL`), so
the export and the API never disagree; cells are written by `core.csv_files`, as in every CSV
the project writes. Rows come through a server-side cursor and leave as soon as they are
written: exporting a million calls never holds more than a chunk of them.
"""

from itertools import islice

from activities.api import CALL
from core.csv_files import csv_download

CHUNK_SIZE = 2000


def calls_csv_response(calls, request, filename="calls.csv"):
    """Return a streamed CSV download of the queryset `calls`."""
    plan = CALL.plan(request)

    def rows():
        yield [name for name, _ in plan.getters]
        records = plan.rows(calls.select_related(None)).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(islice(records, CHUNK_SIZE)):
            for call in plan.build(chunk):
                yield call.values()

    return csv_download(rows(), filename)
