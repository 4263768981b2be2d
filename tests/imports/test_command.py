"""`manage.py import_calls`: the same steps for operators, in an organization they name."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from activities.models import Call
from imports.models import CallImport
from tests.imports.conftest import FILES, csv_text


def _run(*args):
    output = io.StringIO()
    call_command("import_calls", *args, stdout=output)
    return output.getvalue()


def test_an_operator_imports_a_file_into_the_organization_named(acme, importer, reps, wayne):
    output = _run(
        str(FILES / "hubspot-calls.csv"), "--organization", "Acme", "--user", importer.username
    )

    call_import = CallImport.objects.get()
    assert call_import.status == CallImport.Status.IMPORTED
    assert Call.objects.filter(organization=acme, import_id=call_import.pk).count() == 5
    assert f"{call_import.pk}: hubspot-calls.csv" in output
    assert "Call duration: Duration in milliseconds" in output
    assert "Imported: 5 created, 0 updated, 0 unchanged, 0 rejected, 0 leads created." in output


def test_a_dry_run_writes_nothing_and_can_be_imported_from_the_page(acme, importer, reps, wayne):
    output = _run(
        str(FILES / "salesforce-tasks.csv"),
        "--organization", acme.pk, "--user", importer.username, "--dry-run", "--create-leads",
    )  # fmt: skip

    assert "Dry run: 4 to create, 0 to update, 0 unchanged, 0 rejected, 1 leads to create." in (
        output
    )
    assert not Call.objects.exists()
    assert CallImport.objects.get().status == CallImport.Status.PREVIEWED


def test_columns_are_chosen_and_the_rejected_rows_written(tmp_path, acme, importer, wayne):
    path = tmp_path / "dialer.csv"
    path.write_text(
        csv_text("Ref,When,Account,Talk", "a,2025-01-02,Wayne Enterprises,30", "b,x,W,1")
    )
    errors = tmp_path / "errors.csv"

    output = _run(
        str(path), "--organization", "Acme", "--user", importer.username,
        "--column", "Ref=external_id", "--column", "When=activity_at", "--column", "talk=duration",
        "--time-zone", "Europe/Paris", "--errors", str(errors),
    )  # fmt: skip

    assert Call.objects.get().duration == 30
    assert "line 3: When: “x” is not a date" in output
    with errors.open() as written:
        assert list(csv.reader(written))[1][:4] == ["b", "x", "W", "1"]


def test_an_import_is_reverted_by_its_id(acme, importer, reps, wayne):
    _run(str(FILES / "hubspot-calls.csv"), "--organization", "Acme", "--user", importer.username)
    call_import = CallImport.objects.get()

    output = _run("--revert", call_import.pk, "--organization", "Acme", "--user", importer.username)

    assert "Reverted: 5 calls and 0 leads deleted." in output
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organization", "Nowhere", "--user", "carol"], "No organization is named 'Nowhere'."),
        (["--organization", "Acme", "--user", "alice"],
         "alice is not an admin of Acme: Only an organization admin can import calls."),
        (["--organization", "Globex", "--user", "carol"],
         "carol is not an admin of Globex: Only an organization admin can import calls."),
        (["--organization", "Acme", "--user", "carol", "--column", "Nope=note"],
         "--column Nope=note: the file has no column “Nope”."),
        (["--organization", "Acme", "--user", "carol", "--column", "Record ID="],
         "Choose the column that holds “Id in the other system”. Use --column NAME=FIELD."),
    ],
    ids=["unknown organization", "member", "other organization", "unknown column", "no id"],
)  # fmt: skip
def test_what_cannot_be_done_is_said(acme, importer, alice, globex, args, message):
    with pytest.raises(CommandError) as refused:
        _run(str(FILES / "hubspot-calls.csv"), *args)

    assert str(refused.value) == message
    assert not CallImport.objects.exists()


def test_a_file_refused_is_said(tmp_path, acme, importer):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="calls.csv: The file is empty."):
        _run(str(path), "--organization", "Acme", "--user", importer.username)
