from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import ApiKey, Membership, Organization, User


def _check(argument, model, field_name, value):
    """Validate `value` as a form would for `model`'s field; name `argument` in any error."""
    try:
        model._meta.get_field(field_name).clean(value, None)
    except ValidationError as error:
        raise CommandError(f"{argument} {value!r}: {' '.join(error.messages)}") from None


class Command(BaseCommand):
    help = (
        "Issue an API key for USERNAME in an organization, creating the user, the organization "
        "and the membership when they don't exist yet. The key is printed alone on the last line "
        "of the output; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organization", required=True, help="The organization's name.")
        parser.add_argument(
            "--role",
            choices=Membership.Role.values,
            help="The role of a new membership (default member); changes an existing one's.",
        )
        parser.add_argument("--name", default="", help="A label for the key, e.g. the script.")

    @transaction.atomic
    def handle(self, *args, username, organization, role, name, **options):
        organization = organization.strip()
        _check("USERNAME", User, "username", username)
        _check("--organization", Organization, "name", organization)
        _check("--name", ApiKey, "name", name)
        if role is not None:
            _check("--role", Membership, "role", role)

        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_unusable_password()
            user.save()
            self.stdout.write(f"Created the user {username} (no password; API only).")
        org, created = Organization.objects.get_or_create(name=organization)
        if created:
            self.stdout.write(f"Created the organization {org}.")
        membership, created = Membership.objects.get_or_create(
            user=user, organization=org, defaults={"role": role or Membership.Role.MEMBER}
        )
        if created:
            self.stdout.write(f"Added {username} to {org} as {membership.role}.")
        elif role and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
            self.stdout.write(f"Made {username} {role} of {org}.")

        _, key = ApiKey.issue(membership, name=name)
        self.stdout.write(
            f"API key for {username} in {org}. It is shown only this once; "
            f"use it as the Basic auth username with an empty password (curl -u KEY: ...):"
        )
        self.stdout.write(key)
