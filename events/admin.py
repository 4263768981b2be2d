from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from accounts.admin_scoping import OrganizationScopedAdmin, OrganizationScopedInline
from core.admin_services import WritesThroughServices
from events import services
from events.models import Delivery, DeliveryAttempt, Event, WebhookSubscription


class KeptAsWritten:
    """Rows of the log, never deleted one by one: only a superuser deleting an organization
    takes them along with it."""

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class WebhookSubscriptionForm(forms.ModelForm):
    class Meta:
        model = WebhookSubscription
        fields = ("organization", "url", "events", "verify_ssl", "status")
        help_texts = {
            "url": "https, on a host whose addresses are all public.",
            "events": 'A list such as [{"object_type": "activity.call", "action": "created"}], '
            'each with an optional "extra_filter".',
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        if self.instance._state.adding or url != self.instance.url:
            try:
                services.check_url(url)
            except ValidationError as error:
                raise ValidationError(error.message_dict["url"]) from None
        return url

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        if self.instance._state.adding and organization is not None:
            services.check_room(organization)  # the service checks it again, under a lock
        return cleaned


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(WritesThroughServices, OrganizationScopedAdmin):
    """Webhook subscriptions, written through the same services as the API's. A new one's
    signature key is shown once, after it is saved. Pause and resume are actions of the list;
    each one's deliveries, with every attempt, are a click away."""

    services = services
    entity = "webhook"
    form = WebhookSubscriptionForm
    list_display = (
        "url",
        "organization",
        "status",
        "failing_since",
        "created_by",
        "date_created",
        "deliveries",
    )
    list_filter = ("status", "organization")
    list_select_related = ("organization", "created_by")
    search_fields = ("url",)
    actions = ["pause", "resume"]
    readonly_fields = (
        "id",
        "created_by",
        "date_created",
        "date_updated",
        "failing_since",
        "paused_reason",
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"The signature key of this subscription, shown only now: {obj.signature_key}",
                messages.WARNING,
            )

    @admin.display(description="deliveries")
    def deliveries(self, subscription):
        url = reverse("admin:events_delivery_changelist")
        return format_html('<a href="{}?subscription__id__exact={}">Deliveries</a>', url,
                           subscription.pk)  # fmt: skip

    def _set_status(self, request, queryset, status, done):
        changed = 0
        for subscription in queryset.exclude(status=status):
            services.webhook_update(
                subscription, updated_by=request.user, fields={"status": status}
            )
            changed += 1
        self.message_user(request, f"{changed} subscription(s) {done}.", messages.SUCCESS)

    @admin.action(description="Pause the selected subscriptions", permissions=["change"])
    def pause(self, request, queryset):
        self._set_status(request, queryset, WebhookSubscription.Status.PAUSED, "paused")

    @admin.action(description="Resume the selected subscriptions", permissions=["change"])
    def resume(self, request, queryset):
        self._set_status(request, queryset, WebhookSubscription.Status.ACTIVE, "resumed")


class DeliveryAttemptInline(OrganizationScopedInline, admin.TabularInline):
    model = DeliveryAttempt
    fields = ("number", "attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(KeptAsWritten, OrganizationScopedAdmin):
    """Each event sent to each subscription, with every attempt, read-only; "retry now" sends
    the selected ones again at once (their own retries, if any, go on)."""

    list_display = (
        "event_kind",
        "subscription",
        "status",
        "attempts",
        "last_attempt_at",
        "reason",
        "organization",
    )
    list_filter = ("status", "subscription", "organization")
    list_select_related = ("event", "subscription", "organization")
    date_hierarchy = "date_created"
    show_full_result_count = False
    actions = ["retry_now"]
    inlines = (DeliveryAttemptInline,)
    fields = (
        "event",
        "subscription",
        "status",
        "attempts",
        "reason",
        "date_created",
        "last_attempt_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        # A delivery is never edited, so its page is view-only; "change" on the list is what
        # Django asks of the retry action.
        return obj is None and self.in_scope(request)

    @admin.display(description="event", ordering="event__date_updated")
    def event_kind(self, delivery):
        event = delivery.event
        return f"{event.object_type} {event.action} ({event.object_id})"

    @admin.action(description="Retry the selected deliveries now", permissions=["change"])
    def retry_now(self, request, queryset):
        retried = sum(
            services.delivery_retry(delivery)
            for delivery in queryset.select_related("subscription")
        )
        skipped = queryset.count() - retried
        if retried:
            self.message_user(request, f"{retried} delivery(ies) queued now.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} left as they are: delivered already, or their subscription is "
                "paused (resume it first).",
                messages.WARNING,
            )


@admin.register(Event)
class EventAdmin(KeptAsWritten, OrganizationScopedAdmin):
    """The event log, read-only: what changed, who changed it, in which request."""

    list_display = (
        "date_updated",
        "object_type",
        "action",
        "object_id",
        "lead_id",
        "user_id",
        "request_id",
        "organization",
    )
    list_filter = ("object_type", "action", "organization")
    list_select_related = ("organization",)
    search_fields = ("=object_id", "=lead_id", "=request_id", "=user_id")
    search_help_text = "An object's, a lead's, a user's or a request's id."
    date_hierarchy = "date_updated"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "previous_data")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
