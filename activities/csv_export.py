"""Calls as CSV: the API's call objects, one per row, streamed as the rows are read.

Columns and values come from the API's representation of a call (`activities.api.CALL`), so
the export and the API never disagree, with the names of the call's lead, contact and outcome
beside their ids (the rep's, `user_name`, is in the API already), for a spreadsheet to read.
Cells are written by `core.csv_files`, as in every CSV the project writes. Rows come through a
server-side cursor and leave as soon as they are written: exporting a million calls never holds
more than a chunk of them.
"""

from itertools import islice

from activities.api import CALL
from api.representations import Column, Representation
from core.csv_files import csv_download

CHUNK_SIZE = 2000
NAMES = {
    "lead_id": Column("lead_name", "lead__name"),
    "contact_id": Column("contact_name", "contact__name"),
    "outcome_id": Column("outcome_name", "outcome__name"),
}


def _with_names(representation):
    keys = []
    for key in representation.keys:
        keys.append(key)
        if key.name in NAMES:
            keys.append(NAMES[key.name])
    return Representation(*keys, name="CallRow", description="A call, as a row of the export.")


CALL_ROW = _with_names(CALL)


def calls_csv_response(calls, request, filename="calls.csv"):
    """Return a streamed CSV download of the queryset `calls`."""
    plan = CALL_ROW.plan(request)

    def rows():
        yield [name for name, _ in plan.getters]
        records = plan.rows(calls.select_related(None)).iterator(chunk_size=CHUNK_SIZE)
        while chunk := list(islice(records, CHUNK_SIZE)):
            for call in plan.build(chunk):
                yield call.values()

    return csv_download(rows(), filename)
