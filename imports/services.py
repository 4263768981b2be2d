"""Importing a CSV file of calls: the steps, and the work each does.

upload (`import_upload`: the file checked by its content and stored) → columns chosen
(`import_configure`, remembered for the organization's next import) → dry run (`run_preview`)
→ import (`run_import`) → revert, maybe (`run_revert`). The pages and the admin start a step
(`import_start_*`: its state, and its job, queued on commit); the job, or the management command
for operators, runs it.

A step reads the stored file as a stream, IMPORT_BATCH_ROWS rows at a time. Each batch is one
transaction: its calls and leads, the rows it rejected and the import's counters and place in
the file commit together or not at all. A worker that dies mid-import leaves the last batch
whole or absent, and the job, taken up again, resumes after the last committed one.
"""

import functools
from itertools import islice

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from activities import services as activities
from activities.models import Call
from imports import columns
from imports.files import FileRefused, RowReader, inspect
from imports.importer import Importer
from imports.models import COUNTS, CallImport, CreatedLead, RejectedRow, RememberedColumns, SeenId
from jobs import TransientError, latest_job
from leads import services as leads

ERRORS_SHOWN = 20


class StepRefused(Exception):
    """The import is not in a state that allows the step asked for; the message says why."""


def job_key(call_import):
    return f"import:{call_import.pk}"


def active_job(call_import):
    job = latest_job(job_key(call_import))
    return job if job is not None and job.status in job.ACTIVE else None


def import_upload(*, organization, created_by, file):
    """Check `file` (an uploaded file) by its content and store it; return the CallImport with
    its columns guessed. FileRefused (nothing stored) when the file cannot be imported."""
    if file.size > settings.IMPORT_MAX_FILE_SIZE:
        raise FileRefused(
            f"The file is {filesizeformat(file.size)}; the limit is "
            f"{filesizeformat(settings.IMPORT_MAX_FILE_SIZE)}."
        )
    head = inspect(file)
    remembered = RememberedColumns.objects.filter(organization=organization).first()
    flavor = columns.flavor_of(head.header)
    call_import = CallImport(
        organization=organization,
        created_by=created_by,
        filename=(file.name or "calls.csv")[:255],
        size=file.size,
        delimiter=head.delimiter,
        header=head.header,
        flavor=flavor.name,
        columns=columns.guess(head.header, remembered and remembered.fields),
        source=(remembered and remembered.sources.get(flavor.name)) or flavor.source,
        time_zone=(remembered and remembered.time_zone) or organization.time_zone,
        day_first=bool(remembered and remembered.day_first),
        create_leads=bool(remembered and remembered.create_leads),
    )
    file.seek(0)
    call_import.file.save(f"{call_import.pk}.csv", file, save=False)
    call_import.save(force_insert=True)
    return call_import


@transaction.atomic
def import_configure(call_import, *, fields, source, time_zone, day_first, create_leads):
    """Set the columns' fields and the other choices, and remember them for the organization's
    next imports. Raise StepRefused once the import has started."""
    if call_import.status not in (CallImport.Status.NEW, CallImport.Status.PREVIEWED):
        raise StepRefused("The columns can be changed only before the import starts.")
    call_import.columns = list(fields)
    call_import.source = source
    call_import.time_zone = time_zone
    call_import.day_first = day_first
    call_import.create_leads = create_leads
    call_import.status = CallImport.Status.NEW
    call_import.save()
    remembered, _ = RememberedColumns.objects.get_or_create(
        organization_id=call_import.organization_id
    )
    for name, field in zip(call_import.header, fields, strict=True):
        if name:
            remembered.fields[columns.normalized(name)] = field
    remembered.sources[call_import.flavor] = source
    remembered.time_zone = time_zone
    remembered.day_first = day_first
    remembered.create_leads = create_leads
    remembered.save()


def _locked(call_import, allowed):
    """The import read again and locked for the step's start, if it is in an `allowed` state
    and no job of its is queued or running; else StepRefused."""
    call_import = CallImport.objects.select_for_update().get(pk=call_import.pk)
    if call_import.status not in allowed or active_job(call_import) is not None:
        raise StepRefused(not_now(call_import))
    return call_import


