from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.ids import PublicIdField
from accounts.models import Organization
from activities.audio_files import delete_audio_with_call, validate_audio_file
from activities.notes import render_note
from core.external_urls import ExternalURLField
from core.models import Authored
from core.rule_messages import NamedChoice
from leads.models import Contact, Lead
from leads.phones import format_phone

MAX_DURATION = 604800  # seconds in a week, Close's limit
CALL_PAGES = ("detail", "edit", "delete", "transcript")


def call_links(call_ids):
    """Return {call id: {page: url}} for the `CALL_PAGES` of each call.

    One reverse() per kind of page, not per call: a timeline of 50 calls would spend more time
    in reverse() than in its query.
    """
    patterns = {
        page: reverse(f"activities:call_{page}", args=["__id__"]).split("__id__")
        for page in CALL_PAGES
    }
    return {
        call_id: {page: f"{before}{call_id}{after}" for page, (before, after) in patterns.items()}
        for call_id in call_ids
    }


class OutcomeQuerySet(models.QuerySet):
    def live(self):
        return self.filter(date_deleted__isnull=True)

    def for_calls(self, organization):
        """Outcomes a call of `organization` may be given (every type applies to calls)."""
        return self.live().filter(organization=organization)


class Outcome(Authored):
    """A user-defined result of a connected call, such as "Demo booked"."""

    class Type(models.TextChoices):
        CUSTOM = "custom", "Custom"
        VM_DROPPED = "vm-dropped", "Voicemail dropped"

    APPLIES_TO = {Type.CUSTOM: ["calls", "meetings"], Type.VM_DROPPED: ["calls"]}

    id = PublicIdField(prefix="outcome")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="outcomes"
    )
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, null=True)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.CUSTOM)
    applies_to = models.JSONField(
        default=list, editable=False, help_text="Derived from the type, as Close does since 2026."
    )
    date_deleted = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Deleted outcomes stay on the calls that have them but can't be picked again.",
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=models.Q(date_deleted__isnull=True),
                name="unique_live_outcome_name",
                violation_error_message="An outcome with this name already exists.",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.applies_to = self.APPLIES_TO[self.type]
        super().save(*args, **kwargs)

    def soft_delete(self):
        """Hide the outcome: the calls that have it keep it, but no call can be given it anew."""
        self.date_deleted = timezone.now()
        self.save(update_fields=["date_deleted", "date_updated"])

    def applies_to_calls_of(self, organization_id):
        """Whether a call of `organization_id` may be given this outcome, as
        `OutcomeQuerySet.for_calls` selects them."""
        return self.organization_id == organization_id and self.date_deleted is None

    def restore(self):
        """Make a deleted outcome pickable again; ValidationError if a live one has its name."""
        self.date_deleted = None
        self.validate_constraints()
        self.save(update_fields=["date_deleted", "date_updated"])


class CallQuerySet(models.QuerySet):
    def for_organization(self, organization):
        return self.filter(organization=organization)

    def with_people(self):
        """Join what a call's page or API object shows by name."""
        return self.select_related("user", "created_by", "updated_by", "outcome", "contact")

    def timeline(self, lead):
        """Return `lead`'s calls as its page lists them, with what each row shows."""
        return self.filter(organization=lead.organization_id, lead=lead).as_rows()

    def as_rows(self):
        """Return these calls with what a row of the timeline shows (activities/call_row.html)."""
        return self.select_related("user", "outcome", "contact").prefetch_related(
            # only whether a call has one: the link
            models.Prefetch("transcripts", queryset=Transcript.objects.only("id", "call_id"))
        )

    def with_recording(self, present=True):
        """Calls with (or, `present` False, without) a recording, uploaded or linked."""
        no_recording = models.Q(recording_file="", recording_url="")
        return self.exclude(no_recording) if present else self.filter(no_recording)

    def with_transcript(self, present=True):
        """Calls with (or, `present` False, without) a transcript of either kind."""
        transcribed = models.Exists(Transcript.objects.filter(call=models.OuterRef("pk")))
        return self.filter(transcribed if present else ~transcribed)


