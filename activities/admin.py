from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q

from accounts import roles
from accounts.admin_scoping import (
    OrganizationScopedAdmin,
    OrganizationScopedInline,
    OrganizationScopedRelatedFilter,
    sees_many_organizations,
)
from activities import services
from activities.costs import CostField, format_dollars
from activities.csv_export import calls_csv_response
from activities.models import Call, Outcome, Transcript, validate_utterances
from activities.widgets import RichTextEditor
from core.admin_filters import EndedFilter
from core.admin_rows import RowColumn, RowsField
from core.admin_services import WritesThroughServices, save_inline_through
from core.large_uploads import accepts_large_uploads
from leads.phones import digits_only, invalid_phone_message, normalize_phone

UTTERANCE_COLUMNS = [
    RowColumn("speaker_label", "Speaker"),
    RowColumn("speaker_side", "Side", "select", (("contact", "Contact"), ("close-user", "Rep"))),
    RowColumn("start", "Start (s)", "number"),
    RowColumn("end", "End (s)", "number"),
    RowColumn("text", "Text", "textarea"),
]


class TranscriptForm(forms.ModelForm):
    """A transcript: utterances as rows, the summary in the note editor, its text derived by
    the transcript services."""

    utterances = RowsField(
        UTTERANCE_COLUMNS, item_label="Utterance", validators=[validate_utterances]
    )

    class Meta:
        model = Transcript
        fields = ("call", "kind", "utterances", "summary_html")
        labels = {"summary_html": "Summary"}
        widgets = {"summary_html": RichTextEditor(label="Summary")}

    def transcript_fields(self):
        """Return the cleaned values as `services.transcript_save` takes them."""
        fields = {name: self.cleaned_data[name] for name in ("call", "kind", "utterances")}
        fields["summary_html"] = self.cleaned_data["summary_html"] or None  # blank: no summary
        return fields


def save_transcript(request, stored, form):
    return services.transcript_save(
        stored or Transcript(), actor=request.user, fields=form.transcript_fields()
    )


class TranscriptInline(OrganizationScopedInline, admin.StackedInline):
    model = Transcript
    form = TranscriptForm
    extra = 0
    max_num = len(Transcript.Kind.choices)
    readonly_fields = ("summary_text",)


def https_urls(db_field, **kwargs):
    """Make URL form fields assume https, Django 6's default, as the admin's own fields do."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class CallAdminForm(forms.ModelForm):
    cost = CostField(required=False, help_text="What the call cost, in dollars: 0.25.")

    class Meta:
        model = Call
        formfield_callback = https_urls
        fields = (
            "organization",
            "lead",
            "contact",
            "user",
            "activity_at",
            "direction",
            "status",
            "disposition",
            "call_method",
            "duration",
            "cost",
            "outcome",
            "phone",
            "local_phone",
            "note_html",
            "recording_url",
            "recording_file",
            "voicemail_url",
            "voicemail_file",
            "voicemail_duration",
        )
        labels = {"user": "Rep", "call_method": "Method", "note_html": "Note"}
        widgets = {"note_html": RichTextEditor()}

    def clean_phone(self):
        """The number as stored; one without + is read as dialled in the call's organization's
        region."""
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""
        organization = self.cleaned_data.get("organization")
        region = organization.phone_region if organization else "US"
        stored = normalize_phone(phone, region)
        if stored is None:
            raise ValidationError(invalid_phone_message(region))
        return stored


class RepFilter(OrganizationScopedRelatedFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "rep"


@admin.register(Call)
class CallAdmin(WritesThroughServices, OrganizationScopedAdmin):
    """Calls. Saving goes through the call services, as the API and the rep's form do."""

    services = services
    entity = "call"
    form = CallAdminForm
    list_display = (
        "when",
        "lead",
        "contact",
        "rep",
        "direction",
        "disposition",
        "call_method",
        "duration_shown",
        "cost_shown",
        "outcome",
        "organization",
    )
    list_filter = (
        "disposition",
        "direction",
        "call_method",
        "outcome",
        ("user", RepFilter),
        "organization",
        "activity_at",
    )
    list_select_related = ("lead", "contact", "user", "outcome", "organization")
    search_fields = ("lead__name", "phone", "note")
    search_help_text = "A lead's name, a phone number or words of the note."
    date_hierarchy = "activity_at"
    show_full_result_count = False
    autocomplete_fields = ("lead", "contact", "user")
    actions = ("export_csv",)
    inlines = (TranscriptInline,)
    readonly_fields = (
        "plaintext_note",
        "id",
        "source",
        "date_answered",
        "created_by",
        "updated_by",
        "date_created",
        "date_updated",
    )
    fieldsets = (
        (None, {"fields": ("organization", "lead", "contact", "user", "activity_at")}),
        (
            "Call",
            {
                "fields": (
                    ("direction", "status"),
                    ("disposition", "call_method"),
                    ("duration", "cost"),
                    "outcome",
                    ("phone", "local_phone"),
                )
            },
        ),
        ("Note", {"fields": ("note_html", "plaintext_note")}),
        (
            "Recording and voicemail",
            {
                "classes": ("collapse",),
                "fields": (
                    "recording_url",
                    "recording_file",
                    "voicemail_url",
                    "voicemail_file",
                    "voicemail_duration",
                ),
            },
        ),
        (
            "Record",
            {
                "classes": ("collapse",),
                "fields": (
                    "id",
                    "source",
                    "date_answered",
                    ("created_by", "date_created"),
                    ("updated_by", "date_updated"),
                ),
            },
        ),
    )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def _may_change(self, request, call):
        rule = partial(roles.can_change_call, call=call)
        return call is None or self.role_allows(request, rule, call)

    @admin.display(description="when", ordering="activity_at")
    def when(self, call):
        return call.activity_at

    @admin.display(description="as plaintext")
    def plaintext_note(self, call):
        return call.note

    @admin.display(description="rep", ordering="user")
    def rep(self, call):
        return call.user

    @admin.display(description="duration", ordering="duration")
    def duration_shown(self, call):
        return f"{call.duration // 60}:{call.duration % 60:02d}"

    @admin.display(description="cost", ordering="cost")
    def cost_shown(self, call):
        return format_dollars(call.cost)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(lead__name__icontains=term) | Q(note__icontains=term)
        digits = digits_only(term)
        if len(digits) >= 3:
            condition |= Q(phone__contains=digits)
        return queryset.filter(condition), False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        outcome = form.base_fields.get("outcome")
        if outcome is not None:
            # Deleted outcomes can't be picked, but a call keeps the one it has.
            current = obj.outcome_id if obj else None
            outcome.queryset = outcome.queryset.filter(Q(date_deleted__isnull=True) | Q(pk=current))
            if sees_many_organizations(request):
                outcome.queryset = outcome.queryset.select_related("organization")
                outcome.label_from_instance = lambda o: f"{o} ({o.organization})"
        return form

    @accepts_large_uploads
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @accepts_large_uploads
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        save_inline_through(
            formset,
            save=partial(save_transcript, request),
            delete=lambda transcript: services.transcript_delete(
                transcript, deleted_by=request.user
            ),
        )

    @admin.action(description="Export the selected calls as CSV")
    def export_csv(self, request, queryset):
        return calls_csv_response(queryset, request)


