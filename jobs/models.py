from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Organization


class JobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Job.ACTIVE)

    def latest_by_key(self, keys):
        """Return {key: the newest job with that key} for the `keys` that have one."""
        newest = (
            self.filter(key__in=[key for key in keys if key])
            .values("key")
            .annotate(newest=Max("id"))
            .values("newest")
        )
        return {job.key: job for job in self.filter(id__in=newest)}


class Job(models.Model):
    """One background job: what to run, for whom, and how its attempts went.

    The task backend (database or RQ) only carries the job's id to a worker; this row is the
    job's state, the same whichever backend runs it.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    name = models.CharField(max_length=200, help_text="Dotted path of the job function.")
    key = models.CharField(
        max_length=200,
        blank=True,
        help_text="Names the logical job: at most one job per key is queued or running.",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kwargs = models.JSONField(default=dict, blank=True)
    queue = models.CharField(max_length=32, default="default")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0, help_text="Attempts started so far.")
    max_attempts = models.PositiveIntegerField()
    reason = models.TextField(
        blank=True, help_text="Why the last attempt failed, in words users are shown."
    )
    error = models.TextField(blank=True, help_text="The last failure's traceback, for admins.")
    run_at = models.DateTimeField(
        default=timezone.now, help_text="The next attempt's earliest time."
    )
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next attempt was handed to the task backend."
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="The running attempt's last sign of life."
    )
    worker = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["key"], name="jobs_key"),
            models.Index(fields=["status", "run_at"], name="jobs_status_run_at"),
            models.Index(fields=["organization", "status"], name="jobs_organization_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status__in=["queued", "running"]) & ~Q(key=""),
                name="jobs_one_active_job_per_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="jobs_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.short_name} #{self.pk}"

    @property
    def short_name(self):
        return self.name.rsplit(".", 1)[-1]

    @property
    def definition(self):
        """Return the JobDefinition this job runs (importing its module)."""
        from jobs.definitions import JobDefinition

        definition = import_string(self.name)
        if not isinstance(definition, JobDefinition):
            raise ImportError(f"{self.name} is not a job")
        return definition

    @property
    def is_retrying(self):
        """Queued again after a failed attempt."""
        return self.status == self.Status.QUEUED and self.attempts > 0
