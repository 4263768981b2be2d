"""`manage.py import_calls`: what the import page does, for operators, here and now.

    manage.py import_calls calls.csv --organization Acme --user carol [--dry-run]
    manage.py import_calls --revert import_… --organization Acme --user carol

The file is checked and stored as an upload is, its columns guessed as the page guesses them
(and remembered choices), `--column "Call notes=note"` changing any; then the dry run, then (without
`--dry-run`) the import, each run in this process, printing its progress. The import is the
page's too: a dry run left here can be imported from its page. `--user` is the organization
admin the import is made by.
"""

import zoneinfo
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts import roles
from accounts.models import Membership, Organization
from core.csv_files import CsvWriter
from imports import columns, services
from imports.files import FileRefused, column_label
from imports.models import CallImport


class Command(BaseCommand):
    help = "Import calls from a CSV file into an organization (or revert an import)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The CSV file.")
        parser.add_argument("--organization", required=True, help="Its name or id.")
        parser.add_argument("--user", required=True, help="The admin importing (a username).")
        parser.add_argument("--source", help="The system the calls come from (its ids).")
        parser.add_argument("--time-zone", help="Of the file's dates written without an offset.")
        parser.add_argument("--day-first", action="store_true", help="5/3/2024 is 5 March.")
        parser.add_argument(
            "--create-leads", action="store_true", help="Create the leads that are not found."
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="NAME=FIELD",
            help="What a column is (a field, or nothing: 'Subject='). Repeat for more.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write none.")
        parser.add_argument("--errors", help="Write the rejected rows to this CSV file.")
        parser.add_argument("--revert", metavar="IMPORT_ID", help="Revert this import instead.")

    def handle(self, *args, **options):
        organization = _organization(options["organization"])
        membership = _membership(options["user"], organization)
        if options["revert"]:
            return self.revert(organization, options["revert"])
        if not options["file"]:
            raise CommandError("Give the CSV file to import (or --revert IMPORT_ID).")
        call_import = self.upload(Path(options["file"]), organization, membership.user)
        try:
            self.configure(call_import, options)
        except CommandError:
            services.import_delete(call_import)  # nothing was done with it
            raise
        self.stdout.write(f"{call_import.id}: {call_import.filename}")
        services.import_start_preview(call_import, enqueue=False)
        call_import = services.run_preview(call_import.id, progress=self.progress)
        self.stdout.write("")
        if call_import.status == CallImport.Status.REFUSED:
            raise CommandError(call_import.reason)
        self.report(call_import, call_import.preview, "Dry run")
        if options["dry_run"]:
            self.stdout.write(f"Nothing written. Import it from {call_import.get_absolute_url()}")
        else:
            services.import_start(call_import, enqueue=False)
            call_import = services.run_import(call_import.id, progress=self.progress)
            self.stdout.write("")
            self.report(call_import, call_import.counts, "Imported")
        if options["errors"] and call_import.rejected:
            self.write_errors(call_import, options["errors"])

    def upload(self, path, organization, user):
        try:
            with path.open("rb") as handle:
                return services.import_upload(
                    organization=organization, created_by=user, file=File(handle, name=path.name)
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        except FileRefused as error:
            raise CommandError(f"{path}: {error}") from None

    def configure(self, call_import, options):
        fields = list(call_import.columns)
        names = {name.casefold(): index for index, name in enumerate(call_import.header)}
        for choice in options["column"]:
            name, _, field = choice.partition("=")
            index = names.get(name.strip().casefold())
            if index is None:
                raise CommandError(f"--column {choice}: the file has no column “{name}”.")
            field = field.strip()
            if field and field not in columns.FIELD_NAMES:
                known = ", ".join(sorted(columns.FIELD_NAMES))
                raise CommandError(f"--column {choice}: “{field}” is not one of {known}.")
            fields[index] = field
        time_zone = options["time_zone"] or call_import.time_zone
        if time_zone not in zoneinfo.available_timezones():
            raise CommandError(f"--time-zone {time_zone}: not an IANA time zone.")
        for index, field in enumerate(fields):
            shown = columns.LABELS.get(field, "(not imported)")
            self.stdout.write(f"  {column_label(call_import.header, index)}: {shown}")
        problems = columns.mapping_problems(fields)
        if problems:
            raise CommandError(" ".join(problems) + " Use --column NAME=FIELD.")
        services.import_configure(
            call_import,
            fields=fields,
            source=options["source"] or call_import.source,
            time_zone=time_zone,
            day_first=options["day_first"] or call_import.day_first,
            create_leads=options["create_leads"] or call_import.create_leads,
        )

    def progress(self, call_import):
        done, total = call_import.progress
        self.stdout.write(f"\r  {done * 100 // max(total, 1)}% ", ending="")
        self.stdout.flush()

    def report(self, call_import, counts, title):
        self.stdout.write(
            f"{title}: {counts['created']} to create, {counts['updated']} to update, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected, "
            f"{counts['leads_created']} leads to create."
            if title == "Dry run"
            else f"{title}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['rejected']} rejected, "
            f"{counts['leads_created']} leads created."
        )
        for row in services.first_errors(call_import, 10):
            self.stdout.write(f"  line {row.line}: {row.reason}")

    def write_errors(self, call_import, path):
        with open(path, "w", newline="", encoding="utf-8") as output:
            writer = CsvWriter(output)
            for row in services.error_rows(call_import):
                writer.writerow(row)
        self.stdout.write(f"Rejected rows written to {path}")

    def revert(self, organization, import_id):
        call_import = CallImport.objects.for_organization(organization).filter(pk=import_id).first()
        if call_import is None:
            raise CommandError(f"{organization} has no import {import_id}.")
        try:
            services.import_start_revert(call_import, enqueue=False)
        except services.StepRefused as error:
            raise CommandError(str(error)) from None
        call_import = services.run_revert(call_import.id, progress=self.progress)
        self.stdout.write("")
        self.stdout.write(
            f"Reverted: {call_import.reverted_calls} calls and {call_import.reverted_leads} "
            "leads deleted."
        )


def _organization(name_or_id):
    found = Organization.objects.filter(Q(pk=name_or_id) | Q(name=name_or_id)).first()
    if found is None:
        raise CommandError(f"No organization is named {name_or_id!r}.")
    return found


def _membership(username, organization):
    membership = (
        Membership.objects.filter(user__username=username, organization=organization)
        .select_related("user")
        .first()
    )
    if not roles.can_import_calls(membership):
        raise CommandError(
            f"{username} is not an admin of {organization}: {roles.can_import_calls.refusal}"
        )
    return membership
