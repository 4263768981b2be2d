import hashlib
import hmac
import secrets
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from accounts import key_lookup
from accounts.ids import PublicIdField
from core.form_rendering import read_once


class User(AbstractUser):
    id = PublicIdField(prefix="user")
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        help_text="IANA time zone the pages show times in, e.g. Europe/Paris.",
    )

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self):
        return self.get_full_name() or self.username


def organization_members(organization):
    """Return the users of `organization` (an Organization or its id), by name."""
    return User.objects.filter(memberships__organization=organization).order_by(
        "first_name", "last_name", "username"
    )


def listed_members(organization):
    """`organization_members` of `organization` (an Organization) as a page's pick lists of
    reps show them: read once for the request's `organization` (`read_once`)."""
    return read_once(organization, "members", lambda: organization_members(organization))


def validate_time_zone(name):
    if name not in zoneinfo.available_timezones():
        raise ValidationError("Enter an IANA time zone, such as Europe/Paris.")


validate_region = RegexValidator(
    r"^[A-Z]{2}\Z", "Enter a two-letter country code in capitals, such as US or GB."
)


class Organization(models.Model):
    id = PublicIdField(prefix="orga")
    name = models.CharField(max_length=200, unique=True)
    date_created = models.DateTimeField(default=timezone.now, editable=False)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="The team's IANA time zone: the days and hours its reports count calls in.",
    )
    phone_region = models.CharField(
        "default phone region",
        max_length=2,
        default="US",
        validators=[validate_region],
        help_text="The country (ISO 3166 code) of phone numbers typed without a +.",
    )
    show_call_cost = models.BooleanField(
        default=False, help_text="Whether reps see and type what each call cost."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    date_created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.role})"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(date_revoked__isnull=True)

    def authenticate(self, key):
        """Return the active key matching `key`, with its user and organization, or None."""
        digest = hash_key(key)
        if key_lookup.lookup_statement(self.model, self.db) is not None:
            api_key = key_lookup.looked_up(self.model, self.db, digest)
        else:
            api_key = (
                self.active()
                .filter(hashed_key=digest, membership__user__is_active=True)
                .select_related("membership__user", "membership__organization")
                .first()
            )
        if api_key is None or not hmac.compare_digest(api_key.hashed_key, digest):
            return None
        return api_key


class ApiKey(models.Model):
    """An API key of one member of one organization. Only its hash is stored."""

    PREFIX_LENGTH = 12

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    hashed_key = models.CharField(max_length=64, unique=True, editable=False)
    date_created = models.DateTimeField(default=timezone.now, editable=False)
    date_revoked = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"

    def __str__(self):
        return f"{self.prefix}… ({self.membership.user})"

    @classmethod
    def issue(cls, membership, name=""):
        """Create a key for `membership`; return (api_key, the full key to show once)."""
        key = "api_" + secrets.token_urlsafe(32)
        api_key = cls.objects.create(
            membership=membership,
            name=name,
            prefix=key[: cls.PREFIX_LENGTH],
            hashed_key=hash_key(key),
        )
        return api_key, key

    def revoke(self):
        self.date_revoked = timezone.now()
        self.save(update_fields=["date_revoked"])

    @property
    def organization(self):
        return self.membership.organization

    @property
    def user(self):
        return self.membership.user
