"""The import's jobs, run by the workers of the jobs app: the dry run, the import, the revert.

Each job runs its step from where the import stands (imports/services.py): taken up again after
its worker died, it resumes after the last committed batch. A file found unreadable half-way
ends the step with its reason, shown on the import's page.
"""

from imports import services
from imports.files import FileRefused
from jobs import PermanentError, job


@job
def preview_import(import_id):
    services.run_preview(import_id)


@job
def commit_import(import_id):
    try:
        services.run_import(import_id)
    except FileRefused as error:  # the dry run read this file whole: it has been changed
        raise PermanentError(str(error)) from error


@job
def revert_import(import_id):
    services.run_revert(import_id)
