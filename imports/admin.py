from django.contrib import admin, messages
from django.utils.html import format_html

from accounts import roles
from accounts.admin_scoping import OrganizationScopedAdmin
from imports import services
from imports.models import CallImport


@admin.register(CallImport)
class CallImportAdmin(OrganizationScopedAdmin):
    """The organizations' imports, read-only: each one's step and counts, a link to its page
    (where it goes on), and an action to revert. Deleting one forgets it and its stored file;
    the calls it wrote stay."""

    list_display = (
        "filename",
        "organization",
        "status",
        "created_by",
        "date_created",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "page",
    )
    list_filter = ("status", "organization")
    list_select_related = ("organization", "created_by")
    search_fields = ("filename", "source")
    date_hierarchy = "date_created"
    actions = ["revert"]
    exclude = ("file", "header", "columns", "preview")

    def get_readonly_fields(self, request, obj=None):
        names = [field.name for field in CallImport._meta.fields if field.name not in self.exclude]
        return [*names, "page"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing is edited here; "change" on the list is what the revert action asks for.
        return obj is None and self.role_allows(request, roles.can_import_calls)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.running:
            return False
        return super().has_delete_permission(request, obj) and self.role_allows(
            request, roles.can_import_calls, obj
        )

    @admin.display(description="page")
    def page(self, call_import):
        return format_html('<a href="{}">Open</a>', call_import.get_absolute_url())

    @admin.action(description="Revert the selected imports", permissions=["change"])
    def revert(self, request, queryset):
        started = 0
        for call_import in queryset:
            try:
                services.import_start_revert(call_import)
            except services.StepRefused as error:
                self.message_user(request, f"{call_import}: {error}", messages.WARNING)
            else:
                started += 1
        if started:
            self.message_user(request, f"{started} revert(s) started.", messages.SUCCESS)

    def delete_model(self, request, obj):
        try:
            services.import_delete(obj)
        except services.StepRefused as error:
            self.message_user(request, f"{obj}: {error}", messages.WARNING)

    def delete_queryset(self, request, queryset):
        for call_import in queryset:
            self.delete_model(request, call_import)