def not_now(call_import):
    if call_import.running:
        return "The import is at work already: wait until it ends."
    return f"This cannot be done now: the import is “{call_import.get_status_display()}”."


def _queue(call_import, status, job, enqueue):
    """Move the import to `status` and, unless the caller runs the step itself (`enqueue`
    False: the management command), queue its `job`, once the transaction commits."""
    call_import.status = status
    call_import.save()
    if enqueue:
        job.enqueue_once(
            key=job_key(call_import),
            organization=call_import.organization_id,
            import_id=call_import.pk,
        )
    return call_import


def _reset(call_import):
    """Start the counters and the rows' bookkeeping of a new step."""
    for name in (*COUNTS, "rows_done", "position"):
        setattr(call_import, name, 0)
    RejectedRow.objects.filter(call_import=call_import).delete()
    SeenId.objects.filter(call_import=call_import).delete()


@transaction.atomic
def import_start_preview(call_import, *, enqueue=True):
    """Queue the dry run: every row checked, nothing written. Return the import."""
    from imports.jobs import preview_import

    call_import = _locked(call_import, (CallImport.Status.NEW, CallImport.Status.PREVIEWED))
    _reset(call_import)
    call_import.rows_total = None
    return _queue(call_import, CallImport.Status.PREVIEWING, preview_import, enqueue)


@transaction.atomic
def import_start(call_import, *, enqueue=True):
    """Queue the import of a previewed file; or, for an import whose job failed, queue it
    again: it resumes after its last committed batch. Return the import."""
    from imports.jobs import commit_import

    call_import = _locked(call_import, (CallImport.Status.PREVIEWED, CallImport.Status.IMPORTING))
    if call_import.status == CallImport.Status.PREVIEWED:
        _reset(call_import)
    return _queue(call_import, CallImport.Status.IMPORTING, commit_import, enqueue)


@transaction.atomic
def import_start_revert(call_import, *, enqueue=True):
    """Queue the revert of an import, done or stopped half-way: the calls it created go.
    Return the import."""
    from imports.jobs import revert_import

    allowed = (
        CallImport.Status.IMPORTED,
        CallImport.Status.IMPORTING,
        CallImport.Status.REVERTING,
    )
    call_import = _locked(call_import, allowed)
    return _queue(call_import, CallImport.Status.REVERTING, revert_import, enqueue)


def _in_status(import_id, status):
    """The import, if it is (still) in `status`; else None: a job left over has nothing to do."""
    call_import = CallImport.objects.select_related("organization", "created_by").get(pk=import_id)
    return call_import if call_import.status == status else None


def run_preview(import_id, *, progress=None):
    """The dry run: read every row as the import would, and count; write no call, no lead."""
    call_import = _in_status(import_id, CallImport.Status.PREVIEWING)
    if call_import is None:
        return None
    try:
        _run_rows(call_import, write=False, progress=progress)
    except FileRefused as error:
        call_import.status, call_import.reason = CallImport.Status.REFUSED, str(error)
        call_import.save(update_fields=["status", "reason", "date_updated"])
        return call_import
    call_import.refresh_from_db()
    call_import.rows_total = call_import.rows_done
    call_import.preview = {**call_import.counts, "rows": call_import.rows_done}
    call_import.status = CallImport.Status.PREVIEWED
    call_import.save()
    SeenId.objects.filter(call_import=call_import).delete()
    return call_import


def run_import(import_id, *, progress=None):
    """The import: every row written, a batch per transaction, from where it stopped."""
    call_import = _in_status(import_id, CallImport.Status.IMPORTING)
    if call_import is None:
        return None
    _run_rows(call_import, write=True, progress=progress)
    call_import.refresh_from_db()
    call_import.rows_total = call_import.rows_done
    call_import.status = CallImport.Status.IMPORTED
    call_import.date_imported = timezone.now()
    call_import.save()
    SeenId.objects.filter(call_import=call_import).delete()
    return call_import


