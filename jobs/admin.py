from django.contrib import admin, messages
from django.utils.html import format_html
from django_tasks_db.models import DBTaskResult

from accounts.admin_scoping import OrganizationScopedAdmin
from jobs.models import Job
from jobs.services import job_retry

# The backend's own rows only say that a worker took a job's id: the jobs below are the view.
admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(OrganizationScopedAdmin):
    """Queued, running, done and failed jobs, read-only, with "retry" for failed ones.

    Organization admins see their organizations' jobs; jobs of no organization (the
    housekeeping's own) only superusers see.
    """

    list_display = (
        "id",
        "short_name",
        "key",
        "organization",
        "status_label",
        "attempts_label",
        "reason",
        "created_at",
        "finished_at",
    )
    list_display_links = ("id", "short_name")
    list_filter = ("status", "name", "organization")
    list_select_related = ("organization",)
    search_fields = ("key", "name")
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = (
        "name",
        "key",
        "organization",
        "kwargs",
        "queue",
        "status",
        "attempts",
        "max_attempts",
        "reason",
        "formatted_error",
        "run_at",
        "dispatched_at",
        "started_at",
        "heartbeat_at",
        "worker",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # The list shows neither; a job's page loads them when it shows them.
        return super().get_queryset(request).defer("kwargs", "error")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # A job is never edited, so its page is view-only; "change" on the list is what
        # Django asks of the retry action.
        return obj is None and self.in_scope(request)

    @admin.display(description="job", ordering="name")
    def short_name(self, job):
        return job.short_name

    @admin.display(description="status", ordering="status")
    def status_label(self, job):
        return "Retrying" if job.is_retrying else job.get_status_display()

    @admin.display(description="attempts")
    def attempts_label(self, job):
        return f"{job.attempts} of {job.max_attempts}"

    @admin.display(description="error")
    def formatted_error(self, job):
        return format_html("<pre>{}</pre>", job.error) if job.error else "-"

    @admin.action(description="Retry the selected failed jobs", permissions=["change"])
    def retry(self, request, queryset):
        failed = queryset.filter(status=Job.Status.FAILED)
        retried = sum(job_retry(job) for job in failed)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(request, f"{retried} job(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} job(s) left as they are: only failed jobs are retried, and not "
                "while another job with the same key is queued or running.",
                messages.WARNING,
            )
