"""The dry run, which writes nothing; the revert, which deletes what the import created; and the
order of the steps."""

import pytest
from django.core.files.base import ContentFile

from activities import services as activities
from activities.models import Call, Transcript
from core.changes import DELETED
from imports import services
from imports.models import CallImport, CreatedLead
from leads.models import Contact, Lead
from tests.conftest import make_call, wav
from tests.imports.conftest import csv_text, fixture_file, import_file, upload

HEADER = "Id,Date,Company,Email,Duration"


def test_the_dry_run_writes_no_call_no_lead_and_announces_nothing(
    acme, importer, reps, wayne, announced
):
    before = (Call.objects.count(), Lead.objects.count(), Contact.objects.count())

    call_import = import_file(
        acme, importer, fixture_file("salesforce-tasks.csv"), write=False, create_leads=True
    )

    assert call_import.status == CallImport.Status.PREVIEWED
    assert call_import.preview == {
        "rows": 4, "created": 4, "updated": 0, "unchanged": 0, "rejected": 0, "leads_created": 1,
    }  # fmt: skip
    assert (Call.objects.count(), Lead.objects.count(), Contact.objects.count()) == before
    assert announced == []
    assert not CreatedLead.objects.exists()


def test_the_dry_run_counts_what_the_import_then_does(acme, importer, reps, wayne):
    import_file(acme, importer, fixture_file("hubspot-calls.csv"))
    changed = fixture_file("hubspot-calls.csv").replace(b"312000", b"313000")
    changed += (
        b"51000006,New,2025-03-09 09:00,,OUTBOUND,1000,Connected,COMPLETED,,,,,,Nobody Inc,\n"
    )

    preview = import_file(acme, importer, changed, write=False)
    services.import_start(preview, enqueue=False)
    done = services.run_import(preview.pk)

    assert preview.preview == {
        "rows": 6, "created": 0, "updated": 1, "unchanged": 4, "rejected": 1, "leads_created": 0,
    }  # fmt: skip
    assert {**done.counts, "rows": done.rows_total} == preview.preview


def test_the_dry_run_keeps_the_rows_it_would_reject_for_the_page(acme, importer, wayne):
    content = csv_text(HEADER, "a,2025-01-02,Wayne Enterprises,,60", "b,never,Wayne Enterprises,,1")

    call_import = import_file(acme, importer, content, write=False)

    assert [(row.line, row.reason[:5]) for row in services.first_errors(call_import)] == [
        (3, "Date:")
    ]


def test_a_revert_deletes_the_calls_and_leads_the_import_created(
    acme, importer, reps, wayne, announced
):
    lead, bruce, _ = wayne
    kept = make_call(lead, reps["jamie"], note="Logged by hand")
    first = import_file(acme, importer, fixture_file("salesforce-tasks.csv"), create_leads=True)
    created = set(Call.objects.filter(import_id=first.pk).values_list("pk", flat=True))
    announced.clear()

    services.import_start_revert(first, enqueue=False)
    reverted = services.run_revert(first.pk)

    assert (reverted.status, reverted.reverted_calls, reverted.reverted_leads) == (
        CallImport.Status.REVERTED, 4, 1,
    )  # fmt: skip
    assert list(Call.objects.all()) == [kept]
    assert list(Lead.objects.all()) == [lead]
    assert {change.pk for change in announced if change.model is Call} == created
    assert {change.action for change in announced} == {DELETED}
    lead.refresh_from_db()
    assert lead.calls_count == 1


def test_a_revert_leaves_the_calls_the_import_updated(acme, importer, reps, wayne):
    content = fixture_file("hubspot-calls.csv")
    import_file(acme, importer, content)
    second = import_file(acme, importer, content.replace(b"312000", b"313000"))
    assert (second.created, second.updated) == (0, 1)

    services.import_start_revert(second, enqueue=False)
    services.run_revert(second.pk)

    assert Call.objects.count() == 5
    assert Call.objects.get(external_id="51000001").duration == 313


def test_a_revert_keeps_a_created_lead_that_has_other_calls_since(acme, importer, reps):
    call_import = import_file(
        acme, importer, csv_text(HEADER, "a,2025-01-02,Kyle Imports,,60"), create_leads=True
    )
    lead = Lead.objects.get(name="Kyle Imports")
    make_call(lead, reps["jamie"])

    services.import_start_revert(call_import, enqueue=False)
    reverted = services.run_revert(call_import.pk)

    assert (reverted.reverted_calls, reverted.reverted_leads) == (1, 0)
    assert Lead.objects.filter(pk=lead.pk).exists()


def test_a_reverted_call_takes_its_audio_and_transcripts_with_it(
    acme, importer, wayne, django_capture_on_commit_callbacks
):
    call_import = import_file(acme, importer, csv_text(HEADER, "a,2025-01-02,Wayne Enterprises,,6"))
    call = Call.objects.get()
    activities.call_update(
        call,
        updated_by=importer,
        fields={"recording_file": ContentFile(wav(), "a.wav")},
        transcripts={"recording_transcript": {"utterances": []}},
    )
    stored = Call.objects.get().recording_file
    assert stored.storage.exists(stored.name)

    services.import_start_revert(call_import, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_revert(call_import.pk)

    assert not Call.objects.exists() and not Transcript.objects.exists()
    assert not stored.storage.exists(stored.name)


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (CallImport.Status.NEW, services.import_start),
        (CallImport.Status.NEW, services.import_start_revert),
        (CallImport.Status.IMPORTED, services.import_start_preview),
        (CallImport.Status.IMPORTED, services.import_start),
        (CallImport.Status.REVERTED, services.import_start_revert),
        (CallImport.Status.REFUSED, services.import_start_preview),
    ],
)
def test_a_step_out_of_order_is_refused(acme, importer, status, step):
    call_import = upload(acme, importer, csv_text(HEADER, "a,2025-01-02,Wayne Enterprises,,6"))
    CallImport.objects.filter(pk=call_import.pk).update(status=status)

    with pytest.raises(services.StepRefused):
        step(call_import)

    assert CallImport.objects.get(pk=call_import.pk).status == status


def test_a_step_is_refused_while_a_job_of_the_import_is_queued(acme, importer):
    call_import = upload(acme, importer, csv_text(HEADER, "a,2025-01-02,Wayne Enterprises,,6"))
    services.import_start_preview(call_import)  # queued, no worker here

    with pytest.raises(services.StepRefused, match="at work already"):
        services.import_start_preview(call_import)
