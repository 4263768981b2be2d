from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from accounts import roles
from accounts.admin_scoping import OrganizationScopedAdmin, OrganizationScopedInline
from core.admin_rows import RowColumn, RowsField
from core.admin_services import WritesThroughServices, save_inline_through
from leads import services
from leads.models import Contact, Lead
from leads.phones import digits_only, format_phone, invalid_phone_message, normalize_phone

LATEST_CALLS = 10


def clean_email(item, where):
    try:
        validate_email(item["email"])
    except ValidationError:
        raise ValidationError(f"{where}: enter a valid email address.") from None
    return {"email": item["email"], "type": item["type"] or "office"}


class ContactAdminForm(forms.ModelForm):
    phones = RowsField(
        [RowColumn("phone", "Phone"), RowColumn("type", "Type")],
        item_label="Phone",
        extra=1,
    )
    emails = RowsField(
        [RowColumn("email", "Email"), RowColumn("type", "Type")],
        item_label="Email",
        clean_item=clean_email,
        extra=1,
    )

    class Meta:
        model = Contact
        fields = ("lead", "name", "title", "phones", "emails")

    def clean_phones(self):
        """Each phone as stored, a number without + read as dialled in the lead's organization's
        region (an inline contact's lead is its form's instance's)."""
        lead = self.cleaned_data.get("lead") or getattr(self.instance, "lead", None)
        region = lead.organization.phone_region if lead else "US"
        phones = []
        for position, item in enumerate(self.cleaned_data["phones"], start=1):
            phone = normalize_phone(item["phone"], region)
            if phone is None:
                raise ValidationError(f"Phone {position}: {invalid_phone_message(region)}")
            phones.append({"phone": phone, "type": item["type"] or "office"})
        return phones

    def contact_fields(self):
        return {name: self.cleaned_data[name] for name in ("name", "title", "phones", "emails")}


def save_contact(request, stored, form):
    """Save an admin's contact form through the contact services."""
    if stored is not None:
        fields = {"lead": form.cleaned_data["lead"], **form.contact_fields()}
        return services.contact_update(stored, updated_by=request.user, fields=fields)
    lead = form.cleaned_data["lead"]
    return services.contact_create(
        organization=lead.organization,
        lead=lead,
        created_by=request.user,
        fields=form.contact_fields(),
    )


def delete_contact(request, contact):
    services.contact_delete(contact, deleted_by=request.user)


class ContactInline(OrganizationScopedInline, admin.StackedInline):
    model = Contact
    form = ContactAdminForm
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.role_allows(
            request, roles.can_delete_contact, obj
        )


@admin.register(Lead)
class LeadAdmin(WritesThroughServices, OrganizationScopedAdmin):
    services = services
    entity = "lead"
    list_display = (
        "name",
        "organization",
        "status_label",
        "contact_count",
        "last_activity_at",
        "date_created",
    )
    list_filter = ("status_label", "organization", "date_created", "last_activity_at")
    list_select_related = ("organization",)
    search_fields = ("name",)
    date_hierarchy = "date_created"
    ordering = ("-date_created",)  # explicit: Meta.ordering doesn't survive the GROUP BY
    fields = (
        "organization",
        "name",
        "status_label",
        "url",
        "description",
        "latest_calls",
        "id",
        "created_by",
        "updated_by",
        "date_created",
        "date_updated",
        "last_activity_at",
    )
    readonly_fields = (
        "latest_calls",
        "id",
        "created_by",
        "updated_by",
        "date_updated",
        "last_activity_at",
    )
    inlines = (ContactInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contact_count=Count("contacts"))

    def get_search_results(self, request, queryset, search_term):
        return queryset.search(search_term), False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.role_allows(
            request, roles.can_delete_lead, obj
        )

    @admin.display(description="contacts", ordering="contact_count")
    def contact_count(self, lead):
        return lead.contact_count

    @admin.display(description="latest calls")
    def latest_calls(self, lead):
        if lead.pk is None:
            return "—"
        calls = lead.calls.select_related("user", "outcome")[:LATEST_CALLS]
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:activities_call_change", args=[quote(call.pk)]),
                    f"{localtime(call.activity_at):%Y-%m-%d %H:%M}",
                    call.get_direction_display(),
                    call.get_disposition_display(),
                    call.user or "—",
                    call.outcome or "—",
                )
                for call in calls
            ),
        )
        if not rows:
            return "No calls yet."
        all_calls = reverse("admin:activities_call_changelist") + f"?lead__id__exact={lead.pk}"
        return format_html(
            "<table><thead><tr><th>When</th><th>Direction</th><th>Disposition</th><th>Rep</th>"
            '<th>Outcome</th></tr></thead><tbody>{}</tbody></table><p><a href="{}">All calls of '
            "this lead</a></p>",
            rows,
            all_calls,
        )

    def save_formset(self, request, form, formset, change):
        save_inline_through(
            formset, save=partial(save_contact, request), delete=partial(delete_contact, request)
        )


@admin.register(Contact)
class ContactAdmin(WritesThroughServices, OrganizationScopedAdmin):
    services = services
    entity = "contact"
    form = ContactAdminForm
    list_display = ("display_name", "lead", "organization", "title", "phone", "date_created")
    list_filter = ("organization", "date_created")
    list_select_related = ("lead", "organization")
    search_fields = ("name", "lead__name")
    date_hierarchy = "date_created"
    autocomplete_fields = ("lead",)
    readonly_fields = ("id", "date_created", "date_updated")

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.role_allows(
            request, roles.can_delete_contact, obj
        )

    @admin.display(description="name", ordering="name")
    def display_name(self, contact):
        return str(contact)

    def save_model(self, request, obj, form, change):
        stored = Contact.objects.get(pk=obj.pk) if change else None
        obj.pk = save_contact(request, stored, form).pk
        obj.refresh_from_db()

    @admin.display
    def phone(self, contact):
        return format_phone(contact.first_phone) or "—"

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        """Delete one by one, as `Contact.delete` marks each contact's lead changed."""
        for contact in queryset:
            contact.delete()

    def get_search_results(self, request, queryset, search_term):
        """Match the name, the lead's name, an email, or the digits of a phone."""
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = (
            Q(name__icontains=term)
            | Q(lead__name__icontains=term)
            | Q(email_text__icontains=term.lower())
        )
        digits = digits_only(term)
        if len(digits) >= 3:
            condition |= Q(phone_digits__contains=digits)
        return queryset.filter(condition), False
