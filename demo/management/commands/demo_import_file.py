from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from demo import seed
from demo.import_file import write_year_of_calls


class Command(BaseCommand):
    help = (
        f'Write a year of calls of the "{seed.ORGANIZATION}" organization (`seed_demo` makes it) '
        "to a CSV file, as HubSpot exports calls: the file to try the import with at /imports/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file to write.")
        parser.add_argument("--rows", type=int, default=2000, help="How many calls (2,000).")

    def handle(self, *args, path, rows, **options):
        organization = Organization.objects.filter(name=seed.ORGANIZATION).first()
        if organization is None or not organization.contacts.exists():
            raise CommandError(f'No "{seed.ORGANIZATION}" with contacts: run seed_demo first.')
        with open(path, "w", newline="", encoding="utf-8") as output:
            leads = write_year_of_calls(output, organization, rows=rows)
        self.stdout.write(
            f"Wrote {rows:,} calls of {leads} leads to {path}. Sign in as admin and import it "
            "at /imports/ (the time zone: the organization's); the same file again creates "
            "nothing new, and Revert takes the calls away."
        )