class Call(Authored):
    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"

    class Status(models.TextChoices):
        CREATED = "created", "Created"
        IN_PROGRESS = "in-progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCEL = "cancel", "Cancelled"
        NO_ANSWER = "no-answer", "No answer"
        BUSY = "busy", "Busy"
        FAILED = "failed", "Failed"
        TIMEOUT = "timeout", "Timed out"

    class Disposition(models.TextChoices):
        ANSWERED = "answered", "Answered"
        NO_ANSWER = "no-answer", "No answer"
        VM_ANSWER = "vm-answer", "Voicemail, no message"
        VM_LEFT = "vm-left", "Voicemail left"
        BUSY = "busy", "Busy"
        BLOCKED = "blocked", "Blocked"
        ERROR = "error", "Error"
        ABANDONED = "abandoned", "Abandoned"

    class Method(models.TextChoices):
        REGULAR = "regular", "Regular"
        POWER = "power", "Power dialer"
        PREDICTIVE = "predictive", "Predictive dialer"
        EXTERNAL = "external", "External (API)"

    class Source(models.TextChoices):
        CLOSE = "Close.io", "Close.io"
        EXTERNAL = "External", "External"

    id = PublicIdField(prefix="acti")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="calls")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="calls")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
        help_text="The rep who made or took the call.",
    )
    activity_at = models.DateTimeField(default=timezone.now, help_text="When the call happened.")
    date_answered = models.DateTimeField(null=True, blank=True)
    direction = models.CharField(
        max_length=8, choices=Direction.choices, default=Direction.OUTBOUND
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.COMPLETED)
    disposition = models.CharField(
        max_length=16,
        choices=Disposition.choices,
        blank=True,
        help_text="Derived from the status when left empty.",
    )
    call_method = models.CharField(max_length=16, choices=Method.choices, default=Method.EXTERNAL)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.EXTERNAL)
    duration = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(MAX_DURATION)], help_text="Seconds."
    )
    cost = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="US cents.",
    )
    phone = models.CharField(max_length=20, blank=True, help_text="The remote number, E.164.")
    local_phone = models.CharField(max_length=20, blank=True)
    recording_url = ExternalURLField(
        max_length=1000, blank=True, help_text="An external recording."
    )
    recording_file = models.FileField(
        upload_to="recordings/%Y/%m/", blank=True, max_length=255, validators=[validate_audio_file]
    )
    voicemail_url = ExternalURLField(max_length=1000, blank=True)
    voicemail_file = models.FileField(
        upload_to="voicemails/%Y/%m/", blank=True, max_length=255, validators=[validate_audio_file]
    )
    voicemail_duration = models.PositiveIntegerField(
        default=0, validators=[MaxValueValidator(MAX_DURATION)]
    )
    note = models.TextField(blank=True, help_text="Plaintext, derived from note_html.")
    note_html = models.TextField(blank=True, help_text="Sanitized rich text.")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    # Where an imported call came from: the other system, and the call's id there. An import
    # finds the call again by the two, so importing a file twice creates nothing new.
    external_source = models.CharField(
        max_length=64, blank=True, help_text="The system an imported call came from."
    )
    external_id = models.CharField(
        max_length=200, blank=True, help_text="The imported call's id in that system."
    )
    import_id = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="The import that created the call; reverting it deletes the call.",
    )

    objects = CallQuerySet.as_manager()

    # The outcome as last read from the database: a deleted outcome a call already has stays
    # valid on it, but can't be given to a call anew.
    _stored_outcome_id = None

    class Meta:
        ordering = ["-activity_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-activity_at", "-id"], name="call_org_activity"),
            models.Index(
                fields=["organization", "lead", "-activity_at", "-id"], name="call_org_lead"
            ),
            models.Index(
                fields=["organization", "user", "-activity_at", "-id"], name="call_org_user"
            ),
            models.Index(
                fields=["organization", "contact", "-activity_at"], name="call_org_contact"
            ),
            models.Index(fields=["organization", "-date_created", "-id"], name="call_org_created"),
            models.Index(fields=["outcome"], name="call_outcome"),
            models.Index(fields=["import_id"], name="call_import", condition=~Q(import_id="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_source", "external_id"],
                condition=~Q(external_id=""),
                name="call_unique_external_id",
                violation_error_message="A call with this id from this source already exists.",
            )
        ]

    def __str__(self):
        return (
            f"{self.get_direction_display()} call with {self.lead} on {self.activity_at:%Y-%m-%d}"
        )

    def get_absolute_url(self):
        return reverse("activities:call_detail", args=[self.id])

    @cached_property
    def links(self):
        """The call's pages, by name: `links.edit`. A list sets them for all its calls at once."""
        return call_links([self.id])[self.id]

    @classmethod
    def from_db(cls, db, field_names, values):
        call = super().from_db(db, field_names, values)
        call._stored_outcome_id = call.__dict__.get("outcome_id")
        return call

    def clean(self):
        if not self.disposition:
            self.disposition = self.derived_disposition()
        errors = {}
        if (
            self.disposition == self.Disposition.VM_ANSWER
            and self.direction != self.Direction.INBOUND
        ):
            errors["disposition"] = ValidationError(
                "%(disposition)s is only possible on inbound calls.",
                code="inbound_only",
                params={"disposition": NamedChoice(self.Disposition.VM_ANSWER)},
            )
        if (
            self.disposition == self.Disposition.ABANDONED
            and self.call_method != self.Method.PREDICTIVE
        ):
            errors["disposition"] = ValidationError(
                "%(disposition)s is only possible with the predictive dialer.",
                code="predictive_only",
                params={"disposition": NamedChoice(self.Disposition.ABANDONED)},
            )
        if self.outcome_id is not None:
            if self.disposition != self.Disposition.ANSWERED:
                errors["outcome"] = "An outcome can only be set on a connected (answered) call."
            elif self.outcome_id != self._stored_outcome_id and not self._outcome_applies():
                errors["outcome"] = "Object does not exist."
        if self.lead_id and self.lead.organization_id != self.organization_id:
            errors["lead"] = "Object does not exist."
        if self.contact_id and self.contact.lead_id != self.lead_id:
            errors["contact"] = "The contact does not belong to this lead."
        if self.user_id and not self._rep_is_member():
            errors["user"] = "Object does not exist."
        if errors:
            raise ValidationError(errors)
        if self.disposition == self.Disposition.ANSWERED and self.date_answered is None:
            self.date_answered = self.activity_at

    # The membership the writer read for the request (`activities.services.call_build`): when
    # it is the rep's in the call's organization, `clean()` does not look the rep up again.
    rep_membership = None

    def _rep_is_member(self):
        """Whether the call's rep is a member of its organization: known from `rep_membership`
        when it is theirs there, else one query for the rep's few memberships (none when the
        reader prefetched them)."""
        known = self.rep_membership
        if known is not None and (known.user_id, known.organization_id) == (
            self.user_id,
            self.organization_id,
        ):
            return True
        return any(
            membership.organization_id == self.organization_id
            for membership in self.user.memberships.all()
        )

    def _outcome_applies(self):
        """Whether the call may be given its outcome: read from the outcome when the caller
        loaded it (the API's body names it), else looked up."""
        if self._meta.get_field("outcome").is_cached(self):
            return self.outcome.applies_to_calls_of(self.organization_id)
        return Outcome.objects.for_calls(self.organization_id).filter(pk=self.outcome_id).exists()

    # How an outbound call that did not connect went: with one of these, a call needs nothing
    # else, and a rep logs it in one click (activities.forms.QuickLogForm).
    QUICK_DISPOSITIONS = (Disposition.NO_ANSWER, Disposition.VM_LEFT, Disposition.BUSY)

    # What `derived_disposition()` reads: changing one of these without giving a disposition
    # derives it again.
    DISPOSITION_INPUTS = frozenset({"status", "duration", "voicemail_url", "voicemail_file"})

    def derived_disposition(self):
        """Return the disposition Close derives from the status when none was given."""
        if self.status == self.Status.COMPLETED:
            if self.has_voicemail:
                return self.Disposition.VM_LEFT
            return self.Disposition.ANSWERED if self.duration else self.Disposition.NO_ANSWER
        return {
            self.Status.BUSY: self.Disposition.BUSY,
            self.Status.FAILED: self.Disposition.ERROR,
            self.Status.TIMEOUT: self.Disposition.ERROR,
        }.get(self.status, self.Disposition.NO_ANSWER)

    @property
    def has_recording(self):
        return bool(self.recording_file or self.recording_url)

    def audio_link(self, kind):
        """Return where the call's recording or voicemail ("recording"/"voicemail") is heard.

        An uploaded file is served by our own organization-scoped view; else the external URL.
        """
        if getattr(self, f"{kind}_file"):
            return reverse("activities:call_audio", args=[self.id, kind])
        return getattr(self, f"{kind}_url") or None

    @property
    def has_voicemail(self):
        return bool(self.voicemail_file or self.voicemail_url)

    @property
    def phone_formatted(self):
        return format_phone(self.phone)

    @property
    def note_for_display(self):
        return render_note(self.note_html)