@admin.register(Transcript)
class TranscriptAdmin(WritesThroughServices, OrganizationScopedAdmin):
    services = services
    entity = "transcript"
    form = TranscriptForm
    list_display = ("call", "kind", "utterance_count", "organization", "date_updated")
    list_filter = ("kind", "organization", "date_updated")
    list_select_related = ("call__lead", "organization")
    search_fields = ("call__lead__name", "summary_text")
    date_hierarchy = "date_created"
    autocomplete_fields = ("call",)
    readonly_fields = ("summary_text", "date_created", "date_updated")

    @admin.display(description="utterances")
    def utterance_count(self, transcript):
        return len(transcript.utterances)

    def save_model(self, request, obj, form, change):
        stored = Transcript.objects.get(pk=obj.pk) if change else None
        obj.pk = save_transcript(request, stored, form).pk
        obj.refresh_from_db()


class OutcomeStatusFilter(EndedFilter):
    date_field = "date_deleted"
    statuses = (("live", "Live"), ("deleted", "Deleted"))


@admin.register(Outcome)
class OutcomeAdmin(WritesThroughServices, OrganizationScopedAdmin):
    """Outcomes, with how many calls have each. Deleting one keeps it on those calls."""

    services = services
    entity = "outcome"
    list_display = ("name", "organization", "type", "call_count", "is_live", "date_created")
    list_filter = (OutcomeStatusFilter, "type", "organization", "date_created")
    list_select_related = ("organization",)
    search_fields = ("name", "description")
    date_hierarchy = "date_created"
    ordering = ("name",)  # explicit: Meta.ordering doesn't survive the GROUP BY
    fields = (
        "organization",
        "name",
        "type",
        "description",
        "date_deleted",
        "applies_to",
        ("created_by", "date_created"),
        ("updated_by", "date_updated"),
    )
    readonly_fields = ("applies_to", "created_by", "updated_by", "date_created", "date_updated")
    actions = ("soft_delete", "restore")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(call_count=Count("calls"))

    @admin.display(description="calls", ordering="call_count")
    def call_count(self, outcome):
        return outcome.call_count

    @admin.display(description="live", boolean=True, ordering="date_deleted")
    def is_live(self, outcome):
        return outcome.date_deleted is None

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request) and self.role_allows(
            request, roles.can_manage_outcomes
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.role_allows(
            request, roles.can_manage_outcomes, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False  # outcomes are soft-deleted, by the action

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [f for f in fields if f != "date_deleted"]

    @admin.action(
        description="Delete the selected outcomes (their calls keep them)",
        permissions=["change"],
    )
    def soft_delete(self, request, queryset):
        outcomes = list(queryset.live())
        for outcome in outcomes:
            services.outcome_delete(outcome, deleted_by=request.user)
        self.message_user(request, f"Deleted {len(outcomes)} outcome(s).", messages.SUCCESS)

    @admin.action(description="Restore the selected outcomes", permissions=["change"])
    def restore(self, request, queryset):
        restored, refused = 0, []
        for outcome in queryset.filter(date_deleted__isnull=False):
            try:
                services.outcome_restore(outcome, restored_by=request.user)
            except ValidationError:
                refused.append(outcome.name)
                continue
            restored += 1
        self.message_user(request, f"Restored {restored} outcome(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                "Not restored, a live outcome has the same name: " + ", ".join(refused),
                messages.WARNING,
            )
