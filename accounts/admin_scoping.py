"""Who sees what in the admin: a superuser everything, an organization admin their organizations.

An organization admin is an active staff user whose Membership `accounts.roles` calls admin.
They get their access from these classes, from their memberships, and not from Django's model
permissions: those know nothing of organizations, so a permission granted through them would
open every organization's data at once. A staff user who is neither a superuser nor an
organization admin (a staff *member*) sees none of the models that use these classes: members
work in the pages and the API, where `accounts.roles` gives them what the policy gives them.
What an organization admin may do to each object is asked of `accounts.roles` too
(`role_allows`), as the API and the pages ask it.

Objects reach an admin's views only through its `get_queryset()`, and every choice list, list
filter and autocomplete through the related model's admin's `scope()`, so what an organization
admin cannot see does not exist for them: another organization's call is a "doesn't exist" page,
another organization's lead id posted in a form is "Select a valid choice".
"""

from django.contrib import admin
from django.contrib.admin.sites import NotRegistered
from django.contrib.admin.utils import get_fields_from_path
from django.db import models

from accounts import roles
from accounts.models import Membership


def administered_memberships(request):
    """Return {organization id: Membership} of what the request's user administers (cached)."""
    if not hasattr(request, "_administered_memberships"):
        user = request.user
        memberships = {}
        if user.is_active and user.is_staff:
            memberships = {
                membership.organization_id: membership
                for membership in Membership.objects.filter(user=user)
                if roles.is_admin(membership)
            }
        request._administered_memberships = memberships
    return request._administered_memberships


def administered_organization_ids(request):
    """Return the ids of the organizations the request's user administers."""
    return frozenset(administered_memberships(request))


def uses_the_admin(user, memberships):
    """Whether the admin has anything for `user`, given all their Memberships (the header's
    "Admin" link): a superuser, or an organization admin as `administered_memberships` says."""
    return (
        user.is_active
        and user.is_staff
        and (user.is_superuser or any(roles.is_admin(membership) for membership in memberships))
    )


def sees_many_organizations(request):
    return request.user.is_superuser or len(administered_organization_ids(request)) > 1


class OrganizationScoped:
    """What OrganizationScopedAdmin and OrganizationScopedInline share.

    `organization_field` is the lookup from the model to its Organization.
    """

    organization_field = "organization"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def scope(self, request, queryset):
        """Narrow `queryset` of this admin's model to what the request's user may see."""
        if request.user.is_superuser:
            return queryset
        lookup = f"{self.organization_field}__in"
        return queryset.filter(**{lookup: administered_organization_ids(request)})

    def organization_id_of(self, obj):
        *path, last = self.organization_field.split("__")
        for name in path:
            obj = getattr(obj, name)
        return obj.pk if last == "pk" else getattr(obj, f"{last}_id")

    def in_scope(self, request, obj=None):
        if request.user.is_superuser:
            return True
        ids = administered_organization_ids(request)
        return bool(ids) and (obj is None or self.organization_id_of(obj) in ids)

    def role_allows(self, request, rule, obj=None):
        """Whether `rule(membership)`, a rule of accounts.roles, holds for the user in `obj`'s
        organization, or (no `obj`) in one they administer. A superuser may do anything."""
        if request.user.is_superuser:
            return True
        memberships = administered_memberships(request)
        if obj is not None:
            return rule(memberships.get(self.organization_id_of(obj)))
        return any(rule(membership) for membership in memberships.values())

    def get_field_queryset(self, db, db_field, request):
        """Offer only the related objects the user may see, in every choice list."""
        queryset = super().get_field_queryset(db, db_field, request)
        related_admin = _scoped_admin(self.admin_site, db_field.remote_field.model)
        if related_admin is None:
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db)
        return related_admin.scope(request, queryset)

    def has_view_permission(self, request, obj=None):
        return self.in_scope(request, obj)

    def has_add_permission(self, request, *args):
        return self.in_scope(request)

    def has_change_permission(self, request, obj=None):
        return self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.in_scope(request, obj)


class OrganizationScopedAdmin(OrganizationScoped, admin.ModelAdmin):
    """A ModelAdmin showing each user only their organizations' objects.

    On a new object the organization is picked among the user's own (preselected when they
    have one); on an existing one it is shown but cannot be changed.
    """

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def has_module_permission(self, request):
        return self.in_scope(request)

    def get_list_filter(self, request):
        """Scope every filter on a relation, and drop the organization filter for one org."""
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                if item.split("__")[-1] == "organization" and not sees_many_organizations(request):
                    continue
                if get_fields_from_path(self.model, item)[-1].is_relation:
                    item = (item, OrganizationScopedRelatedFilter)
            filters.append(item)
        return filters

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if not sees_many_organizations(request):
            columns = [column for column in columns if column != "organization"]
        return columns

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = administered_organization_ids(request)
        if not request.user.is_superuser and len(ids) == 1:
            initial.setdefault("organization", next(iter(ids)))
        return initial

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and "organization" in form.base_fields:
            # Objects stay in their organization. (These base_fields were built for this call.)
            form.base_fields["organization"].disabled = True
        return form

    def save_formset(self, request, form, formset, change):
        """Give new inline objects their parent's organization."""
        parent_organization = getattr(form.instance, "organization_id", None)
        if parent_organization is not None and formset.fk.name != "organization":
            for inline_form in formset.forms:
                if hasattr(inline_form.instance, "organization_id"):
                    inline_form.instance.organization_id = parent_organization
        super().save_formset(request, form, formset, change)


class OrganizationScopedInline(OrganizationScoped):
    """Mix into an InlineModelAdmin: its parent is in scope already; its choice lists are scoped."""

    def has_view_permission(self, request, obj=None):
        return self.in_scope(request)

    def has_add_permission(self, request, obj=None):
        return self.in_scope(request)

    def has_change_permission(self, request, obj=None):
        return self.in_scope(request)

    def has_delete_permission(self, request, obj=None):
        return self.in_scope(request)


class OrganizationScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A list filter on a relation that offers only the objects the user may see."""

    def field_choices(self, field, request, model_admin):
        related_admin = _scoped_admin(model_admin.admin_site, field.remote_field.model)
        if related_admin is None:
            return super().field_choices(field, request, model_admin)
        visible = related_admin.scope(request, field.remote_field.model._default_manager.all())
        return field.get_choices(
            include_blank=False,
            ordering=self.field_admin_ordering(field, request, model_admin),
            limit_choices_to={"pk__in": visible.values("pk")},
        )


def _scoped_admin(admin_site, model):
    try:
        model_admin = admin_site.get_model_admin(model)
    except NotRegistered:
        return None
    return model_admin if isinstance(model_admin, OrganizationScoped) else None
