"""Follow-up tasks, as Close keeps them: an action item on a lead, for a rep, due on a day or at
a moment, shown in the rep's inbox until it is done."""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse

from accounts.ids import PublicIdField
from accounts.models import Organization
from core.models import Authored
from followups.days import FIRST_DAY, LAST_DAY, clamped, start_of
from leads.models import Contact, Lead

ONE_DAY = datetime.timedelta(days=1)
DATE_OR_MOMENT = "task_date_or_moment"
DATE_OR_MOMENT_MESSAGE = "A task is due on a date or at a moment, not both."
# How a day compares, for a timed task: with the moment a day starts (its own, or the next's).
_MOMENT_OF_DAY = {"lt": ("lt", 0), "lte": ("lt", 1), "gt": ("gte", 1), "gte": ("gte", 0)}


def days_condition(lookup, day, zone):
    """The condition that a task's day, seen from `zone`, is `lookup` ("lt", "lte", "gt",
    "gte") `day`.

    A date-only task's day is its date; a timed one's is the day its moment falls on in `zone`,
    found by comparing the moment with the start of a day there. Dateless tasks have no day:
    none of these holds for them.
    """
    day = clamped(day)
    moment_lookup, days_after = _MOMENT_OF_DAY[lookup]
    edge = start_of(day + days_after * ONE_DAY, zone)
    return Q(**{f"date__{lookup}": day}) | Q(**{f"due_at__{moment_lookup}": edge})


DATELESS = Q(date__isnull=True, due_at__isnull=True)


class TaskQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)

    def incomplete(self):
        return self.filter(is_complete=False)

    def on_days(self, lookup, day, zone):
        """Tasks whose day, seen from `zone`, is `lookup` `day` (`days_condition()`)."""
        return self.filter(days_condition(lookup, day, zone))

    def at_moments(self, lookup, moment, zone):
        """Tasks whose moment is `lookup` `moment`: a timed task's own, a date-only task's the
        start of its day in `zone`."""
        earliest, latest = start_of(FIRST_DAY, datetime.UTC), start_of(LAST_DAY, datetime.UTC)
        local = min(max(moment, earliest), latest).astimezone(zone)
        floor = local.date()
        ceiling = floor if local == start_of(floor, zone) else floor + ONE_DAY
        day = {"lt": ceiling, "lte": floor, "gt": floor, "gte": ceiling}[lookup]
        return self.filter(Q(**{f"date__{lookup}": day}) | Q(**{f"due_at__{lookup}": moment}))

    def in_inbox(self, today, zone):
        """Incomplete tasks due by the end of `today` in `zone`, and those without a date."""
        return self.filter(Q(is_complete=False) & (days_condition("lte", today, zone) | DATELESS))

    def in_future(self, today, zone):
        return self.filter(Q(is_complete=False) & days_condition("gt", today, zone))

    def in_view(self, view, today, zone):
        """Close's `view`: the inbox, the future, or the archive (completed tasks)."""
        if view == Task.View.ARCHIVE:
            return self.filter(is_complete=True)
        if view == Task.View.FUTURE:
            return self.in_future(today, zone)
        return self.in_inbox(today, zone)

    def in_day_order(self, zone):
        """Annotate what ordering by `date` sorts on: day by day as seen from `zone`, date-only
        tasks before the timed ones of their day, those by their moment, dateless tasks last.
        Order by DAY_ORDER (reversed for the latest first)."""
        return self.annotate(
            day_order_dateless=Case(
                When(date__isnull=True, due_at__isnull=True, then=Value(1)), default=Value(0)
            ),
            day_order_day=Case(
                When(due_at__isnull=True, then=F("date")),
                default=TruncDate("due_at", tzinfo=zone),
                output_field=models.DateField(),
            ),
            day_order_timed=Case(When(due_at__isnull=True, then=Value(0)), default=Value(1)),
        )


# What `in_day_order()` annotates, in sort order; `due_at` orders the timed tasks of a day.
DAY_ORDER = ("day_order_dateless", "day_order_day", "day_order_timed", "due_at")