post_delete.connect(delete_audio_with_call, sender=Call, dispatch_uid="call_audio_leaves_storage")


def validate_utterances(value):
    """Check a transcript's utterances: a time-ordered list of labelled, timed pieces of text."""
    if not isinstance(value, list):
        raise ValidationError("Utterances must be a list.")
    previous_start = 0
    for position, item in enumerate(value, start=1):
        where = f"Utterance {position}"
        if not isinstance(item, dict):
            raise ValidationError(f"{where} must be an object.")
        if item.get("speaker_side") not in Transcript.SPEAKER_SIDES:
            raise ValidationError(f'{where}: speaker_side must be "contact" or "close-user".')
        for key in ("speaker_label", "text"):
            if not isinstance(item.get(key), str):
                raise ValidationError(f"{where}: {key} must be a string.")
        start, end = item.get("start"), item.get("end")
        numbers = all(
            isinstance(n, int | float) and not isinstance(n, bool) and n == n and abs(n) < 1e9
            for n in (start, end)
        )
        if not numbers or not 0 <= start <= end:
            raise ValidationError(f"{where}: start and end must be seconds with 0 <= start <= end.")
        if start < previous_start:
            raise ValidationError(f"{where} starts before the one before it.")
        previous_start = start


class Transcript(models.Model):
    """What was said on a call's recording or voicemail; at most one of each per call."""

    class Kind(models.TextChoices):
        RECORDING = "recording", "Recording"
        VOICEMAIL = "voicemail", "Voicemail"

    SPEAKER_SIDES = ("contact", "close-user")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="transcripts"
    )
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="transcripts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    utterances = models.JSONField(default=list, blank=True, validators=[validate_utterances])
    summary_text = models.TextField(blank=True)
    summary_html = models.TextField(blank=True)
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="one_transcript_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} transcript of {self.call_id}"

    @classmethod
    def of(cls, call, kind):
        """The `kind` transcript of `call`, or a new one, not saved, to write it."""
        return cls.objects.filter(call=call, kind=kind).first() or cls(call=call, kind=kind)

    # What the API shows of a transcript, as `recording_transcript`/`voicemail_transcript`.
    API_FIELDS = ("utterances", "summary_text", "summary_html")

    @property
    def summary_for_display(self):
        return render_note(self.summary_html)
