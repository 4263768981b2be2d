from functools import partial

from django.contrib import admin, messages

from accounts import roles
from accounts.admin_scoping import OrganizationScopedAdmin, OrganizationScopedRelatedFilter
from core.admin_services import WritesThroughServices
from followups import services
from followups.models import Task


class AssigneeFilter(OrganizationScopedRelatedFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "assigned to"


@admin.register(Task)
class TaskAdmin(WritesThroughServices, OrganizationScopedAdmin):
    """Follow-up tasks. Saving goes through the task services, as the API and the pages do."""

    services = services
    entity = "task"
    list_display = (
        "title",
        "type",
        "lead",
        "assigned_to",
        "due",
        "is_complete",
        "organization",
        "date_created",
    )
    list_filter = (
        "is_complete",
        "type",
        ("assigned_to", AssigneeFilter),
        "organization",
        "date",
        "due_at",
    )
    list_select_related = ("lead", "contact", "assigned_to", "organization")
    search_fields = ("text", "lead__name")
    search_help_text = "Words of the task, or a lead's name."
    date_hierarchy = "date_created"
    show_full_result_count = False
    autocomplete_fields = ("lead", "contact", "assigned_to")
    actions = ("complete",)
    fields = (
        "organization",
        "type",
        "lead",
        "contact",
        "assigned_to",
        "text",
        ("date", "due_at"),
        "is_complete",
        ("object_type", "object_id"),
        ("created_by", "date_created"),
        ("updated_by", "date_updated"),
        "id",
    )
    readonly_fields = (
        "object_type",
        "object_id",
        "created_by",
        "updated_by",
        "date_created",
        "date_updated",
        "id",
    )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def _may_change(self, request, task):
        rule = partial(roles.can_change_task, task=task)
        return task is None or self.role_allows(request, rule, task)

    @admin.display(description="task", ordering="text")
    def title(self, task):
        return task.title

    @admin.display(description="due", ordering="date")
    def due(self, task):
        return task.due_at or task.date or "—"

    @admin.action(description="Mark the selected tasks done", permissions=["change"])
    def complete(self, request, queryset):
        tasks = [
            task for task in queryset.filter(is_complete=False) if self._may_change(request, task)
        ]
        for task in tasks:
            services.task_complete(task, completed_by=request.user)
        self.message_user(request, f"Marked {len(tasks)} task(s) done.", messages.SUCCESS)