class Task(Authored):
    """A follow-up: something to do about a lead, on a day (`date`) or at a moment (`due_at`),
    or dateless (neither), assigned to a rep (or no one) until it is complete."""

    class Type(models.TextChoices):
        LEAD = "lead", "To-do"
        OUTGOING_CALL = "outgoing_call", "Call"
        MISSED_CALL = "missed_call", "Missed call"
        VOICEMAIL = "voicemail", "Voicemail"

    class View(models.TextChoices):
        INBOX = "inbox", "Inbox"
        FUTURE = "future", "Future"
        ARCHIVE = "archive", "Archive"

    # People create these; calls create the others (followups.receivers).
    MADE_BY_PEOPLE = (Type.LEAD, Type.OUTGOING_CALL)
    FROM_CALLS = (Type.MISSED_CALL, Type.VOICEMAIL)

    id = PublicIdField(prefix="task")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tasks")
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.LEAD)
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="tasks")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        help_text="The rep whose inbox it is in; nobody's when empty.",
    )
    text = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True, help_text="The day it is due (no time).")
    due_at = models.DateTimeField(
        "due at", null=True, blank=True, help_text="The moment it is due, for a timed task."
    )
    is_complete = models.BooleanField("complete", default=False)
    object_type = models.CharField(
        max_length=16, blank=True, help_text="What it is about: `call` for a call's task."
    )
    object_id = models.CharField(max_length=64, blank=True, help_text="The call's id.")

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["-date_created", "-id"]
        indexes = [
            # A rep's inbox: their incomplete tasks up to a day, date-only or timed.
            models.Index(
                fields=["organization", "assigned_to", "date"],
                condition=Q(is_complete=False),
                name="task_open_assignee_date",
            ),
            models.Index(
                fields=["organization", "assigned_to", "due_at"],
                condition=Q(is_complete=False),
                name="task_open_assignee_due",
            ),
            models.Index(fields=["organization", "-date_created", "-id"], name="task_org_created"),
            # The task of a call, found when the call changes.
            models.Index(fields=["object_id"], condition=~Q(object_id=""), name="task_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__isnull=True) | Q(due_at__isnull=True),
                name=DATE_OR_MOMENT,
                violation_error_message=DATE_OR_MOMENT_MESSAGE,
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("leads:detail", args=[self.lead_id]) + f"#task-{self.id}"

    def get_constraints(self):
        """The constraints `full_clean` checks: all but the date-or-moment one, which `clean`
        checks in Python (Django would ask the database, a query for each task)."""
        return [
            (model, [check for check in constraints if check.name != DATE_OR_MOMENT])
            for model, constraints in super().get_constraints()
        ]

    def clean(self):
        errors = {}
        if self.date is not None and self.due_at is not None:
            errors[NON_FIELD_ERRORS] = DATE_OR_MOMENT_MESSAGE
        if self.lead_id and self.lead.organization_id != self.organization_id:
            errors["lead"] = "Object does not exist."
        if self.contact_id and self.contact.lead_id != self.lead_id:
            errors["contact"] = "The contact does not belong to this lead."
        if self.assigned_to_id and not any(
            # One query for the user's few memberships, or none when the caller prefetched them.
            membership.organization_id == self.organization_id
            for membership in self.assigned_to.memberships.all()
        ):
            errors["assigned_to"] = "Object does not exist."
        if errors:
            raise ValidationError(errors)

    @property
    def title(self):
        """What the task says: its text, else what its type implies."""
        if self.text:
            return self.text
        who = self.contact.name if self.contact_id and self.contact.name else self.lead.name
        return {
            self.Type.OUTGOING_CALL: f"Call {who}",
            self.Type.MISSED_CALL: f"Missed call from {who}",
            self.Type.VOICEMAIL: f"Voicemail from {who}",
        }.get(self.type, f"Follow up with {who}")

    @property
    def is_dateless(self):
        return self.date is None and self.due_at is None

    def day_in(self, zone):
        """Return the task's day as seen from `zone` (None when dateless)."""
        if self.due_at is not None:
            return self.due_at.astimezone(zone).date()
        return self.date
