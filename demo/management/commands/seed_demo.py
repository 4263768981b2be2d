from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo import seed
from transcription.demo import seed_transcribed_calls


class Command(BaseCommand):
    help = (
        f'Create the "{seed.ORGANIZATION}" organization with its users, leads and calls, and the '
        f'small "{seed.SECOND_ORGANIZATION}", unless they already have them; print how to sign in '
        "and a fresh API key for the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organization, its users and audio files, and build them again.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address the server listens on, for the instructions printed.",
        )

    def handle(self, *args, reset, url, **options):
        url = url.rstrip("/") + "/"
        with transaction.atomic():
            if reset:
                seed.remove_demo()
            organization, memberships = seed.ensure_team()
            created = not organization.leads.exists()
            if created:
                seed.DemoBuilder(organization, memberships).build()
                # The demo seeds every app; the calls with real speech are transcription's.
                users = [membership.user for membership in memberships]
                spoken = seed_transcribed_calls(organization, users, now=timezone.now())
            second = seed.ensure_second_organization()
            key = seed.issue_demo_key(memberships[0])

        calls = organization.calls.all()
        recorded = calls.exclude(recording_file="", voicemail_file="").count()
        write = self.stdout.write
        write(
            f'"{organization}" has {organization.leads.count()} leads and {calls.count()} calls, '
            f"{recorded} of them with audio and a transcript"
            + ("." if created else " (already there: left as they were; --reset rebuilds them).")
        )
        if created:
            write(
                f"{len(spoken)} more calls have recordings of real speech: the jobs worker "
                "transcribes them in the background (`make run` starts it)."
            )
        members = " and ".join(seed.SECOND_MEMBERS)
        write(
            f'"{second}" has {second.leads.count()} leads and {second.calls.count()} calls; '
            f"{members} belong to it too (switch organizations in the header)."
        )
        write(f"\nSign in at {url} with the password {seed.PASSWORD!r} as:")
        for membership in memberships:
            user = membership.user
            role = membership.role + (f", superuser: {url}admin/" if user.is_superuser else "")
            write(f"  {user.username:<6} {user.get_full_name()} ({role})")
        admin = memberships[0].user.username
        write(f"\nAPI key for {admin}, new on every run (the one printed before no longer works):")
        write(f"  {key}")
        write(f"  curl -u {key}: '{url}api/v1/activity/call/?_limit=2'")
