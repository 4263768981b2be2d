"""Calls imported from a CSV file are found by their notes as soon as their batch commits, and
no longer once the import is reverted: the importer's batches reach the index as every write
does (search/receivers.py)."""

import pytest

from imports import services
from tests.imports.conftest import csv_text, import_file, wayne  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wayne")]  # the files' lead

FILE = csv_text(
    "Id,Date,Company,Duration,Notes",
    "c-1,2025-01-02 10:00,Wayne Enterprises,60,Bruce asked about the fleet budget",
    "c-2,2025-01-03 11:00,Wayne Enterprises,90,Send the zeppelin brochure",
)


def test_imported_calls_are_found_by_their_notes(search, acme, acme_admin):
    import_file(acme, acme_admin, FILE)

    assert len(search("fleet budget")) == 1
    assert len(search("zeppelin")) == 1


def test_a_reverted_import_leaves_no_hit(search, acme, acme_admin):
    call_import = import_file(acme, acme_admin, FILE)

    services.import_start_revert(call_import, enqueue=False)
    services.run_revert(call_import.pk)

    assert search("fleet budget") == []
