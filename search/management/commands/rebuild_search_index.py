from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from search import index


class Command(BaseCommand):
    help = (
        "Write the search index again from every transcript and call note: after changing "
        "SEARCH_CONFIG, or if it ever disagrees with the calls. Writers of transcripts and "
        "notes wait for it to finish."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization's calls (its id).")

    def handle(self, *args, organization, **options):
        if organization is not None:
            organization = Organization.objects.filter(pk=organization).first()
            if organization is None:
                raise CommandError("No organization has that id.")
        rows = index.rebuild(organization)
        self.stdout.write(f"The search index has {rows:,} utterances and notes.")
