"""The importing organization, its reps, leads and contacts as the fixture files name them, and
a helper that takes a file through the import's steps here, as a worker would run its jobs.

tests/imports/files/ holds exports written from the documented column names: HubSpot's call
properties as its export labels them, and Salesforce's Task fields as Data Loader writes them.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import columns, services
from tests.conftest import make_contact, make_lead, make_user
from tests.workers import start_worker, worker_env  # noqa: F401 (fixtures)

FILES = Path(__file__).parent / "files"


def upload(organization, user, content, name="calls.csv"):
    """Check and store `content` (str or bytes) as `user`'s upload; return the CallImport."""
    data = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return services.import_upload(organization=organization, created_by=user, file=file)


def import_file(
    organization,
    user,
    content,
    *,
    name="calls.csv",
    write=True,
    changes=None,
    source=None,
    time_zone=None,
    day_first=False,
    create_leads=False,
):
    """Take `content` through upload, columns (as guessed, with `changes`: {column name: field}),
    dry run and, with `write`, the import, each step run here as its job runs it."""
    call_import = upload(organization, user, content, name)
    fields = list(call_import.columns)
    for column, field in (changes or {}).items():
        fields[call_import.header.index(column)] = field
    assert columns.mapping_problems(fields) == []
    services.import_configure(
        call_import,
        fields=fields,
        source=source or call_import.source,
        time_zone=time_zone or call_import.time_zone,
        day_first=day_first,
        create_leads=create_leads,
    )
    services.import_start_preview(call_import, enqueue=False)
    call_import = services.run_preview(call_import.pk)
    if write and call_import.status == call_import.Status.PREVIEWED:
        services.import_start(call_import, enqueue=False)
        call_import = services.run_import(call_import.pk)
    return call_import


def fixture_file(name):
    return (FILES / name).read_bytes()


def csv_text(*lines):
    return "\n".join(lines) + "\n"


@pytest.fixture
def importer(acme_admin):
    """Acme's organization admin (with the admin's staff status), who imports."""
    return acme_admin


@pytest.fixture
def reps(acme):
    """The reps the fixture files name, by email or name."""
    return {
        "jamie": make_user(
            acme, email="jamie@acme.example", first_name="Jamie", last_name="Rivera"
        ),
        "priya": make_user(acme, email="priya@acme.example", first_name="Priya", last_name="Shah"),
    }


@pytest.fixture
def wayne(acme):
    """The lead the fixture files name, and its two contacts."""
    lead = make_lead(acme, name="Wayne Enterprises")
    bruce = make_contact(
        lead,
        name="Bruce Wayne",
        emails=[{"email": "bruce@wayne.example", "type": "office"}],
        phones=[{"phone": "+16505551234", "type": "office"}],
    )
    lucius = make_contact(
        lead,
        name="Lucius Fox",
        emails=[{"email": "Lucius@Wayne.example", "type": "office"}],
        phones=[{"phone": "+14155550199", "type": "mobile"}],
    )
    return lead, bruce, lucius
