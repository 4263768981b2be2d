"""The import pages: the organization's imports and the upload, then one import's page through
its steps (columns, dry run, import, report, revert). Organization admins only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_POST, require_safe

from accounts import roles
from accounts.tenancy import current_membership, current_organization
from core.csv_files import csv_download
from core.large_uploads import accepts_large_uploads
from imports import services
from imports.files import FileRefused
from imports.forms import ColumnsForm, UploadForm
from imports.models import CallImport
from jobs import latest_job

IMPORTS_LISTED = 50


def _require_importer(request):
    roles.require(roles.can_import_calls, current_membership(request))


def _get_import(request, import_id):
    _require_importer(request)
    imports = CallImport.objects.for_organization(current_organization(request))
    return get_object_or_404(imports.select_related("created_by"), pk=import_id)


@accepts_large_uploads
@login_required
def import_list(request):
    _require_importer(request)
    organization = current_organization(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call_import = services.import_upload(
                organization=organization, created_by=request.user, file=form.cleaned_data["file"]
            )
        except FileRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect(call_import)
    imports = CallImport.objects.for_organization(organization).select_related("created_by")
    return render(
        request,
        "imports/import_list.html",
        {"form": form, "imports": imports[:IMPORTS_LISTED]},
    )


@login_required
def import_detail(request, import_id):
    """The import's page, as its step has it; its columns form starts the dry run."""
    call_import = _get_import(request, import_id)
    form = None
    if call_import.status in (CallImport.Status.NEW, CallImport.Status.PREVIEWED):
        form = ColumnsForm(
            request.POST or None,
            call_import=call_import,
            samples=services.sample_rows(call_import),
        )
    if request.method == "POST":
        if form is not None and form.is_valid():
            return _preview(request, call_import, form)
        if form is None:
            messages.error(request, services.not_now(call_import))
            return redirect(call_import)
    job = latest_job(services.job_key(call_import))
    context = {
        "call_import": call_import,
        "form": form,
        "stopped": job if call_import.running and job and job.status == job.Status.FAILED else None,
        "errors": services.first_errors(call_import),
        "progress": _progress(call_import),
    }
    return render(request, "imports/import_detail.html", context)


def _preview(request, call_import, form):
    try:
        services.import_configure(
            call_import,
            fields=form.chosen,
            source=form.cleaned_data["source"],
            time_zone=form.cleaned_data["time_zone"],
            day_first=form.cleaned_data["day_first"],
            create_leads=form.cleaned_data["create_leads"],
        )
        services.import_start_preview(call_import)
    except services.StepRefused as error:
        messages.error(request, str(error))
    return redirect(call_import)


def _start(request, import_id, start, done):
    call_import = _get_import(request, import_id)
    try:
        start(call_import)
    except services.StepRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(call_import)


@login_required
@require_POST
def import_commit(request, import_id):
    return _start(request, import_id, services.import_start, "The import has started.")


@login_required
@require_POST
def import_revert(request, import_id):
    message = "The revert has started: the calls this import created are being deleted."
    return _start(request, import_id, services.import_start_revert, message)


def _progress(call_import):
    done, total = call_import.progress
    return {"done": done, "total": total, "percent": min(100, done * 100 // max(total, 1))}


@login_required
@require_safe
def import_progress(request, import_id):
    """The progress of the running step alone, which the page fetches to replace its own
    (js/imports.js); once the step has ended, the page reloads itself."""
    call_import = _get_import(request, import_id)
    context = {"call_import": call_import, "progress": _progress(call_import)}
    return render(request, "imports/progress.html", context)


@login_required
@require_safe
def import_errors(request, import_id):
    """The error CSV: each rejected row as the file had it, and an `error` column."""
    call_import = _get_import(request, import_id)
    name = get_valid_filename(call_import.filename.rsplit(".", 1)[0]) or "calls"
    return csv_download(services.error_rows(call_import), f"{name}-errors.csv")
