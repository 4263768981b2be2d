from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organization
from activities.models import Call
from insights import tallies


class Command(BaseCommand):
    help = (
        "Recompute the insights tallies from the calls table (of one organization, or of all). "
        "Safe while the site runs: call writes wait for it and are counted after it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="An organization's id (orga_...).")

    def handle(self, *args, organization=None, **options):
        scope = None
        if organization is not None:
            scope = Organization.objects.filter(pk=organization).first()
            if scope is None:
                raise CommandError(f"No organization {organization!r}.")
        tallies.rebuild(scope)
        calls = Call.objects.filter(**({} if scope is None else {"organization": scope})).count()
        where = "every organization" if scope is None else str(scope)
        self.stdout.write(f"Tallied {calls} call{'s' if calls != 1 else ''} of {where}.")
