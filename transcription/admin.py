from django.contrib import admin, messages
from django.db.models import Prefetch, Q
from django.utils.html import format_html

from accounts.admin_scoping import OrganizationScopedAdmin
from activities.models import Transcript
from jobs import latest_jobs
from transcription import services
from transcription.checks import engine_problems
from transcription.models import CallTranscription
from transcription.panels import STATUS


@admin.register(CallTranscription)
class CallTranscriptionAdmin(OrganizationScopedAdmin):
    """Every call with audio, and where the transcription of each kind of its audio stands.

    Read-only, with an action to transcribe again; the jobs themselves (attempts, errors,
    retry) are in Background jobs. The chosen engine's problems show above the list.
    """

    list_display = ("call", "organization", "activity_at", "recording", "voicemail")
    list_filter = ("organization",)
    list_select_related = ("lead", "organization")
    search_fields = ("lead__name",)
    date_hierarchy = "activity_at"
    actions = ["transcribe_again"]

    def get_queryset(self, request):
        no_audio = Q(recording_file="", recording_url="") & Q(voicemail_file="", voicemail_url="")
        transcripts = Transcript.objects.select_related("machine")
        return (
            super()
            .get_queryset(request)
            .exclude(no_audio)
            .prefetch_related(Prefetch("transcripts", queryset=transcripts))
        )

    def get_changelist_instance(self, request):
        """Read the jobs of the page's calls in one query."""
        changelist = super().get_changelist_instance(request)
        calls = list(changelist.result_list)
        keys = [services.job_key(call, kind) for call in calls for kind in services.KINDS]
        jobs = latest_jobs([key for key in keys if key])
        for call in calls:
            call.jobs = {kind: jobs.get(services.job_key(call, kind)) for kind in services.KINDS}
        return changelist

    def changelist_view(self, request, extra_context=None):
        for problem in engine_problems():
            messages.error(request, f"Transcription cannot run: {problem}")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing is edited here; "change" on the list is what the action asks for.
        return obj is None and self.in_scope(request)

    @admin.display(description="call")
    def call(self, call):
        return format_html('<a href="{}">{}</a>', call.get_absolute_url(), call)

    def _state(self, call, kind):
        if not services.audio_source(call, kind):
            return "-"
        job = call.jobs.get(kind) if hasattr(call, "jobs") else None
        transcript = next((t for t in call.transcripts.all() if t.kind == kind), None)
        machine = getattr(transcript, "machine", None) if transcript is not None else None
        if job is not None and job.status != job.Status.DONE:
            status = STATUS[job.status].capitalize()
            return f"{status}: {job.reason}" if job.reason else status
        if transcript is None:
            return "Not transcribed"
        if machine is None or not machine.untouched:
            return "Done: written or edited by hand"
        return (
            f"Done by {machine.engine}: {machine.audio_seconds:.0f} s of audio, "
            f"{machine.real_time_factor:.2f}× real time"
        )

    @admin.display(description="recording")
    def recording(self, call):
        return self._state(call, Transcript.Kind.RECORDING)

    @admin.display(description="voicemail")
    def voicemail(self, call):
        return self._state(call, Transcript.Kind.VOICEMAIL)

    @admin.action(description="Transcribe the selected calls' audio again", permissions=["change"])
    def transcribe_again(self, request, queryset):
        queued = kept = 0
        for call in queryset.select_related("user", "contact"):
            for kind in services.KINDS:
                if not services.audio_source(call, kind):
                    continue
                if services.transcription_request(call, kind) is None:
                    kept += 1
                else:
                    queued += 1
        self.message_user(request, f"{queued} transcription(s) queued.", messages.SUCCESS)
        if kept:
            self.message_user(
                request,
                f"{kept} left as they are: written or edited by hand, or transcription is off.",
                messages.WARNING,
            )
