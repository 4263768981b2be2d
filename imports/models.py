from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.ids import PublicIdField
from accounts.models import Organization
from leads.models import Lead


class CallImportQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)


class CallImport(models.Model):
    """One CSV file of calls, from its upload to its report (or its revert).

    new (columns to choose) → previewing (the dry run) → previewed → importing → imported →
    reverting → reverted. The counters are the running step's: the dry run's until it ends
    (then kept in `preview`), the import's after. `rows_done` says how far the step has come:
    an import resumes after its last committed batch.
    """

    class Status(models.TextChoices):
        NEW = "new", "Columns to choose"
        PREVIEWING = "previewing", "Dry run"
        PREVIEWED = "previewed", "Ready to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        REVERTING = "reverting", "Reverting"
        REVERTED = "reverted", "Reverted"
        REFUSED = "refused", "File refused"

    RUNNING = (Status.PREVIEWING, Status.IMPORTING, Status.REVERTING)

    id = PublicIdField(prefix="import")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255)
    filename = models.CharField(max_length=255, help_text="The file's name as uploaded.")
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    delimiter = models.CharField(max_length=1)
    header = models.JSONField(default=list, help_text="The columns' names, in order.")
    flavor = models.CharField(max_length=16, help_text="Whose export the file looks like.")
    columns = models.JSONField(
        default=list, blank=True, help_text="The call field each column feeds, in order."
    )
    source = models.CharField(
        max_length=64, help_text="The system the calls come from: their ids are its ids."
    )
    time_zone = models.CharField(max_length=64, help_text="Dates without an offset are in it.")
    day_first = models.BooleanField(default=False, help_text="3/5/2024 is 3 May.")
    create_leads = models.BooleanField(
        default=False, help_text="Rows whose lead is not found create one."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    reason = models.TextField(blank=True, help_text="Why the file was refused.")
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    position = models.PositiveBigIntegerField(default=0, help_text="Bytes read so far.")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    leads_created = models.PositiveIntegerField(default=0)
    preview = models.JSONField(default=dict, blank=True, help_text="The dry run's counts.")
    reverted_calls = models.PositiveIntegerField(default=0)
    reverted_leads = models.PositiveIntegerField(default=0)
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(auto_now=True)
    date_imported = models.DateTimeField(null=True, blank=True)

    objects = CallImportQuerySet.as_manager()

    class Meta:
        ordering = ["-date_created"]
        indexes = [models.Index(fields=["organization", "-date_created"], name="import_org")]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.id])

    @property
    def running(self):
        return self.status in self.RUNNING

    @property
    def counts(self):
        return {name: getattr(self, name) for name in COUNTS}

    @property
    def progress(self):
        """(done, total) of the running step: rows once they are counted, else bytes read."""
        if self.status == self.Status.REVERTING:
            return self.reverted_calls, self.created or 1
        if self.rows_total:
            return self.rows_done, self.rows_total
        return self.position, self.size or 1


COUNTS = ("created", "updated", "unchanged", "rejected", "leads_created")


class RejectedRow(models.Model):
    """A row the running step refused, as the file had it, and why: the error CSV's rows."""

    call_import = models.ForeignKey(
        CallImport, on_delete=models.CASCADE, related_name="rejected_rows"
    )
    line = models.PositiveIntegerField()
    cells = models.JSONField(default=list)
    reason = models.TextField()

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["call_import", "line"], name="import_rejected_line")]

    def __str__(self):
        return f"line {self.line}: {self.reason}"


class SeenId(models.Model):
    """An id the running step has met, and on which line: a later row with it is a duplicate.

    Kept in the database, not in memory, so that a file of any length is read in bounded
    memory; each batch adds its own in its transaction, and they go when the step ends.
    """

    call_import = models.ForeignKey(CallImport, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=200)
    line = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call_import", "external_id"], name="import_seen_once")
        ]

    def __str__(self):
        return self.external_id


class CreatedLead(models.Model):
    """A lead an import created (for rows whose lead it did not find): a revert deletes it,
    if no call is left on it."""

    call_import = models.ForeignKey(
        CallImport, on_delete=models.CASCADE, related_name="created_leads"
    )
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return str(self.lead_id)


class RememberedColumns(models.Model):
    """What an organization chose for its last imports, proposed again next time: the field of
    each column name, and the other choices."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="import_columns"
    )
    fields = models.JSONField(default=dict, help_text="{normalized column name: field}")
    sources = models.JSONField(default=dict, help_text="{flavor: source}")
    time_zone = models.CharField(max_length=64, blank=True)
    day_first = models.BooleanField(default=False)
    create_leads = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "remembered columns"

    def __str__(self):
        return f"Import columns of {self.organization}"