def _run_rows(call_import, *, write, progress):
    importer = Importer(call_import, write=write)
    reader = RowReader(call_import.file.open("rb"), call_import.delimiter)
    try:
        rows = iter(reader)
        for _ in islice(rows, call_import.rows_done):
            pass  # committed by an earlier attempt
        while batch := list(islice(rows, settings.IMPORT_BATCH_ROWS)):
            try:
                _run_batch(call_import, importer, batch, reader.position)
            except IntegrityError as error:
                # Another import wrote calls with the same ids meanwhile: the next attempt
                # finds them, and updates them.
                raise TransientError(f"The calls changed during the import ({error}).") from None
            if progress is not None:
                progress(call_import)
    finally:
        reader.close()


@transaction.atomic
def _run_batch(call_import, importer, batch, position):
    result = importer.run(batch)
    SeenId.objects.bulk_create(result.seen)
    RejectedRow.objects.bulk_create(
        RejectedRow(call_import=call_import, line=row.line, cells=row.cells, reason=_reason(row))
        for row in result.rejected
    )
    counts = {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": len(result.rejected),
        "leads_created": result.leads_created,
        "rows_done": len(batch),
    }
    CallImport.objects.filter(pk=call_import.pk).update(
        **{name: F(name) + value for name, value in counts.items()},
        position=position,
        date_updated=timezone.now(),
    )
    for name, value in counts.items():
        setattr(call_import, name, getattr(call_import, name) + value)
    call_import.position = position


def _reason(row):
    return "; ".join(row.errors)


def run_revert(import_id, *, progress=None):
    """Delete the calls the import created, through the services, a batch per transaction;
    then the leads it created, unless calls were logged on them since. The calls it updated
    stay as they are."""
    call_import = _in_status(import_id, CallImport.Status.REVERTING)
    if call_import is None:
        return None
    actor = call_import.created_by
    created = Call.objects.filter(organization=call_import.organization, import_id=call_import.pk)
    while calls := list(created.order_by()[: settings.IMPORT_BATCH_ROWS]):
        with transaction.atomic():
            activities.calls_delete(calls, deleted_by=actor)
            CallImport.objects.filter(pk=call_import.pk).update(
                reverted_calls=F("reverted_calls") + len(calls)
            )
        call_import.reverted_calls += len(calls)
        if progress is not None:
            progress(call_import)
    for created_lead in CreatedLead.objects.filter(call_import=call_import).select_related("lead"):
        with transaction.atomic():
            if not Call.objects.filter(lead=created_lead.lead_id).exists():
                leads.lead_delete(created_lead.lead, deleted_by=actor)
                CallImport.objects.filter(pk=call_import.pk).update(
                    reverted_leads=F("reverted_leads") + 1
                )
    call_import.refresh_from_db()
    call_import.status = CallImport.Status.REVERTED
    call_import.save(update_fields=["status", "date_updated"])
    return call_import


def sample_rows(call_import, count=3):
    """The file's first rows, shown beside its columns."""
    reader = RowReader(call_import.file.open("rb"), call_import.delimiter)
    try:
        return [cells for _, cells in islice(reader, count)]
    except FileRefused:
        return []
    finally:
        reader.close()


def first_errors(call_import, count=ERRORS_SHOWN):
    return list(call_import.rejected_rows.all()[:count])


def error_rows(call_import):
    """The error CSV's rows: the header and an `error` column, then each rejected row as the
    file had it, with why."""
    header = list(call_import.header)
    taken = {name.casefold() for name in header}
    yield [*header, "error" if "error" not in taken else "import error"]
    rows = call_import.rejected_rows.order_by("line").values_list("cells", "reason")
    for cells, reason in rows.iterator(chunk_size=2000):
        yield [*cells, *[""] * (len(header) - len(cells)), reason]


@transaction.atomic
def import_delete(call_import):
    """Forget an import (its calls stay); its stored file leaves storage on commit."""
    if call_import.running or active_job(call_import) is not None:
        raise StepRefused(not_now(call_import))
    stored = call_import.file
    call_import.delete()
    transaction.on_commit(functools.partial(stored.storage.delete, stored.name), robust=True)
