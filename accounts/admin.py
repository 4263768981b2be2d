from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from accounts.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedInline,
    administered_organization_ids,
)
from accounts.models import ApiKey, Membership, Organization, User
from core.admin_filters import EndedFilter


class MembershipInline(OrganizationScopedInline, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)
    readonly_fields = ("date_created",)


@admin.register(Organization)
class OrganizationAdmin(OrganizationScopedAdmin):
    organization_field = "pk"
    list_display = ("name", "member_count", "date_created")
    search_fields = ("name",)
    date_hierarchy = "date_created"
    ordering = ("name",)  # explicit: Meta.ordering doesn't survive the GROUP BY
    readonly_fields = ("id", "date_created")
    fields = ("id", "name", "time_zone", "phone_region", "show_call_cost", "date_created")
    inlines = (MembershipInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, organization):
        return organization.member_count

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(OrganizationScopedAdmin):
    list_display = ("user", "organization", "role", "date_created")
    list_filter = ("role", "organization")
    list_select_related = ("user", "organization")
    ordering = ("organization__name", "user__username")
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "organization__name",
    )
    autocomplete_fields = ("user",)
    readonly_fields = ("date_created",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organization")


_GRANTS = ("is_superuser", "groups", "user_permissions")


class UserAddForm(AdminUserCreationForm):
    """Django's user creation form, plus the organization the new user joins."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), required=False)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


@admin.register(User)
class UserAdmin(OrganizationScopedAdmin, auth_admin.UserAdmin):
    """Users; an organization admin sees their organizations' members.

    They may change a member who belongs to none of the organizations they don't administer
    and is not a superuser, but never grant staff or superuser status: only a superuser opens
    the admin to someone.
    """

    organization_field = "memberships__organization"
    add_form = UserAddForm
    list_display = (
        "username",
        "display_name",
        "email",
        "organization_names",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__organization")
    date_hierarchy = "date_joined"
    fieldsets = (
        (None, {"fields": ("id", "username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email", "time_zone")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        ("Organization", {"fields": ("organization", "role")}),
    )
    readonly_fields = ("id", "last_login", "date_joined")

    def scope(self, request, queryset):
        if request.user.is_superuser:
            return queryset
        members = Membership.objects.filter(
            organization_id__in=administered_organization_ids(request)
        )
        return queryset.filter(pk__in=members.values("user_id"))

    def in_scope(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().in_scope(request)
        return self.scope(request, User.objects.filter(pk=obj.pk)).exists()

    def get_queryset(self, request):
        memberships = Membership.objects.select_related("organization")
        if not request.user.is_superuser:
            memberships = memberships.filter(
                organization_id__in=administered_organization_ids(request)
            )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=memberships))
        )

    @admin.display(description="organizations")
    def organization_names(self, user):
        return ", ".join(m.organization.name for m in user.memberships.all())

    def has_change_permission(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().has_change_permission(request, obj)
        if obj.is_superuser:
            return False
        ids = administered_organization_ids(request)
        others = Membership.objects.filter(user=obj).exclude(organization_id__in=ids)
        return self.in_scope(request, obj) and not others.exists()

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [f for f in filters if f != "is_superuser"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in _GRANTS]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, "is_staff", "is_superuser")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            organizations = Organization.objects.all()
            if not request.user.is_superuser:
                organizations = organizations.filter(pk__in=administered_organization_ids(request))
            form.base_fields["organization"] = forms.ModelChoiceField(
                queryset=organizations,
                required=not request.user.is_superuser,
                help_text="The organization the new user joins.",
            )
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        organization = form.cleaned_data.get("organization") if not change else None
        if organization is not None:
            Membership.objects.create(
                user=obj, organization=organization, role=form.cleaned_data["role"]
            )


class ApiKeyStatusFilter(EndedFilter):
    date_field = "date_revoked"
    statuses = (("active", "Active"), ("revoked", "Revoked"))


@admin.register(ApiKey)
class ApiKeyAdmin(OrganizationScopedAdmin):
    """API keys. Creating one shows the full key once, on the page after saving; never again."""

    organization_field = "membership__organization"
    list_display = ("prefix_shown", "name", "user", "organization", "date_created", "is_active")
    list_filter = (ApiKeyStatusFilter, "membership__organization")
    list_select_related = ("membership__user", "membership__organization")
    search_fields = (
        "name",
        "prefix",
        "membership__user__username",
        "membership__user__email",
        "membership__organization__name",
    )
    date_hierarchy = "date_created"
    autocomplete_fields = ("membership",)
    actions = ("revoke",)
    readonly_fields = ("prefix_shown", "date_created", "date_revoked")
    change_form_template = "admin/accounts/apikey/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("membership__user", "membership__organization")
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("membership", "name")
        return ("prefix_shown", "name", "membership", "date_created", "date_revoked")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "membership")

    @admin.display(description="key", ordering="prefix")
    def prefix_shown(self, api_key):
        return f"{api_key.prefix}…"

    @admin.display(ordering="membership__user")
    def user(self, api_key):
        return api_key.membership.user

    @admin.display(ordering="membership__organization")
    def organization(self, api_key):
        return api_key.membership.organization

    @admin.display(description="active", boolean=True)
    def is_active(self, api_key):
        return api_key.date_revoked is None

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        api_key, obj.issued_key = ApiKey.issue(obj.membership, name=obj.name)
        obj.pk = api_key.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new key, this once, instead of redirecting: it is stored nowhere."""
        context = {
            **self.admin_site.each_context(request),
            "title": "API key created",
            "opts": self.opts,
            "api_key": obj,
            "key": obj.issued_key,
            "change_url": reverse("admin:accounts_apikey_change", args=[quote(obj.pk)]),
        }
        return TemplateResponse(request, "admin/accounts/apikey/issued.html", context)

    @admin.action(description="Revoke the selected API keys")
    def revoke(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(date_revoked__isnull=True):
            api_key.revoke()
            revoked += 1
        self.message_user(request, f"Revoked {revoked} API key(s).", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="accounts_apikey_revoke",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def revoke_view(self, request, object_id):
        api_key = self.get_object(request, unquote(object_id))
        if api_key is None or not self.has_change_permission(request, api_key):
            raise Http404("No such API key.")
        if api_key.date_revoked is None:
            api_key.revoke()
            self.message_user(request, f"Revoked the API key {api_key.prefix}….", messages.SUCCESS)
        change_url = reverse("admin:accounts_apikey_change", args=[quote(api_key.pk)])
        return HttpResponseRedirect(change_url)
